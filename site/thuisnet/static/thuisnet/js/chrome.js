// The "Meer" menu is a native <details>; this only closes it with Escape (focus back on its
// toggle) and when focus or a click moves elsewhere. Without script it still works.
(function () {
  "use strict";
  var menus = Array.prototype.slice.call(document.querySelectorAll("[data-nav-more]"));
  if (!menus.length) { return; }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    menus.forEach(function (menu) {
      if (menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  });
  function closeOutside(target) {
    menus.forEach(function (menu) {
      if (menu.open && !menu.contains(target)) { menu.open = false; }
    });
  }
  document.addEventListener("click", function (event) { closeOutside(event.target); });
  document.addEventListener("focusin", function (event) { closeOutside(event.target); });
})();

// Tables that scroll sideways (at 320-360 px) must be reachable from the keyboard: a wrapper
// that actually scrolls gets tabindex="0", role="region" and a name (its caption or the
// heading before it) unless the template already gave them (includes/table_wrap.html,
// {% scroll_table %}). A wrapper that no longer scrolls loses the tab stop this script added.
(function () {
  "use strict";
  var fallback = (document.documentElement.lang || "nl").indexOf("en") === 0 ? "Table" : "Tabel";
  function nameOf(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    var node = wrap;
    while (node && node !== document.body) {
      var el = node.previousElementSibling;
      while (el) {
        if (/^H[1-6]$/.test(el.tagName)) { return el.textContent.trim(); }
        el = el.previousElementSibling;
      }
      node = node.parentElement;
    }
    return fallback;
  }
  function update() {
    var wraps = document.querySelectorAll(".table-wrap");
    Array.prototype.forEach.call(wraps, function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("data-auto-focusable", "1");
      } else if (!scrolls && wrap.getAttribute("data-auto-focusable") === "1") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("data-auto-focusable");
      }
      if (wrap.hasAttribute("tabindex")) {
        if (!wrap.getAttribute("role")) { wrap.setAttribute("role", "region"); }
        if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
          wrap.setAttribute("aria-label", nameOf(wrap));
        }
      }
    });
  }
  var timer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 100);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
})();
