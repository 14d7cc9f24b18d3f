/* 幸福直播间 replay: the room's history (chat, pinned products, announcements, flash sales, orders)
   shown in step with the recording's time. Everything is inserted as text. */
(function () {
  "use strict";
  var root = document.getElementById("live-replay");
  var data = document.getElementById("replay-events");
  if (!root || !data) return;
  var events = JSON.parse(data.textContent);
  var strings = document.getElementById("live-i18n");
  var t = strings ? JSON.parse(strings.textContent) : {};
  function $(role) { return root.querySelector('[data-role="' + role + '"]'); }
  function field(box, name) { return box.querySelector('[data-field="' + name + '"]'); }
  var video = $("replay"), chatList = $("chat"), pinnedBox = $("pinned"), flashBox = $("flash");
  var announceBox = $("announce"), ordersBox = $("orders"), result = $("add-result");
  var shown = 0;          // events[0 .. shown) are on the page
  var state = {};

  function addChat(ev) {
    var li = document.createElement("li");
    var who = document.createElement("strong");
    who.textContent = ev.user + "：";
    var text = document.createElement("span");
    text.textContent = ev.text;
    li.appendChild(who);
    li.appendChild(text);
    chatList.appendChild(li);
    while (chatList.children.length > 200) chatList.removeChild(chatList.firstChild);
  }
  function showPinned(product) {
    pinnedBox.hidden = !product;
    if (!product) return;
    field(pinnedBox, "title").textContent = product.title;
    field(pinnedBox, "price").textContent = product.price ? "¥" + product.price : "";
    field(pinnedBox, "url").href = product.url;
    field(pinnedBox, "product_id").value = product.id;
    field(pinnedBox, "add").hidden = !product.available;
    field(pinnedBox, "unavailable").hidden = product.available;
    var img = field(pinnedBox, "image");
    if (product.image) { img.src = product.image; img.hidden = false; } else { img.hidden = true; }
  }
  function showFlash(ev) {
    flashBox.hidden = !ev;
    if (!ev) return;
    field(flashBox, "title").textContent = ev.title;
    field(flashBox, "price").textContent = "¥" + ev.price;
    field(flashBox, "quantity").textContent = ev.quantity;
    field(flashBox, "sold").textContent = ev.sold;
  }
  function showAnnounce(text) {
    announceBox.textContent = text || "";
    announceBox.hidden = !text;
  }
  function showOrders(now) {
    while (ordersBox.firstChild) ordersBox.removeChild(ordersBox.firstChild);
    (state.orders || []).filter(function (ev) { return now - ev.t < 8; }).slice(-3).forEach(function (ev) {
      var li = document.createElement("li");
      li.textContent = ev.buyer + " " + (t.justOrdered || "") + " " + ev.product_title + " × " + ev.quantity;
      ordersBox.appendChild(li);
    });
  }
  function apply(ev) {
    if (ev.type === "chat") addChat(ev);
    else if (ev.type === "pin") state.pinned = ev.product;
    else if (ev.type === "unpin") state.pinned = null;
    else if (ev.type === "announce") state.announce = ev.text;
    else if (ev.type === "flash") state.flash = ev;
    else if (ev.type === "flash.end") { if (state.flash && state.flash.product_id === ev.product_id) state.flash = null; }
    else if (ev.type === "order") state.orders = (state.orders || []).concat([ev]).slice(-3);
  }
  // the page as it was at `now` seconds into the video
  function render(now) {
    if (shown > 0 && events[shown - 1].t > now) {        // went back: start again from the beginning
      shown = 0; state = {};
      while (chatList.firstChild) chatList.removeChild(chatList.firstChild);
    }
    var before = shown;
    while (shown < events.length && events[shown].t <= now) apply(events[shown++]);
    if (shown !== before || before === 0) {
      showPinned(state.pinned);
      showFlash(state.flash);
      showAnnounce(state.announce);
      chatList.scrollTop = chatList.scrollHeight;
    }
    showOrders(now);
  }
  ["timeupdate", "seeked", "loadedmetadata"].forEach(function (name) {
    video.addEventListener(name, function () { render(video.currentTime); });
  });
  render(0);

  root.querySelectorAll('[data-role="chapter"]').forEach(function (link) {
    link.addEventListener("click", function (e) {
      e.preventDefault();
      video.currentTime = Number(link.dataset.t);
      render(video.currentTime);
      video.play().catch(function () {});
    });
  });

  var addForm = $("add-form");
  addForm.addEventListener("submit", function (e) {
    e.preventDefault();                  // stay on the replay: the video keeps its place
    result.textContent = "";
    fetch(addForm.action, { method: "POST", body: new FormData(addForm), credentials: "same-origin",
                            headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        result.textContent = answer.message + " ";
        result.className = answer.ok ? "buy-result text-success" : "buy-result text-danger";
        if (answer.ok) {
          var link = document.createElement("a");
          link.href = answer.basket_url;
          link.textContent = t.toBasket || "";
          result.appendChild(link);
        }
      })
      .catch(function () { addForm.submit(); });
  });
})();
