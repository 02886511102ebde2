// Canned replies: Alt+1 … Alt+9 (or a click) puts the snippet into the reply box at the cursor.
(function () {
  var box = document.getElementById("canned");
  if (!box) return;
  var target = document.getElementById(box.getAttribute("data-target"));
  if (!target) return;
  function insert(text) {
    var start = target.selectionStart || 0;
    var end = target.selectionEnd || 0;
    var before = target.value.slice(0, start);
    var gap = before && !/\s$/.test(before) ? " " : "";
    target.value = before + gap + text + target.value.slice(end);
    var caret = (before + gap + text).length;
    target.focus();
    target.setSelectionRange(caret, caret);
  }
  box.addEventListener("click", function (event) {
    var button = event.target.closest("button.canned-reply");
    if (button) insert(button.getAttribute("data-text"));
  });
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    var digit = /^Digit([1-9])$/.exec(event.code || "");
    if (!digit) return;
    var button = box.querySelector('button.canned-reply[data-key="' + digit[1] + '"]');
    if (!button) return;
    event.preventDefault();
    insert(button.getAttribute("data-text"));
  });
})();
