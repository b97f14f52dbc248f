// Filters of a report page: optional (without script every change is shown), no network.
(function () {
  "use strict";
  var form = document.querySelector("form.filters");
  if (!form) { return; }
  form.hidden = false;
  function apply() {
    var on = {};
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      on[box.name + ":" + box.value] = box.checked;
    });
    document.querySelectorAll("[data-table][data-kind]").forEach(function (item) {
      item.hidden = !(on["table:" + item.dataset.table] !== false && on["kind:" + item.dataset.kind] !== false);
    });
    document.querySelectorAll("section.changes").forEach(function (section) {
      section.hidden = section.querySelector("[data-kind]:not([hidden])") === null;
    });
    var shown = document.querySelectorAll("li.change:not([hidden])").length;
    form.querySelector("output").textContent = shown + " shown";
  }
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  apply();
}());
