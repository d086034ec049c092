// The API docs load nothing from other hosts. ReDoc's menu footer always renders
// <img src="https://cdn.redoc.ly/redoc/logo-mini.svg"> (no option turns it off), and an
// image starts loading as soon as its src is set, before it reaches the page. So, before the
// bundle runs, image sources on that one host are refused; the footer link keeps its text.
(function () {
  "use strict";
  var FOREIGN = "https://cdn.redoc.ly/";
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof HTMLImageElement && String(name).toLowerCase() === "src" &&
        String(value).indexOf(FOREIGN) === 0) {
      return;
    }
    return setAttribute.call(this, name, value);
  };
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) {
      if (String(value).indexOf(FOREIGN) === 0) return;
      src.set.call(this, value);
    },
  });
})();
