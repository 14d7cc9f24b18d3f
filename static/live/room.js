/* 幸福直播间 room client: speaks shared/docs/live-protocol.md. Chat text is always inserted as text. */
(function () {
  "use strict";
  var root = document.getElementById("live-room");
  if (!root) return;
  var t = window.LIVE_I18N || {};
  var chatList = root.querySelector('[data-role="chat"]');
  var form = root.querySelector('[data-role="chat-form"]');
  var errorBox = root.querySelector('[data-role="error"]');
  var connBox = root.querySelector('[data-role="conn"]');
  var pinnedBox = root.querySelector('[data-role="pinned"]');
  var announceBox = root.querySelector('[data-role="announce"]');
  var seen = {};
  var socket = null;
  var retry = 0;
  var counter = 0;

  function setConn(text) { if (connBox) connBox.textContent = text; }

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
    chatList.appendChild(li);
    while (chatList.children.length > 200) chatList.removeChild(chatList.firstChild);
    chatList.scrollTop = chatList.scrollHeight;
  }

  function showPinned(product) {
    if (!pinnedBox) return;
    pinnedBox.hidden = !product;
    if (!product) return;
    var field = function (name) { return pinnedBox.querySelector('[data-field="' + name + '"]'); };
    field("title").textContent = product.title;
    field("live_price").textContent = "¥" + (product.live_price || product.price);
    field("price").textContent = product.live_price ? "¥" + product.price : "";
    field("url").href = product.url;
    var img = field("image");
    if (product.image) { img.src = product.image; img.hidden = false; } else { img.hidden = true; }
  }

  function showAnnounce(text) {
    if (!announceBox) return;
    announceBox.textContent = text || "";
    announceBox.hidden = !text;
  }

  var handlers = {
    hello: function (ev) {
      (ev.history || []).forEach(addChat);
      showPinned(ev.pinned);
      showAnnounce(ev.announce);
    },
    pin: function (ev) { showPinned(ev.product); },
    unpin: function () { showPinned(null); },
    announce: function (ev) { showAnnounce(ev.text); },
    chat: addChat,
    "chat.hidden": function (ev) {
      var li = chatList.querySelector('[data-id="' + ev.id + '"]');
      if (li) li.remove();
    },
    status: function (ev) { var s = root.querySelector('[data-role="status"]'); if (s) s.textContent = ev.status; },
    error: function (ev) { if (errorBox) errorBox.textContent = ev.message; },
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

  if (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var input = form.querySelector("input[name=text]");
      var text = input.value.trim();
      if (!text || !socket || socket.readyState !== WebSocket.OPEN) return;
      if (errorBox) errorBox.textContent = "";
      socket.send(JSON.stringify({ type: "chat", text: text, client_id: "c" + Date.now() + "-" + (++counter) }));
      input.value = "";
    });
  }
  connect();
})();
