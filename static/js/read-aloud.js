// 朗读: read the product aloud with the browser's own speech synthesis; a second tap stops it.
(function () {
  "use strict";
  var button = document.querySelector("[data-speak]");
  if (!button || !("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") return;
  var source = document.querySelector(button.getAttribute("data-speak"));
  if (!source) return;
  var lang = (document.documentElement.lang || "zh-hans").toLowerCase().indexOf("en") === 0 ? "en-US" : "zh-CN";

  function show(speaking) {
    button.setAttribute("aria-pressed", speaking ? "true" : "false");
    button.textContent = button.getAttribute(speaking ? "data-label-stop" : "data-label-start");
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    if (window.speechSynthesis.speaking || button.getAttribute("aria-pressed") === "true") {
      window.speechSynthesis.cancel();
      show(false);
      return;
    }
    var utterance = new SpeechSynthesisUtterance(source.textContent.trim());
    utterance.lang = lang;
    utterance.rate = 0.9;
    utterance.onend = utterance.onerror = function () { show(false); };
    window.speechSynthesis.speak(utterance);
    show(true);
  });
})();
