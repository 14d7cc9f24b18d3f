/* 扫二维码 on the hand-over and check-in screens: read the buyer's pickup-code (or the resident's check-in) QR with the phone camera
   (jsQR from npm), put the digits in the box and submit. Typing the code always works. */
(function () {
  var form = document.querySelector("[data-scan-form]");
  if (!form || !window.jsQR || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
  var button = form.querySelector("[data-scan]");
  var video = form.querySelector("[data-scan-video]");
  var note = form.querySelector("[data-scan-note]");
  var input = form.querySelector("input[name=code]");
  var length = parseInt(form.getAttribute("data-code-length") || "6", 10);  // 6 for pickup, 8 for event check-in
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  button.hidden = false;

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.hidden = true; note.hidden = true;
  }

  function look() {
    if (!stream) { return; }
    if (video.readyState >= 2) {
      canvas.width = video.videoWidth; canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var found = window.jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
      var digits = found && found.data.replace(/\D/g, "");
      if (digits && digits.length === length) { input.value = digits; stop(); form.submit(); return; }
    }
    requestAnimationFrame(look);
  }

  button.addEventListener("click", function () {
    if (stream) { stop(); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s; video.srcObject = s; video.hidden = false; note.hidden = false;
      video.play(); requestAnimationFrame(look);
    }).catch(function () { note.hidden = false; note.textContent = input.getAttribute("data-no-camera") || note.textContent; });
  });
})();
