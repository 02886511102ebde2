// Refreshes the queue's rows in place so operators see new intakes without reloading.
(function () {
  var table = document.getElementById("queue");
  if (!table) return;
  var seconds = parseInt(table.getAttribute("data-refresh"), 10) || 20;
  setInterval(function () {
    var url = new URL(window.location.href);
    url.searchParams.set("partial", "1");
    fetch(url.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var old = document.getElementById("queue-rows");
        var holder = document.createElement("table");
        holder.innerHTML = html;
        var fresh = holder.querySelector("tbody");
        if (old && fresh) old.replaceWith(fresh);
      });
  }, seconds * 1000);
})();
