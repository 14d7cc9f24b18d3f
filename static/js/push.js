// 手机通知 on 我的 → 设置: subscribe this browser to Web Push (the site's VAPID key) or drop it.
(function () {
  var row = document.getElementById("push-row");
  if (!row) return;
  var button = row.querySelector("[data-push-toggle]");
  var status = row.querySelector("[data-push-status]");
  var current = null;

  function say(text) { status.textContent = text; }
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !window.isSecureContext) {
    say(row.getAttribute("data-unsupported"));
    return;
  }

  function keyBytes(base64url) {
    var base64 = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function tell(body) {
    return fetch(row.getAttribute("data-url"), {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json",
                "X-CSRFToken": row.querySelector("input[name=csrfmiddlewaretoken]").value},
      body: JSON.stringify(body),
    }).then(function (response) { return response.json(); });
  }

  function show(subscription) {
    current = subscription;
    button.textContent = row.getAttribute(subscription ? "data-on" : "data-off");
    button.setAttribute("aria-pressed", subscription ? "true" : "false");
    button.hidden = false;
  }

  function turnOn(registration) {
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { say(row.getAttribute("data-denied")); return; }
      return registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: keyBytes(row.getAttribute("data-key")),
      }).then(function (subscription) {
        return tell(subscription.toJSON()).then(function (answer) {
          say(answer.message || answer.error);
          show(answer.ok ? subscription : null);
        });
      });
    });
  }

  function turnOff() {
    var subscription = current;
    return tell({endpoint: subscription.endpoint, off: true}).then(function (answer) {
      say(answer.message || answer.error);
      return subscription.unsubscribe();
    }).then(function () { show(null); });
  }

  navigator.serviceWorker.ready.then(function (registration) {
    registration.pushManager.getSubscription().then(show);
    button.addEventListener("click", function () {
      button.disabled = true;
      (current ? turnOff() : turnOn(registration))
        .catch(function () { say(row.getAttribute("data-failed")); })
        .then(function () { button.disabled = false; });
    });
  });
})();
