// Keyboard shortcuts for people on a headset: Alt+<letter> does what the element with that
// accesskey does (a link or button is pressed, a field is focused), the same in every browser
// and keyboard layout (some ignore accesskey, or want Alt+Shift).
(function () {
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    var letter = /^Key([A-Z])$/.exec(event.code || "");
    if (!letter) return;
    var key = letter[1].toLowerCase();
    var target = document.querySelector('[accesskey="' + key + '"]');
    if (!target) return;
    event.preventDefault();
    if (target.tagName === "A" || target.tagName === "BUTTON") target.click();
    else target.focus();
  });
})();
