/* Upload with progress: shows how far the file has been sent, then, live, how many rows the
   server has checked (it keeps its progress under a random token that only this user can
   read; polled twice a second), then that it is saving. Without JavaScript the form posts
   as usual. */
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  var box = document.getElementById("import-progress");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");

  function say(message) { text.textContent = message; }

  function token() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  /* Poll the server's progress until the upload's answer arrives (``done`` turns true). */
  function follow(url, state) {
    if (state.done) { return; }
    var poll = new XMLHttpRequest();
    poll.open("GET", url);
    poll.addEventListener("load", function () {
      if (state.done) { return; }
      var p = null;
      try { p = JSON.parse(poll.responseText); } catch (e) { p = null; }
      if (p && p.stage === "checking" && p.total) {
        bar.max = p.total;
        bar.value = p.done;
        say(box.dataset.checkingProgress.replace("{done}", p.done).replace("{total}", p.total) +
            " (" + Math.floor((100 * p.done) / p.total) + "%)");
      } else if (p && (p.stage === "saving" || p.stage === "done")) {
        bar.max = 1; bar.value = 1;
        say(box.dataset.saving);
      }
      window.setTimeout(function () { follow(url, state); }, 500);
    });
    poll.send();
  }

  form.addEventListener("submit", function (event) {
    var input = form.querySelector("input[type=file]");
    var file = input && input.files && input.files[0];
    if (!file) { return; }
    event.preventDefault();
    box.hidden = false;
    bar.value = 0;
    say(box.dataset.sending);
    var rows = null;
    if (/\.(csv|txt)$/i.test(file.name) && file.text) {
      file.text().then(function (content) {
        rows = Math.max(content.split(/\r?\n/).filter(function (l) { return l.trim(); }).length - 1, 0);
      });
    }
    var state = { done: false };
    var key = null;
    try { key = token(); } catch (e) { key = null; }
    var data = new FormData(form);
    if (key) { data.append("progress_token", key); }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        bar.max = e.total;
        bar.value = e.loaded;
        say(box.dataset.sending + " " + Math.round((100 * e.loaded) / e.total) + "%");
      }
    });
    xhr.upload.addEventListener("load", function () {
      bar.removeAttribute("value"); /* indeterminate while the server checks every row */
      say(rows === null ? box.dataset.checking : box.dataset.checkingRows.replace("%s", rows));
      if (key) { follow(box.dataset.progressUrl.replace("TOKEN", key), state); }
    });
    xhr.addEventListener("load", function () {
      state.done = true;
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var main = doc.querySelector("main");
      var here = document.querySelector("main");
      if (main && here) { here.replaceWith(main); } else { document.body.innerHTML = doc.body.innerHTML; }
      var focus = document.querySelector(".error-summary, .message");
      if (focus) { focus.setAttribute("tabindex", "-1"); focus.focus(); }
    });
    xhr.addEventListener("error", function () { state.done = true; say(box.dataset.failed); });
    xhr.send(data);
  });
})();
