// After htmx shows the answer of the funding wizard, move the focus to it (or to the error
// summary), so keyboard and screen-reader users land on what changed.
document.addEventListener("htmx:afterSettle", function (event) {
  var target = event.detail && event.detail.target;
  if (!target || target.id !== "wizard") { return; }
  var heading = document.getElementById("uitkomst-titel") || document.getElementById("foutmeldingen");
  if (heading) { heading.focus(); }
});
