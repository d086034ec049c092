// Suggestions while typing in the site search box: the ARIA 1.2 combobox pattern with a
// listbox (aria-expanded, aria-activedescendant, arrow keys, Enter, Escape, the count
// announced in a live region). Only the same host is asked and only same-host links are
// followed. Without JavaScript the field stays a plain search form.
(function () {
  "use strict";
  var wrap = document.querySelector(".search-suggest[data-suggest-url]");
  if (!wrap || !window.fetch) { return; }
  var input = wrap.querySelector("input[type=search]");
  var url = wrap.getAttribute("data-suggest-url");
  if (!input || !url || url.charAt(0) !== "/" || url.charAt(1) === "/") { return; }

  var listId = input.id + "-suggestions";
  var list = document.createElement("ul");
  list.id = listId;
  list.className = "search-suggest__list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-labelledby", input.id + "-label");
  list.hidden = true;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  wrap.appendChild(list);
  wrap.appendChild(status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", listId);
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("autocomplete", "off");

  var items = [];
  var active = -1;
  var timer = null;
  var last = input.value.trim();
  var pending = null;

  function sameHost(href) {
    try { return new URL(href, window.location.href).origin === window.location.origin; }
    catch (e) { return false; }
  }

  function message(n) {
    if (n === 0) { return wrap.getAttribute("data-msg-none") || ""; }
    if (n === 1) { return wrap.getAttribute("data-msg-one") || "1"; }
    return (wrap.getAttribute("data-msg-many") || "{n}").replace("{n}", String(n));
  }

  function setActive(i) {
    active = i;
    items.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
    if (i >= 0 && items[i]) {
      input.setAttribute("aria-activedescendant", items[i].id);
      if (items[i].scrollIntoView) { items[i].scrollIntoView({block: "nearest"}); }
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  }

  function go(li) {
    var href = li && li.getAttribute("data-href");
    if (href && sameHost(href)) { window.location.assign(href); }
  }

  function render(suggestions, announce) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    items = [];
    suggestions.filter(function (s) { return sameHost(s.url); }).forEach(function (s, i) {
      var li = document.createElement("li");
      li.id = listId + "-" + i;
      li.className = "search-suggest__option";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-href", s.url);
      var title = document.createElement("span");
      title.textContent = s.title;
      var badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = s.kind_label;
      li.appendChild(title);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(badge);
      // mousedown, not click: keeps the focus in the field until we navigate.
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); go(li); });
      list.appendChild(li);
      items.push(li);
    });
    setActive(-1);
    if (items.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    } else {
      close();
    }
    if (announce) { status.textContent = message(items.length); }
  }

  function lookup() {
    var q = input.value.trim();
    if (q === last) { return; }
    last = q;
    if (pending) { pending.abort(); pending = null; }
    if (q.length < 2) { render([], false); status.textContent = ""; return; }
    pending = window.AbortController ? new AbortController() : null;
    fetch(url + "?q=" + encodeURIComponent(q), {
      credentials: "same-origin",
      headers: {"Accept": "application/json"},
      signal: pending ? pending.signal : undefined
    })
      .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
      .then(function (data) {
        if (input.value.trim() === q) { render(data.suggestions || [], true); }
      })
      .catch(function () { /* a nicety: the search form still works */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookup, 250);
  });

  input.addEventListener("keydown", function (ev) {
    var open = !list.hidden && items.length > 0;
    if (ev.key === "ArrowDown") {
      ev.preventDefault();
      if (!open && items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      if (items.length) { setActive(active + 1 >= items.length ? 0 : active + 1); }
    } else if (ev.key === "ArrowUp") {
      ev.preventDefault();
      if (!open && items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      if (items.length) { setActive(active <= 0 ? items.length - 1 : active - 1); }
    } else if (ev.key === "Enter") {
      if (open && active >= 0) { ev.preventDefault(); go(items[active]); }
      // Otherwise the form submits: a normal search.
    } else if (ev.key === "Escape") {
      if (open) { ev.preventDefault(); close(); }
    }
  });

  input.addEventListener("blur", function () { window.setTimeout(close, 150); });
})();
