// A page waiting on news from the server (a payment being confirmed) looks again every few seconds.
(function () {
  var waiting = document.querySelector("[data-refresh]");
  if (!waiting) return;
  var seconds = parseInt(waiting.getAttribute("data-refresh"), 10) || 5;
  setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
