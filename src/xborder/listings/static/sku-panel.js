// Loads the listings compliance panel into the catalog SKU page (our own fragment, same origin).
(function () {
  "use strict";
  var nodes = document.querySelectorAll("[data-listings-panel]");
  Array.prototype.forEach.call(nodes, function (node) {
    fetch(node.getAttribute("data-listings-panel"), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html) node.innerHTML = html; })
      .catch(function () {});
  });
})();
