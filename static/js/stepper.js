// −/+ steppers on quantity boxes (the product page and the basket). On the basket a press saves at once,
// as shopping mini-programs do; without script the number box and 更新 still work.
(function () {
  var boxes = document.querySelectorAll("input[data-stepper]");
  Array.prototype.forEach.call(boxes, function (box) {
    var wrap = box.closest(".stepper");
    if (!wrap) return;
    var less = wrap.querySelector("[data-step='-1']");
    var more = wrap.querySelector("[data-step='1']");
    var form = box.form;
    var saveAtOnce = box.hasAttribute("data-stepper-save");
    function value() { var n = parseInt(box.value, 10); return isNaN(n) ? 1 : n; }
    function refresh() {
      less.disabled = value() <= 1;  // 删除 removes a line; − never empties it by surprise
      var max = parseInt(box.getAttribute("max"), 10);
      more.disabled = !isNaN(max) && value() >= max;
    }
    function step(by) {
      box.value = Math.max(1, value() + by);
      refresh();
      if (saveAtOnce && form) {
        less.disabled = more.disabled = true;
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      }
    }
    less.hidden = more.hidden = false;
    less.addEventListener("click", function () { step(-1); });
    more.addEventListener("click", function () { step(1); });
    box.addEventListener("input", refresh);
    refresh();
    if (saveAtOnce) {
      var update = wrap.parentNode.querySelector("[data-stepper-update]");
      if (update) { update.hidden = true; }
      box.addEventListener("change", function () { if (form.requestSubmit) form.requestSubmit(); });
    }
  });
})();
