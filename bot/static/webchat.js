(function () {
  "use strict";
  var KEY = "chungtay.session";
  var NEUTRAL = "https://www.google.com/search?q=th%E1%BB%9Di+ti%E1%BA%BFt";
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
  var sessionId = session();

  // Bot text is shown as text; only 111/113 become call links.
  function appendText(parent, text) {
    var parts = text.split(/\b(111|113)\b/);
    for (var i = 0; i < parts.length; i++) {
      if (i % 2 === 1) {
        var a = document.createElement("a");
        a.href = "tel:" + parts[i];
        a.textContent = parts[i];
        parent.appendChild(a);
      } else if (parts[i]) {
        parent.appendChild(document.createTextNode(parts[i]));
      }
    }
  }
  function addLine(kind, text, buttons) {
    var li = document.createElement("li");
    li.className = kind;
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
    li.scrollIntoView({ block: "end" });
    return li;
  }

  var busy = false;
  function submit(text, shown) {
    if (busy) { return; }
    busy = true;
    send.disabled = true;
    addLine("me", shown || text);
    written = true;
    deliver(text, randomId(), 0);
  }
  function finish() {
    busy = false;
    send.disabled = false;
    input.focus();
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
      (res.data.replies || []).forEach(function (m) { addLine("bot", m.text, m.buttons); });
      finish();
    }).catch(function () {
      // Same message id on retry: the gateway stores it once.
      if (attempt < 2) {
        setTimeout(function () { deliver(text, messageId, attempt + 1); }, 1500 * (attempt + 1));
        return;
      }
      statusLine.textContent = "";
      addLine("error", "Chưa gửi được tin nhắn. Kiểm tra kết nối rồi gửi lại. Cần hỗ trợ ngay: gọi 111 (miễn phí, 24/7).");
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
        (data.replies || []).forEach(function (m) { addLine("bot", m.text, m.buttons); });
      }).catch(function () { /* offline: next time */ });
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
    try { sessionStorage.clear(); } catch (e) { /* nothing stored */ }
    try { localStorage.clear(); } catch (e) { /* nothing stored */ }
    // replace(): the chat page does not stay in the back-button history.
    window.location.replace(NEUTRAL);
  }
  document.getElementById("exit").addEventListener("click", quickExit);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { quickExit(); } });
  input.focus();
})();
