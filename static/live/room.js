/* 幸福直播间 room client, for the viewer page and the host console.
   Speaks shared/docs/live-protocol.md. Chat and announcements are always inserted as text. */
(function () {
  "use strict";
  var root = document.getElementById("live-room");
  if (!root) return;
  var strings = document.getElementById("live-i18n");
  var t = strings ? JSON.parse(strings.textContent) : {};
  // the console says so in its markup; on the viewer page the server's hello says whether you moderate
  var isModerator = root.dataset.moderator === "1";
  var loggedIn = root.dataset.loggedIn === "1";
  function $(role) { return root.querySelector('[data-role="' + role + '"]'); }
  var chatList = $("chat"), form = $("chat-form"), errorBox = $("error"), connBox = $("conn");
  var pinnedBox = $("pinned"), flashBox = $("flash"), announceBox = $("announce");
  var ordersBox = $("orders"), buyError = $("buy-error");
  var seen = {};
  var socket = null, retry = 0, counter = 0;
  var flash = null, flashTimer = null, hls = null, pendingLikes = 0, sentChat = null;

  function setText(role, value) { var el = $(role); if (el) el.textContent = value; }
  function setConn(text) { if (connBox) connBox.textContent = text; }
  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(frame)); return true; }
    return false;
  }
  function field(box, name) { return box.querySelector('[data-field="' + name + '"]'); }

  /* --- video: HLS through hls.js (from npm), or the browser's own HLS ------------------ */
  function startPlayer() {
    var video = $("video");
    if (!video) return;
    video.hidden = false;
    var placeholder = $("placeholder");
    if (placeholder) placeholder.hidden = true;
    var src = video.dataset.hls;
    if (window.Hls && window.Hls.isSupported()) {
      if (hls) return;
      hls = new window.Hls({ liveSyncDurationCount: 2 });
      hls.on(window.Hls.Events.ERROR, function (_e, data) {
        if (!data.fatal) return;
        if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR) { hls.recoverMediaError(); return; }
        hls.destroy(); hls = null;           // the playlist may not exist yet: try again shortly
        setTimeout(function () { if (playing()) startPlayer(); }, 2000);
      });
      hls.loadSource(src);
      hls.attachMedia(video);
      hls.on(window.Hls.Events.MANIFEST_PARSED, function () { video.play().catch(function () {}); });
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = src;
      video.play().catch(function () {});
    }
  }
  function stopPlayer() {
    if (hls) { hls.destroy(); hls = null; }
    var video = $("video"), placeholder = $("placeholder");
    if (video) { video.hidden = true; video.removeAttribute("src"); }
    if (placeholder) { placeholder.hidden = false; placeholder.textContent = t.endedNote || ""; }
  }
  // live, or live and waiting for the host's encoder to come back (the player keeps trying)
  function playing() { return root.dataset.status === "live" || root.dataset.status === "reconnecting"; }
  function setStatus(status) {
    var was = root.dataset.status;
    root.dataset.status = status;
    var badge = $("status");
    if (badge) { badge.textContent = t["status." + status] || t[status] || status; badge.className = "status-badge status-" + status; }
    var notice = $("reconnecting");
    if (notice) notice.hidden = status !== "reconnecting";
    if (status === "live" && was === "reconnecting" && hls) { hls.destroy(); hls = null; }  // pick the new stream up
    if (playing()) startPlayer(); else if (status === "ended") stopPlayer();
  }

  /* --- chat ------------------------------------------------------------------------------- */
  function addChat(ev) {
    if (seen[ev.id]) return;
    seen[ev.id] = true;
    var li = document.createElement("li");
    li.dataset.id = ev.id;
    var who = document.createElement("strong");
    who.textContent = ev.user + "：";
    var text = document.createElement("span");
    text.textContent = ev.text;
    li.appendChild(who);
    li.appendChild(text);
    if (isModerator) {
      li.appendChild(tool(t.hide, function () { send({ type: "hide", message_id: ev.id }); }));
      if (ev.user_id) li.appendChild(tool(t.mute, function () { send({ type: "mute", user_id: ev.user_id, minutes: 10 }); }));
    }
    // keep id order even when messages from two server processes cross
    var next = null;
    for (var i = chatList.children.length - 1; i >= 0; i--) {
      if (Number(chatList.children[i].dataset.id) < ev.id) break;
      next = chatList.children[i];
    }
    chatList.insertBefore(li, next);
    while (chatList.children.length > 200) chatList.removeChild(chatList.firstChild);
    chatList.scrollTop = chatList.scrollHeight;
  }
  function tool(label, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-link btn-sm chat-tool";
    b.textContent = label;
    b.addEventListener("click", action);
    return b;
  }

  /* --- products: pinned card, flash sale, 立即购买 -------------------------------------- */
  function showPinned(product) {
    if (!pinnedBox) return;
    pinnedBox.hidden = !product;
    if (!product) return;
    field(pinnedBox, "title").textContent = product.title;
    field(pinnedBox, "live_price").textContent = "¥" + (product.live_price || product.price);
    field(pinnedBox, "price").textContent = product.live_price ? "¥" + product.price : "";
    field(pinnedBox, "url").href = product.url;
    field(pinnedBox, "product_id").value = product.id;
    var img = field(pinnedBox, "image");
    if (product.image) { img.src = product.image; img.hidden = false; } else { img.hidden = true; }
  }

  function showFlash(ev) {
    if (!flashBox) return;
    flash = ev;
    flashBox.hidden = false;
    flashBox.classList.remove("is-over");
    if (ev.title) field(flashBox, "title").textContent = ev.title;
    field(flashBox, "price").textContent = "¥" + ev.price;
    field(flashBox, "remaining").textContent = ev.remaining;
    field(flashBox, "limit").textContent = ev.per_user_limit || "";
    field(flashBox, "product_id").value = ev.product_id;
    clearInterval(flashTimer);
    tick();
    flashTimer = setInterval(tick, 1000);
  }
  function tick() {
    if (!flash) return;
    var left = Math.max(0, Math.round((Date.parse(flash.ends_at) - Date.now()) / 1000));
    var mm = Math.floor(left / 60), ss = left % 60;
    field(flashBox, "countdown").textContent = mm + ":" + (ss < 10 ? "0" : "") + ss;
  }
  function endFlash(ev) {
    if (!flashBox || !flash || flash.product_id !== ev.product_id) return;
    clearInterval(flashTimer);
    flashBox.classList.add("is-over");
    field(flashBox, "countdown").textContent = t[ev.reason] || ev.reason;
    if (ev.reason === "sold_out") field(flashBox, "remaining").textContent = "0";
    flash = null;
    setTimeout(function () { if (!flash) flashBox.hidden = true; }, 4000);
  }

  function wireBuyForms() {
    root.querySelectorAll('[data-role="buy-form"]').forEach(function (buyForm) {
      buyForm.addEventListener("submit", function (e) {
        if (!loggedIn) { e.preventDefault(); location.href = root.dataset.loginUrl; return; }
        var productId = Number(buyForm.querySelector('[name="product_id"]').value);
        var frame = { type: "buy", product_id: productId, quantity: 1 };
        if (flashBox && flashBox.contains(buyForm) && flash) frame.flash_id = flash.id;
        if (buyError) buyError.textContent = "";
        if (send(frame)) e.preventDefault();   // otherwise the plain form post does the same
      });
    });
  }

  function showOrder(ev) {
    if (!ordersBox) return;
    var li = document.createElement("li");
    li.textContent = ev.buyer + " " + (t.justOrdered || "") + " " + ev.product_title + " × " + ev.quantity;
    ordersBox.appendChild(li);
    while (ordersBox.children.length > 3) ordersBox.removeChild(ordersBox.firstChild);
    setTimeout(function () { li.remove(); }, 8000);
  }

  function showAnnounce(text) {
    if (!announceBox) return;
    announceBox.textContent = text || "";
    announceBox.hidden = !text;
  }

  function showFigures(ev) {
    setText("orders-count", ev.orders);
    setText("units", ev.units);
    setText("gmv", ev.gmv);
    var chart = $("chart");
    if (!chart) return;
    var rows = (ev.per_minute || []).slice(-30);
    var top = Math.max.apply(null, [1].concat(rows.map(function (r) { return r.units; })));
    var ns = "http://www.w3.org/2000/svg", width = 300 / 30;
    while (chart.firstChild) chart.removeChild(chart.firstChild);
    rows.forEach(function (r, i) {
      var h = Math.max(2, 64 * r.units / top);
      var bar = document.createElementNS(ns, "rect");
      bar.setAttribute("x", i * width + 1); bar.setAttribute("y", 70 - h);
      bar.setAttribute("width", width - 2); bar.setAttribute("height", h);
      var title = document.createElementNS(ns, "title");
      title.textContent = r.minute + " · " + r.units;
      bar.appendChild(title);
      chart.appendChild(bar);
    });
  }

  /* --- events ----------------------------------------------------------------------------- */
  var handlers = {
    hello: function (ev) {
      if (ev.you && ev.you.is_moderator) isModerator = true;
      (ev.history || []).forEach(addChat);
      showPinned(ev.pinned);
      if (ev.flash) showFlash(ev.flash);
      showAnnounce(ev.announce);
      setText("viewers", ev.viewers);
      setText("likes", ev.likes);
      setStatus(ev.session.status);
    },
    chat: function (ev) {
      addChat(ev);
      var input = form && form.querySelector("input[name=text]");
      if (sentChat && ev.client_id === sentChat.id && input && input.value.trim() === sentChat.text) input.value = "";
      if (sentChat && ev.client_id === sentChat.id) sentChat = null;
    },
    "chat.hidden": function (ev) {
      var li = chatList.querySelector('[data-id="' + ev.id + '"]');
      if (li) li.remove();
    },
    pin: function (ev) { showPinned(ev.product); },
    unpin: function () { showPinned(null); },
    flash: showFlash,
    "flash.end": endFlash,
    order: showOrder,
    stats: function (ev) { setText("viewers", ev.viewers); setText("likes", ev.likes); },
    figures: showFigures,
    announce: function (ev) { showAnnounce(ev.text); },
    status: function (ev) { setStatus(ev.status); },
    bought: function (ev) { location.href = ev.checkout_url; },
    error: function (ev) {
      var box = ["sold_out", "limit_reached"].indexOf(ev.code) >= 0 && buyError ? buyError : errorBox;
      if (box) box.textContent = ev.message;
    },
  };

  function handle(ev) {
    if (ev.type === "batch") { (ev.events || []).forEach(handle); return; }
    var fn = handlers[ev.type];
    if (fn) fn(ev);
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.wsPath);
    setConn(t.connecting || "…");
    socket.onopen = function () { retry = 0; setConn(t.online || ""); };
    socket.onmessage = function (msg) {
      try { handle(JSON.parse(msg.data)); } catch (e) { /* ignore malformed frames */ }
    };
    socket.onclose = function (ev) {
      if (ev.code === 4404 || ev.code === 4410) return;
      setConn(t.reconnecting || "…");
      var delay = Math.min(30000, 500 * Math.pow(2, retry++)) * (0.5 + Math.random() / 2);
      setTimeout(connect, delay);
    };
  }

  /* --- what the user does -------------------------------------------------------------------- */
  if (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var input = form.querySelector("input[name=text]");
      var text = input.value.trim();
      if (!text) return;
      if (errorBox) errorBox.textContent = "";
      // the box is cleared when the server has taken the message (its echo), so a refused one
      // (too fast, muted, too long) stays there to send again
      var id = "c" + Date.now() + "-" + (++counter);
      if (send({ type: "chat", text: text, client_id: id })) sentChat = { id: id, text: text };
    });
  }
  var likeButton = $("like");
  if (likeButton) {
    likeButton.addEventListener("click", function () { pendingLikes = Math.min(20, pendingLikes + 1); });
    setInterval(function () {   // likes go out at most twice a second, counted together
      if (pendingLikes && send({ type: "like", count: pendingLikes })) pendingLikes = 0;
    }, 500);
  }
  root.querySelectorAll('[data-action="pin"]').forEach(function (b) {
    b.addEventListener("click", function () { send({ type: "pin", product_id: Number(b.dataset.productId) }); });
  });
  function on(action, fn) { var b = root.querySelector('[data-action="' + action + '"]'); if (b) b.addEventListener("click", fn); }
  on("unpin", function () { send({ type: "unpin" }); });
  on("flash-stop", function () { send({ type: "flash.stop" }); });
  on("announce-clear", function () { send({ type: "announce", text: "" }); });
  var flashForm = $("flash-form");
  if (flashForm) {
    flashForm.addEventListener("submit", function (e) {
      e.preventDefault();
      var v = function (name) { return flashForm.elements[name].value.trim(); };
      if (errorBox) errorBox.textContent = "";
      send({ type: "flash.start", product_id: Number(v("product_id")), price: v("price"),
             quantity: Number(v("quantity")), per_user_limit: Number(v("per_user_limit")),
             duration_s: Number(v("duration_s")) });
    });
  }
  var announceForm = $("announce-form");
  if (announceForm) {
    announceForm.addEventListener("submit", function (e) {
      e.preventDefault();
      send({ type: "announce", text: announceForm.elements.text.value.trim() });
    });
  }
  wireBuyForms();
  if (playing()) startPlayer();
  connect();
})();
