/* Buttons with data-action="print" print the page (no inline onclick: the site's CSP forbids it). */
document.addEventListener("click", function (event) {
  var button = event.target.closest('[data-action="print"]');
  if (button) { event.preventDefault(); window.print(); }
});
