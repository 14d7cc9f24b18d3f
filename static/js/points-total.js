// 确认下单: the button says what is left to pay once the 积分 (the switch on, or a number typed) are taken off.
(function () {
  var button = document.getElementById("place-order");
  var input = document.querySelector(".points-input");
  if (!button || !input) return;
  var totalFen = Math.round(parseFloat(button.getAttribute("data-total")) * 100);
  var perYuan = parseInt(button.getAttribute("data-points-per-yuan"), 10) || 100;
  var most = parseInt(input.getAttribute("max"), 10) || 0;
  function update() {
    var typed = input.type === "checkbox" ? (input.checked ? most : 0) : parseInt(input.value, 10) || 0;
    var points = Math.min(Math.max(typed, 0), most);
    var dueFen = Math.max(totalFen - Math.floor(points * 100 / perYuan), 0);
    var amount = button.getAttribute("data-currency") + (dueFen / 100).toFixed(2);
    button.textContent = button.getAttribute("data-label").replace("{amount}", amount);
  }
  input.addEventListener("input", update);
  input.addEventListener("change", update);
  update();
})();
