// "Tiếp nhận mới": the call's running time, the form autosaved as the operator types (and once
// more when the tab is hidden or closed, so a dropped tab loses nothing), Ctrl+Enter to file.
(function () {
  var form = document.getElementById("filing-form");
  if (!form) return;
  var url = form.getAttribute("data-autosave");
  var callId = document.getElementById("call_id");
  var state = document.getElementById("autosave-state");
  var timer = document.getElementById("call-timer");
  var started = parseInt(timer && timer.getAttribute("data-started"), 10) || Date.now();
  var pending = null;
  var dirty = false;

  function tick() {
    var seconds = Math.max(0, Math.floor((Date.now() - started) / 1000));
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    timer.textContent = minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }
  if (timer) { tick(); setInterval(tick, 1000); }

  function save() {
    pending = null;
    if (!dirty) return;
    dirty = false;
    fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer && answer.call_id) {
          callId.value = answer.call_id;
          state.textContent = state.getAttribute("data-saved");
          state.setAttribute("data-state", "saved");
        } else {
          dirty = true;
          state.textContent = state.getAttribute("data-failed");
          state.setAttribute("data-state", "failed");
        }
      })
      .catch(function () {
        dirty = true;
        state.textContent = state.getAttribute("data-failed");
        state.setAttribute("data-state", "failed");
      });
  }
  function changed() {
    dirty = true;
    if (pending) clearTimeout(pending);
    pending = setTimeout(save, 600);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // The tab goes away (closed, switched, crashed into the background): save what is there now.
  function flush() {
    if (dirty && navigator.sendBeacon) {
      dirty = false;
      navigator.sendBeacon(url, new FormData(form));
    }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("pagehide", flush);
  form.addEventListener("submit", function () { dirty = false; if (pending) clearTimeout(pending); });

  // Ctrl+Enter (Cmd+Enter on a Mac) files. A plain Enter in the search box saves the draft and
  // searches (the form's first button); in any other field it saves and moves to the next one.
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return !el.disabled && el.type !== "hidden" && el.tabIndex >= 0;
    });
  }
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      document.getElementById("file-case").click();
      return;
    }
    var el = event.target;
    if (el.id === "q" || el.tagName === "TEXTAREA" || el.tagName === "BUTTON") return;
    event.preventDefault();
    dirty = true;
    save();
    var all = fields();
    var next = all[all.indexOf(el) + 1];
    if (next) next.focus();
  });
})();
