// Speaking an answer: MediaRecorder records, the server transcribes on its own machine, and the
// transcript (fillers taken out) lands in the answer box to correct before it is submitted.
// The delivery read rides along in a hidden field. With no microphone, typing goes on as usual.
(function () {
  function setup(box) {
    var form = box.closest("form");
    var answer = form.querySelector("textarea[name=text]");
    var speech = box.querySelector("input[name=speech]");
    var record = box.querySelector(".voice-record");
    var stop = box.querySelector(".voice-stop");
    var level = box.querySelector(".voice-level");
    var clock = box.querySelector(".voice-clock");
    var status = box.querySelector(".voice-status");
    var recorder = null; var chunks = []; var timer = null; var began = 0; var audio = null;
    if (!navigator.mediaDevices || !window.MediaRecorder) { return; }
    box.hidden = false;
    function say(text) { status.textContent = text; }
    function tick() {
      var s = Math.round((Date.now() - began) / 1000);
      clock.textContent = "Recording " + Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    }
    function meter(stream) {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) { return; }
      audio = new Context();
      var analyser = audio.createAnalyser(); analyser.fftSize = 512;
      audio.createMediaStreamSource(stream).connect(analyser);
      var data = new Uint8Array(analyser.fftSize);
      (function draw() {
        if (!recorder || recorder.state !== "recording") { return; }
        analyser.getByteTimeDomainData(data);
        var peak = 0;
        for (var i = 0; i < data.length; i++) { peak = Math.max(peak, Math.abs(data[i] - 128) / 128); }
        level.value = peak; requestAnimationFrame(draw);
      })();
    }
    record.addEventListener("click", function () {
      say("");
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        chunks = [];
        recorder = new MediaRecorder(stream);
        recorder.ondataavailable = function (e) { if (e.data.size) { chunks.push(e.data); } };
        recorder.onstop = function () {
          stream.getTracks().forEach(function (t) { t.stop(); });
          if (audio) { audio.close(); audio = null; }
          send(new Blob(chunks, { type: recorder.mimeType || "audio/webm" }));
        };
        recorder.start(250);
        began = Date.now(); tick(); timer = setInterval(tick, 500);
        record.hidden = true; stop.hidden = false; level.hidden = false;
        meter(stream);
      }, function () {
        say("No microphone could be opened here: type your answer instead.");
      });
    });
    stop.addEventListener("click", function () {
      if (recorder && recorder.state === "recording") { recorder.stop(); }
      clearInterval(timer); stop.hidden = true; level.hidden = true;
    });
    function send(blob) {
      say("Transcribing on the server's machine…");
      fetch(box.dataset.transcribe, {
        method: "POST", body: blob, credentials: "same-origin",
        headers: { "Content-Type": blob.type.split(";")[0], "X-CSRF-Token": box.dataset.csrf }
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        record.hidden = false; clock.textContent = "";
        if (!result.ok) {
          say((result.data && result.data.error) || "The recording could not be transcribed; type your answer instead.");
          return;
        }
        var before = answer.value.replace(/\s+$/, "");
        answer.value = before ? before + "\n" + result.data.text : result.data.text;
        speech.value = JSON.stringify(result.data.speech);
        answer.dispatchEvent(new Event("input", { bubbles: true }));  // saves the draft
        answer.focus();
        say("Transcribed (fillers taken out): correct it, then submit. The delivery read follows the grade.");
      }, function () {
        record.hidden = false;
        say("The server could not be reached; your answer box is as it was.");
      });
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".voice").forEach(setup);
  });
})();
