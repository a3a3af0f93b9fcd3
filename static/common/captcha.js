// The captcha's "new code" and "listen" buttons (a static file: the Content-Security-Policy forbids inline script).
(function () {
  "use strict";
  document.querySelectorAll("[data-captcha]").forEach(function (box) {
    var image = box.querySelector("img.captcha");
    var audio = box.querySelector("audio");
    var key = box.querySelector("input[type=hidden][name$='_0']");
    var answer = box.querySelector("input.captcha-answer:not([type=hidden])");
    var status = box.querySelector("[data-captcha-status]");
    var refresh = box.querySelector("[data-captcha-refresh]");
    var listen = box.querySelector("[data-captcha-listen]");

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
          audio.pause();
          audio.src = box.dataset.audioPattern.replace("KEY", data.key);
          answer.value = "";
          answer.focus();
          status.textContent = box.dataset.refreshed;
        })
        .catch(function () { status.textContent = box.dataset.failed; })
        .finally(function () { refresh.disabled = false; });
    });

    listen.addEventListener("click", function () {
      audio.currentTime = 0;
      audio.play().catch(function () { audio.focus(); });
    });
  });
})();
