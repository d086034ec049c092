// Forms marked data-once are sent once: a double click does not send them twice.
// (The server also refuses a replayed form token, so this is a courtesy, not the guard.)
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.hasAttribute("data-once")) return;
  if (form.dataset.sent === "1") { event.preventDefault(); return; }
  form.dataset.sent = "1";
});
