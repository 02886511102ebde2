// Sets bar widths from data attributes (the CSP forbids inline styles).
document.querySelectorAll(".bar[data-w]").forEach(function (bar) {
  bar.style.width = bar.getAttribute("data-w") + "%";
});
