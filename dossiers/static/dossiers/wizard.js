// The submission wizard's small behaviours; without JavaScript every step still works.
(function () {
  // Step 2: each chosen file is sent by tus 1.0 (/tai-len/) in parts, with its own progress bar; a dropped
  // connection resumes from the offset the server holds (HEAD), by itself a few times, then with "Thử lại".
  // Once every file is stored, the form is sent without files (the answers, the button pressed).
  // Without JavaScript (or XMLHttpRequest) the form sends the files itself, as before.
  var form = document.getElementById("files-form");
  if (form && form.dataset.tusUrl && window.XMLHttpRequest && window.Blob && window.Promise) {
    tusWizard(form);
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

  function tusWizard(form) {
    var PART = 512 * 1024, AUTO_RETRIES = 3, clicked = null, jobs = [];
    var text = form.dataset, csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    form.addEventListener("click", function (e) { if (e.target.name === "action") clicked = e.target; });
    form.addEventListener("submit", function (e) {
      if (jobs.some(function (j) { return j.state === "failed"; })) {
        e.preventDefault(); busy(true); runAll();  // resume what is left; never send again what is stored
        return;
      }
      var inputs = Array.prototype.filter.call(
        form.querySelectorAll("input[type=file][data-component]"), function (i) { return i.files.length; });
      if (!inputs.length) return;  // nothing to send: the ordinary form
      e.preventDefault();
      jobs = [];
      inputs.forEach(function (input) {
        var list = document.getElementById("tus-" + input.dataset.component);
        list.textContent = "";
        Array.prototype.forEach.call(input.files, function (file) { jobs.push(job(file, input, list)); });
      });
      busy(true);
      runAll();
    });

    function busy(on) { form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = on; }); }

    function runAll() {
      var chain = Promise.resolve();
      jobs.forEach(function (j) {
        chain = chain.then(function () { return j.state === "done" || j.state === "refused" ? null : send(j); });
      });
      chain.then(function () {
        var clear = function () {
          form.querySelectorAll("input[type=file][data-component]").forEach(function (i) { i.value = ""; });
        };
        if (jobs.every(function (j) { return j.state === "done"; })) {
          clear();
          var action = document.createElement("input");
          action.type = "hidden"; action.name = "action"; action.value = clicked ? clicked.value : "upload";
          form.appendChild(action);
          HTMLFormElement.prototype.submit.call(form);
        } else {
          // A refused file stays listed with its reason; the files stored are not chosen again.
          if (!jobs.some(function (j) { return j.state === "failed"; })) { clear(); jobs = []; }
          busy(false);
        }
      });
    }

    function job(file, input, list) {
      var row = document.createElement("li");
      row.className = "list-group-item px-0";
      var name = document.createElement("div");
      name.className = "small text-break"; name.textContent = file.name;
      var box = document.createElement("div");
      box.className = "progress my-1"; box.setAttribute("role", "progressbar");
      box.setAttribute("aria-label", text.tusProgress + ": " + file.name);
      box.setAttribute("aria-valuemin", "0"); box.setAttribute("aria-valuemax", "100");
      box.setAttribute("aria-valuenow", "0");
      var bar = document.createElement("div");
      bar.className = "progress-bar"; bar.style.width = "0%"; bar.textContent = "0%";
      box.appendChild(bar);
      var status = document.createElement("div");
      status.className = "small"; status.setAttribute("role", "status");
      var retry = document.createElement("button");
      retry.type = "button"; retry.className = "btn btn-sm btn-outline-primary mt-1"; retry.hidden = true;
      retry.textContent = text.tusRetry;
      row.append(name, box, status, retry);
      list.appendChild(row);
      var j = {file: file, component: input.dataset.component, url: null, offset: 0, state: "waiting",
               bar: bar, box: box, status: status, retry: retry, input: input};
      retry.addEventListener("click", function () {
        retry.hidden = true; busy(true); j.state = "waiting"; runAll();
      });
      return j;
    }

    function show(j, sent) {
      var pct = j.file.size ? Math.floor(sent * 100 / j.file.size) : 100;
      j.bar.style.width = pct + "%"; j.bar.textContent = pct + "%"; j.box.setAttribute("aria-valuenow", pct);
    }

    function request(method, url, headers, body, onProgress) {
      return new Promise(function (resolve) {
        var xhr = new XMLHttpRequest();
        xhr.open(method, url);
        xhr.setRequestHeader("Tus-Resumable", "1.0.0");
        xhr.setRequestHeader("X-CSRFToken", csrf);
        Object.keys(headers).forEach(function (k) { xhr.setRequestHeader(k, headers[k]); });
        if (onProgress) xhr.upload.onprogress = function (ev) { onProgress(ev.loaded); };
        xhr.onload = function () { resolve(xhr); };
        xhr.onerror = xhr.ontimeout = xhr.onabort = function () { resolve(null); };
        xhr.send(body || null);
      });
    }

    function b64(value) { return btoa(unescape(encodeURIComponent(value))); }

    function send(j) {
      j.state = "sending"; j.status.textContent = text.tusSending; j.retry.hidden = true;
      return attempt(j, 0);
    }

    function attempt(j, tries) {
      var start = j.url ? request("HEAD", j.url, {}).then(function (xhr) {
        if (xhr && xhr.status === 200) { j.offset = parseInt(xhr.getResponseHeader("Upload-Offset"), 10); return true; }
        if (xhr && xhr.status >= 400 && xhr.status < 500) { j.url = null; j.offset = 0; return create(j); }
        return false;
      }) : create(j);
      return start.then(function (ok) { return ok ? parts(j) : false; }).then(function (ok) {
        if (ok || j.state === "refused") return;
        if (tries + 1 < AUTO_RETRIES) {
          return new Promise(function (r) { setTimeout(r, 1000 * (tries + 1)); })
            .then(function () { return attempt(j, tries + 1); });
        }
        j.state = "failed"; j.status.textContent = text.tusFailed; j.status.className = "small text-danger";
        j.retry.hidden = false;
      });
    }

    function create(j) {
      var meta = "dossier " + b64(text.dossier) + ",component " + b64(j.component) + ",filename " + b64(j.file.name);
      return request("POST", form.dataset.tusUrl, {"Upload-Length": String(j.file.size), "Upload-Metadata": meta})
        .then(function (xhr) {
          if (xhr && xhr.status === 201) { j.url = xhr.getResponseHeader("Location"); j.offset = 0; return true; }
          if (xhr && xhr.status >= 400 && xhr.status < 500) refuse(j, xhr);
          return false;
        });
    }

    function parts(j) {
      if (j.offset >= j.file.size) return done(j);
      var body = j.file.slice(j.offset, Math.min(j.offset + PART, j.file.size)), from = j.offset;
      return request("PATCH", j.url, {"Upload-Offset": String(from), "Content-Type": "application/offset+octet-stream"},
        body, function (loaded) { show(j, from + loaded); })
        .then(function (xhr) {
          if (xhr && xhr.status === 204) {
            j.offset = parseInt(xhr.getResponseHeader("Upload-Offset"), 10);
            show(j, j.offset);
            return parts(j);
          }
          if (xhr && xhr.status === 422) { refuse(j, xhr); return false; }
          return false;  // a dropped connection, a conflict: ask HEAD where to resume
        });
    }

    function done(j) {
      j.state = "done"; show(j, j.file.size);
      j.status.textContent = text.tusDone; j.status.className = "small text-success";
      return true;
    }

    function refuse(j, xhr) {
      j.state = "refused"; j.status.className = "small text-danger";
      j.status.textContent = xhr.responseText || text.uploadError;
      j.input.classList.add("is-invalid");
      j.status.id = "tus-refusal-" + j.component + "-" + jobs.indexOf(j);
      j.input.setAttribute("aria-describedby", j.status.id);  // read out with the field
    }
  }
})();
