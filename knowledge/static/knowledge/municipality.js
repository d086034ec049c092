// Remembers the reader's municipality on this device (localStorage), never in a cookie: the
// page itself depends only on its URL (?gemeente=...), so cached pages stay correct.
(function () {
  "use strict";
  var KEY = "thuisnet.gemeente";
  var params = new URLSearchParams(window.location.search);
  var store;
  try { store = window.localStorage; } catch (e) { store = null; }
  if (!store) { return; }
  if (params.has("gemeente")) {
    var chosen = params.get("gemeente");
    if (chosen) { store.setItem(KEY, chosen); } else { store.removeItem(KEY); }
    return;
  }
  var remembered = store.getItem(KEY);
  if (remembered && /^[a-z0-9-]{1,60}$/.test(remembered)) {
    params.set("gemeente", remembered);
    window.location.replace(window.location.pathname + "?" + params.toString() + window.location.hash);
  }
})();
