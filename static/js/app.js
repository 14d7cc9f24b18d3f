// The installable app: registers the service worker (/sw.js), keeps what it saved for one person only,
// and says when a page is the copy saved on this phone.
(function () {
  var body = document.body;
  var owner = body.getAttribute("data-owner") || "";
  var KEY = "gongfu-owner";

  function forget() {
    if (window.caches) { window.caches.delete("gongfu-personal"); }
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({type: "forget-personal"});
    }
  }

  // nobody logged in, or somebody else than who the saved pages belong to: drop them
  try {
    if (!owner || window.localStorage.getItem(KEY) !== owner) { forget(); }
    if (owner) { window.localStorage.setItem(KEY, owner); } else { window.localStorage.removeItem(KEY); }
  } catch (e) { forget(); }

  document.addEventListener("submit", function (event) {
    if (event.target.matches && event.target.matches("form[data-logout]")) { forget(); }
  });

  // a page kept for offline use says when it was saved
  var stamp = document.querySelector("[data-saved-at]");
  function showStamp() {
    if (!stamp) return;
    var savedAt = parseInt(stamp.getAttribute("data-saved-at"), 10) * 1000;
    stamp.hidden = navigator.onLine && Date.now() - savedAt < 120000;
  }
  showStamp();
  window.addEventListener("offline", showStamp);
  window.addEventListener("online", showStamp);

  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", {scope: "/"});
    });
  }
})();
