// The submission wizard's small behaviours; without JavaScript every step still works.
(function () {
  // Step 2: upload with a progress bar.
  // (The case question alone has no file to send, and no progress bar: it is an ordinary form.)
  var form = document.getElementById("files-form"), box = document.getElementById("upload-progress");
  if (form && box && window.XMLHttpRequest && window.FormData) {
    var bar = box.querySelector(".progress-bar"), clicked = null;
    bar.style.width = "0%";
    form.addEventListener("click", function (e) { if (e.target.name === "action") clicked = e.target; });
    form.addEventListener("submit", function (e) {
      var data = new FormData(form);
      if (clicked) data.append(clicked.name, clicked.value);
      e.preventDefault();
      var xhr = new XMLHttpRequest();
      // Not form.action: the buttons named "action" shadow that property.
      xhr.open("POST", form.getAttribute("action") || window.location.href);
      box.classList.remove("d-none");
      xhr.upload.onprogress = function (ev) {
        if (!ev.lengthComputable) return;
        var pct = Math.round(ev.loaded * 100 / ev.total);
        bar.style.width = pct + "%"; bar.textContent = pct + "%"; box.setAttribute("aria-valuenow", pct);
      };
      xhr.onload = function () {
        // Show the page the server answered with (next step, or this step with its messages).
        if (xhr.responseURL) history.replaceState(null, "", xhr.responseURL);
        document.open(); document.write(xhr.responseText); document.close();
      };
      xhr.onerror = function () { box.classList.add("d-none"); alert(form.dataset.uploadError); };
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      xhr.send(data);
    });
  }
  // Step 2: a conditional paper's upload shows once its box "applies to me" is ticked (without JavaScript
  // the upload is always there, and the box is sent with the form).
  document.querySelectorAll("input[data-reveals]").forEach(function (box) {
    var target = document.getElementById(box.dataset.reveals);
    if (!target) return;
    var sync = function () { target.hidden = !box.checked; };
    box.addEventListener("change", sync);
    sync();
  });
  // Step 3: each postal address shows only when its "by post" choice is made (without JavaScript both are there;
  // a hidden address keeps what was typed, and the server ignores it unless post is chosen).
  ["submit", "result"].forEach(function (name) {
    var wrapper = document.getElementById("div_id_" + name + "_address");
    var radios = document.querySelectorAll("input[name='" + name + "_method']");
    if (!wrapper || !radios.length) return;
    var sync = function () {
      var chosen = document.querySelector("input[name='" + name + "_method']:checked");
      wrapper.hidden = !(chosen && chosen.value === "post");
    };
    radios.forEach(function (radio) { radio.addEventListener("change", sync); });
    sync();
  });
  // Step 4: one press of "Nộp hồ sơ".
  var submit = document.getElementById("submit-form");
  if (submit) {
    submit.addEventListener("submit", function () { document.getElementById("submit-button").disabled = true; });
  }
})();
