/* Upload with progress: shows how far the file has been sent, how many rows it has, and that
   the server is checking them. Without JavaScript the form posts as usual. */
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  var box = document.getElementById("import-progress");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");

  function say(message) { text.textContent = message; }

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
    });
    xhr.addEventListener("load", function () {
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var main = doc.querySelector("main");
      var here = document.querySelector("main");
      if (main && here) { here.replaceWith(main); } else { document.body.innerHTML = doc.body.innerHTML; }
      var focus = document.querySelector(".error-summary, .message");
      if (focus) { focus.setAttribute("tabindex", "-1"); focus.focus(); }
    });
    xhr.addEventListener("error", function () { say(box.dataset.failed); });
    xhr.send(new FormData(form));
  });
})();
