// The captcha's "new code" and "listen" buttons (a static file: the Content-Security-Policy forbids inline script).
// "Listen" is a link to the sound, so it works without JavaScript; here it becomes a button that creates the
// player under the image when first pressed, so no empty player shows before anyone asks for it.
(function () {
  "use strict";
  document.querySelectorAll("[data-captcha]").forEach(function (box) {
    var image = box.querySelector("img.captcha");
    var key = box.querySelector("input[type=hidden][name$='_0']");
    var answer = box.querySelector("input.captcha-answer:not([type=hidden])");
    var status = box.querySelector("[data-captcha-status]");
    var refresh = box.querySelector("[data-captcha-refresh]");
    var listen = box.querySelector("[data-captcha-listen]");
    var audio = null;

    listen.setAttribute("role", "button");

    function player() {
      if (!audio) {
        audio = document.createElement("audio");
        audio.id = listen.dataset.audioId;
        audio.className = "captcha-audio w-100 mb-2";
        audio.controls = true;
        audio.preload = "none";
        audio.setAttribute("aria-label", listen.dataset.audioLabel);
        audio.src = listen.href;
        box.querySelector(".d-flex").after(audio);
        listen.setAttribute("aria-controls", audio.id);  // only once the player exists (an id must resolve)
      }
      return audio;
    }

    refresh.addEventListener("click", function () {
      refresh.disabled = true;
      fetch(box.dataset.refreshUrl, {headers: {"X-Requested-With": "XMLHttpRequest"}, credentials: "same-origin"})
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (data) {
          key.value = data.key;
          image.src = data.image_url;
          listen.href = box.dataset.audioPattern.replace("KEY", data.key);
          if (audio) {
            audio.pause();
            audio.src = listen.href;
          }
          answer.value = "";
          answer.focus();
          status.textContent = box.dataset.refreshed;
        })
        .catch(function () { status.textContent = box.dataset.failed; })
        .finally(function () { refresh.disabled = false; });
    });

    listen.addEventListener("keydown", function (event) {
      if (event.key === " ") { event.preventDefault(); listen.click(); }  // a button answers Space as well as Enter
    });

    listen.addEventListener("click", function (event) {
      event.preventDefault();
      var sound = player();
      sound.currentTime = 0;
      sound.play().catch(function () { sound.focus(); });
    });
  });
})();
