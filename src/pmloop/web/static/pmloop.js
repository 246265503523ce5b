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
  // A loading state on every form that can take a while (grading, starting a loop): the
  // button that sent it says it is busy, a note says what is happening, and a second press
  // does not send the form twice. The button is not disabled before the form is sent, since a
  // disabled button's name and value (answer or skip) would be left out of it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.dataset || !form.dataset.busy) { return; }
    if (form.dataset.sending) { event.preventDefault(); return; }
    form.dataset.sending = "1";
    var button = event.submitter || form.querySelector("button[type=submit]");
    if (button) { button.setAttribute("aria-busy", "true"); }
    var note = form.querySelector(".busy-note");
    if (!note) {
      note = document.createElement("p");
      note.className = "busy-note meta";
      note.setAttribute("role", "status");
      form.appendChild(note);
    }
    note.textContent = button && button.value === "skip" ? "Skipping…" : form.dataset.busy;
  });
  // Coming back with the browser's Back button shows the page as it was left: not busy.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      delete form.dataset.sending;
      form.querySelectorAll("[aria-busy]").forEach(function (b) { b.removeAttribute("aria-busy"); });
      form.querySelectorAll(".busy-note").forEach(function (n) { n.remove(); });
    });
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".countdown").forEach(start);
  });
})();
