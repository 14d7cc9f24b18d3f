// 共富超市 service worker (Workbox, from npm): rendered by mine/pwa.py, served at /sw.js.
importScripts({{ workbox_sw|safe }});
const MODULES = {{ modules|safe }};
workbox.setConfig({debug: false, modulePathCb: (name) => MODULES[name]});

const PERSONAL = "gongfu-personal";
const PERSONAL_PAGES = {{ personal_pages|safe }};

self.skipWaiting();
workbox.core.clientsClaim();

// Only a signed-in page as it was served (never a redirect to the login page, never an error).
const signedInPagesOnly = {
  cacheWillUpdate: async ({response}) => (response && response.ok && !response.redirected &&
    response.headers.get("X-Personal-Page") === "1") ? response : null,
};

// 我的 and 我的活动预约: from the network while there is one, else as last saved.
workbox.routing.registerRoute(
  ({request, url}) => request.mode === "navigate" && PERSONAL_PAGES.includes(url.pathname),
  new workbox.strategies.NetworkFirst({cacheName: PERSONAL, networkTimeoutSeconds: 5, plugins: [signedInPagesOnly]})
);

// The site's own CSS, scripts and icons.
workbox.routing.registerRoute(
  ({url}) => url.origin === self.location.origin && url.pathname.startsWith({{ static_prefix|safe }}),
  new workbox.strategies.StaleWhileRevalidate({
    cacheName: "gongfu-static",
    plugins: [new workbox.expiration.ExpirationPlugin({maxEntries: 80, maxAgeSeconds: 30 * 24 * 3600})],
  })
);

// Every other page: the network, or the offline page (nothing personal on it).
workbox.routing.registerRoute(({request}) => request.mode === "navigate", new workbox.strategies.NetworkOnly());
workbox.recipes.offlineFallback({pageFallback: "/offline/"});

// The page tells the worker to forget what it kept (logging out, another person logging in).
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "forget-personal") {
    event.waitUntil(caches.delete(PERSONAL));
  }
});

// 手机通知 (Web Push): the site's notices (notices/notify.py) as the phone's own notifications.
self.addEventListener("push", (event) => {
  let notice = {};
  try { notice = event.data ? event.data.json() : {}; } catch (e) { notice = {body: event.data.text()}; }
  event.waitUntil(self.registration.showNotification(notice.title || "共富超市", {
    body: notice.body || "", tag: notice.tag, data: {url: notice.url || "/me/"},
    icon: {{ icon|safe }}, badge: {{ icon|safe }}, lang: "zh-CN",
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data.url, self.location.origin);
  if (url.origin !== self.location.origin) return;
  event.waitUntil(self.clients.matchAll({type: "window", includeUncontrolled: true}).then((windows) => {
    const open = windows.find((w) => w.url === url.href);
    return open ? open.focus() : self.clients.openWindow(url.href);
  }));
});
