// A page waiting on news from the server (a payment being confirmed) looks again every few seconds, at the
// address the server gives (which counts the looks, so the wait is bounded).
(function () {
  var waiting = document.querySelector("[data-refresh]");
  if (!waiting) return;
  var seconds = parseInt(waiting.getAttribute("data-refresh"), 10) || 5;
  var next = waiting.getAttribute("data-refresh-url");
  setTimeout(function () {
    if (next) window.location.replace(next); else window.location.reload();
  }, seconds * 1000);
})();
