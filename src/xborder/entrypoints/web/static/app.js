// Xborder UI helpers (no external libraries): sortable tables, auto-submit selects,
// confirmations, upload progress, table filter. Loaded with `defer` on every page.
(function () {
  "use strict";

  // Wide tables (many columns, long headers) scroll inside their own box instead of widening
  // the page: each table.table is wrapped in div.table-scroll (ids and classes unchanged).
  document.querySelectorAll("table.table").forEach(function (table) {
    var parent = table.parentNode;
    if (!parent || (parent.classList && parent.classList.contains("table-scroll"))) return;
    var box = document.createElement("div");
    box.className = "table-scroll";
    parent.insertBefore(box, table);
    box.appendChild(table);
  });

  function cellValue(td) {
    var v = td.getAttribute("data-sort");
    if (v === null) v = td.textContent.trim();
    var n = v.replace(/[\s,¥$€£%]/g, "");
    if (n !== "" && !isNaN(n)) return { num: true, v: parseFloat(n) };
    return { num: false, v: v.toLowerCase() };
  }

  // Client-side sorting for tables with class "sortable" whose headers are not server links.
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, idx) {
      if (th.querySelector("a")) return; // server-side sorting
      th.setAttribute("tabindex", "0");
      th.setAttribute("aria-sort", "none");
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          if (!a.cells[idx] || !b.cells[idx]) return 0;
          var x = cellValue(a.cells[idx]), y = cellValue(b.cells[idx]);
          var r = (x.num && y.num) ? x.v - y.v : String(x.v).localeCompare(String(y.v));
          return asc ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
  });

  // Filter box: <input data-filter-table="#id"> hides rows that do not contain the text.
  document.querySelectorAll("[data-filter-table]").forEach(function (input) {
    var table = document.querySelector(input.getAttribute("data-filter-table"));
    if (!table) return;
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        r.style.display = !q || r.textContent.toLowerCase().indexOf(q) >= 0 ? "" : "none";
      });
    });
  });

  document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
    sel.addEventListener("change", function () { sel.form.submit(); });
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
    });
  });

  // Upload progress: <form data-progress> with a file input shows a progress bar while sending.
  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.XMLHttpRequest || !window.FormData) return;
      e.preventDefault();
      var bar = form.querySelector(".progress > div");
      var box = form.querySelector(".progress");
      if (box) box.hidden = false;
      var xhr = new XMLHttpRequest();
      xhr.open(form.method || "POST", form.action || window.location.href);
      xhr.upload.addEventListener("progress", function (ev) {
        if (ev.lengthComputable && bar) bar.style.width = Math.round(ev.loaded / ev.total * 100) + "%";
      });
      xhr.onload = function () {
        document.open(); document.write(xhr.responseText); document.close();
        if (xhr.responseURL) window.history.replaceState(null, "", xhr.responseURL);
      };
      xhr.send(new FormData(form));
    });
  });

  // Reference data sync: <section data-sync-poll="URL"> follows a running sync every 2 s.
  document.querySelectorAll("[data-sync-poll]").forEach(function (box) {
    if (box.getAttribute("data-sync-status") !== "running" || !window.fetch) return;
    var labels = {};
    try { labels = JSON.parse(box.getAttribute("data-labels") || "{}"); } catch (e) { labels = {}; }
    var kinds = { loaded: "ok", unchanged: "ok", done: "ok", running: "warn", missing: "warn", failed: "err", interrupted: "err" };
    function badge(el, status) {
      if (!el) return;
      el.textContent = labels[status] || status;
      el.className = "badge " + (kinds[status] || "");
    }
    function tick() {
      fetch(box.getAttribute("data-sync-poll"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (job) {
          var bar = box.querySelector("[data-sync-bar]");
          if (bar) bar.style.width = job.percent + "%";
          var pb = box.querySelector("[role=progressbar]");
          if (pb) pb.setAttribute("aria-valuenow", job.percent);
          var pct = box.querySelector("[data-sync-percent]");
          if (pct) pct.textContent = job.percent;
          badge(box.querySelector("h3 [data-status]"), job.status);
          job.sources.forEach(function (s) {
            var row = box.querySelector('tr[data-source="' + s.name + '"]');
            if (!row) return;
            badge(row.querySelector("[data-status]"), s.status);
            row.querySelector("[data-bar]").style.width = s.percent + "%";
            row.querySelector("[data-steps]").textContent = s.total ? s.done + "/" + s.total : "";
            row.querySelector("[data-rows]").textContent = s.rows || "";
            row.querySelector("[data-version]").textContent = s.version || "";
            row.querySelector("[data-message]").textContent = s.message_text || s.message || "";
          });
          if (job.status === "running") setTimeout(tick, 2000);
          else window.location.reload();  // the loads table below now shows what was loaded
        })
        .catch(function () { setTimeout(tick, 10000); });
    }
    setTimeout(tick, 1000);
  });
})();
