(function () {
  "use strict";
  var KEY = "chungtay.session";
  var NEUTRAL = "https://www.google.com/search?q=th%E1%BB%9Di+ti%E1%BA%BFt";
  var ESC_TWICE_MS = 1500; // quick exit by keyboard: Esc twice within this, never a single Esc
  var scroller = document.getElementById("scroller");
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("text");
  var send = document.getElementById("send");
  var statusLine = document.getElementById("status");

  function randomId() {
    var bytes = new Uint8Array(18);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    var s = "";
    for (var i = 0; i < bytes.length; i++) { s += ("0" + bytes[i].toString(16)).slice(-2); }
    return s;
  }
  function session() {
    var id = null;
    try { id = sessionStorage.getItem(KEY); } catch (e) { /* private mode */ }
    if (!id) {
      id = randomId();
      try { sessionStorage.setItem(KEY, id); } catch (e) { /* keep it in memory only */ }
    }
    return id;
  }
  function forgetStorage() {
    try { sessionStorage.clear(); } catch (e) { /* nothing stored */ }
    try { localStorage.clear(); } catch (e) { /* nothing stored */ }
  }
  var sessionId = session();

  // Bot text is shown as text; only 111/113 become call links, and a case code is kept on one
  // line (it is read out or copied as a whole).
  function appendText(parent, text) {
    var parts = text.split(/\b(111|113|CT-[A-Z0-9]{6,10})\b/);
    for (var i = 0; i < parts.length; i++) {
      if (i % 2 === 1 && parts[i].indexOf("CT-") === 0) {
        var code = document.createElement("span");
        code.className = "code";
        code.textContent = parts[i];
        parent.appendChild(code);
      } else if (i % 2 === 1) {
        var a = document.createElement("a");
        a.href = "tel:" + parts[i];
        a.textContent = parts[i];
        parent.appendChild(a);
      } else if (parts[i]) {
        parent.appendChild(document.createTextNode(parts[i]));
      }
    }
  }
  function addLine(kind, text, buttons, staff) {
    var li = document.createElement("li");
    li.className = staff ? "staff" : kind;
    if (staff) {
      // An operator wrote this, not the assistant: say so in words ("Cán bộ:").
      var who = document.createElement("span");
      who.className = "who";
      who.textContent = staff + ":";
      li.appendChild(who);
    }
    if (kind === "me") { li.textContent = text; } else { appendText(li, text); }
    if (buttons && buttons.length) {
      var box = document.createElement("div");
      box.className = "choices";
      buttons.forEach(function (b) {
        var btn = document.createElement("button");
        btn.type = "button";
        btn.textContent = b.title;
        btn.addEventListener("click", function () { submit(b.payload, b.title); });
        box.appendChild(btn);
      });
      li.appendChild(box);
    }
    log.appendChild(li);
    return li;
  }

  // Only the conversation scrolls (the typing box sits below it, never over it). The newest line
  // is brought wholly into view with as much of the lines before it as fits, as messengers do;
  // a line taller than the view shows its start, so it is read from its first line.
  var newest = null;
  function reveal(line) {
    if (!line) { return; }
    newest = line;
    var gap = 8;
    var top = line.offsetTop - gap;
    var bottom = line.offsetTop + line.offsetHeight + gap;
    scroller.scrollTop = Math.max(0, Math.min(bottom - scroller.clientHeight, top));
  }
  // The view shrinks when a phone's keyboard opens: keep the newest line in it, unless the
  // person has scrolled back to read earlier lines.
  var following = true;
  scroller.addEventListener("scroll", function () {
    following = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48;
  });
  window.addEventListener("resize", function () { if (following) { reveal(newest); } });
  function showReplies(replies) {
    var last = null;
    (replies || []).forEach(function (m) { last = addLine("bot", m.text, m.buttons, m.staff); });
    reveal(last);
  }

  var busy = false;
  function submit(text, title) {
    if (busy) { return; }
    busy = true;
    send.disabled = true;
    reveal(addLine("me", title || text));
    written = true;
    deliver(text, randomId(), 0);
  }
  function finish() {
    busy = false;
    send.disabled = false;
    input.focus();
  }
  // The person asked to erase their data and it is done: nothing of it stays on this screen or
  // in the browser, and what they write next starts a new conversation.
  function erased() {
    log.textContent = "";
    newest = null;
    input.value = "";
    forgetStorage();
    sessionId = session();
    written = false;
  }
  function deliver(text, messageId, attempt) {
    statusLine.textContent = "Đang gửi…";
    fetch("webchat/messages", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "omit",
      body: JSON.stringify({ session: sessionId, message_id: messageId, text: text })
    }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok || r.status === 429, data: data }; });
    }).then(function (res) {
      if (!res.ok) { throw new Error("bad status"); }
      statusLine.textContent = "";
      if (res.data.erased) { erased(); }
      showReplies(res.data.replies);
      finish();
    }).catch(function () {
      // Same message id on retry: the gateway stores it once.
      if (attempt < 2) {
        setTimeout(function () { deliver(text, messageId, attempt + 1); }, 1500 * (attempt + 1));
        return;
      }
      statusLine.textContent = "";
      reveal(addLine("error", "Chưa gửi được tin nhắn. Kiểm tra kết nối rồi gửi lại. Cần hỗ trợ ngay: gọi 111 (miễn phí, 24/7)."));
      finish();
    });
  }

  // An operator's replies are fetched while the page is open, once the person has written.
  var written = false;
  function fetchStaffReplies() {
    if (!written || busy) { return; }
    fetch("webchat/replies", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "omit",
      body: JSON.stringify({ session: sessionId })
    }).then(function (r) { return r.ok ? r.json() : { replies: [] }; })
      .then(function (data) {
        // Erased from the console while this page was open: clear it as after "xóa".
        if (data.erased) { erased(); }
        showReplies(data.replies);
      })
      .catch(function () { /* offline: next time */ });
  }
  setInterval(fetchStaffReplies, 5000);

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    submit(text);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit")); }
  });

  function quickExit() {
    log.textContent = "";
    input.value = "";
    forgetStorage();
    // replace(): the chat page does not stay in the back-button history.
    window.location.replace(NEUTRAL);
  }
  document.getElementById("exit").addEventListener("click", quickExit);
  // One Esc is easily pressed by accident while typing; two in a row are a decision.
  var lastEscape = 0;
  var escapeHint = "Nhấn Esc lần nữa để thoát nhanh.";
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < ESC_TWICE_MS) { quickExit(); return; }
    lastEscape = now;
    if (!busy) { statusLine.textContent = escapeHint; }
    setTimeout(function () {
      if (statusLine.textContent === escapeHint) { statusLine.textContent = ""; }
    }, ESC_TWICE_MS);
  });
  input.focus();
})();
