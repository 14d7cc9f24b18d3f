// 获取验证码: while the server would refuse a new code, the button counts down instead.
(function () {
  var button = document.querySelector(".btn-send-code");
  if (!button) return;
  var left = parseInt(button.getAttribute("data-wait"), 10) || 0;
  var again = button.getAttribute("data-again");
  var seconds = button.getAttribute("data-seconds");
  function tick() {
    if (left <= 0) {
      button.disabled = false;
      button.textContent = again;
      return;
    }
    button.disabled = true;
    button.textContent = seconds.replace("%s", left);
    left -= 1;
    window.setTimeout(tick, 1000);
  }
  if (left > 0) tick();
})();
