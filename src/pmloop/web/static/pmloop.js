// The answer countdown: a soft per-answer time budget that survives a reload of the page.
(function () {
  function start(el) {
    var minutes = parseFloat(el.dataset.minutes || "4");
    var key = "pmloop-started-" + el.dataset.key;
    var began = parseInt(sessionStorage.getItem(key) || "0", 10);
    if (!began) { began = Date.now(); sessionStorage.setItem(key, String(began)); }
    function tick() {
      var left = Math.round(minutes * 60 - (Date.now() - began) / 1000);
      var over = left < 0; var s = Math.abs(left);
      var text = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
      el.textContent = over ? text + " over the time budget; wrap up" : text + " left for this answer";
      el.classList.toggle("over", over);
    }
    tick(); setInterval(tick, 1000);
  }
  // Self-calibration with one key: 1-4 pick a level when the answer box is not focused.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT")) { return; }
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var radio = document.querySelector('.self-rating input[data-key="' + event.key + '"]');
    if (radio) { radio.checked = true; radio.focus(); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".countdown").forEach(start);
  });
})();
