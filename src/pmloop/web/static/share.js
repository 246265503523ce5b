// The shared page: selecting words of an answer fills the comment form with them, the answer
// they belong to and where they start, so the comment is pinned to exactly that span.
(function () {
  function answerOf(node) {
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    return el ? el.closest(".shared-answer") : null;
  }
  function pick() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return; }
    var range = selection.getRangeAt(0);
    var answer = answerOf(range.startContainer);
    if (!answer || answerOf(range.endContainer) !== answer) { return; }
    var before = document.createRange();
    before.selectNodeContents(answer);
    before.setEnd(range.startContainer, range.startOffset);
    var form = document.getElementById("comment-form");
    form.elements.answer.value = answer.dataset.position;
    form.elements.quote.value = range.toString();
    form.elements.start.value = String(before.toString().length);
  }
  document.addEventListener("mouseup", pick);
  document.addEventListener("keyup", pick);
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("comment-form");
    if (!form) { return; }
    // typed by hand: the server finds the words in the answer itself
    form.elements.quote.addEventListener("input", function () { form.elements.start.value = ""; });
  });
})();
