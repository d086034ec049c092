// Similar questions and articles while the title is typed. Without JavaScript the
// "Zoek eerst vergelijkbare vragen" button does the same with a normal form post.
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest-url]");
  if (!form) { return; }
  var input = form.querySelector("[data-suggest]");
  var box = document.getElementById("knowledge-suggestions");
  if (!input || !box) { return; }
  var url = form.getAttribute("data-suggest-url");
  var timer = null;
  var last = "";
  var heading = document.documentElement.lang === "en" ? "Similar to your question" : "Lijkt op je vraag";

  function render(results) {
    while (box.firstChild) { box.removeChild(box.firstChild); }
    if (!results.length) { return; }
    var h = document.createElement("h2");
    h.textContent = heading;
    box.appendChild(h);
    var ul = document.createElement("ul");
    results.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.url;
      a.textContent = r.title;
      a.target = "_blank";
      a.rel = "noopener";
      var badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = r.kind_label;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(badge);
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  function lookup() {
    var q = input.value.trim();
    if (q === last) { return; }
    last = q;
    if (q.length < 3) { render([]); return; }
    fetch(url + "?q=" + encodeURIComponent(q), {credentials: "same-origin",
      headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {results: []}; })
      .then(function (data) { if (input.value.trim() === q) { render(data.results || []); } })
      .catch(function () { /* suggestions are a nicety; the form still works */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookup, 300);
  });
  // The form may arrive filled in (from the search page, or typed before this deferred
  // script ran on a slow connection): look that text up at once.
  lookup();
})();
