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

  // A cell holding only a date (2026-11-25, or with a time), or only one short code with hyphens
  // (a SKU KT-CLIP-12P, an order 112-6296129-6828531; alone or as the cell's one link), never breaks
  // at its hyphens: the table scrolls sideways instead.
  var DATE_CELL = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$/;
  var CODE_CELL = /^[^\s-]+(-[^\s-]+)+$/;
  document.querySelectorAll("table.table td").forEach(function (td) {
    var text = td.textContent.trim();
    var plain = td.childElementCount === 0 ||
      (td.childElementCount === 1 && /^(A|CODE)$/.test(td.firstElementChild.tagName) && td.firstElementChild.textContent.trim() === text);
    if (!plain) return;
    if (DATE_CELL.test(text)) td.classList.add("date");
    else if (text.length <= 24 && CODE_CELL.test(text)) td.classList.add("code-cell");
  });

  function cellValue(td) {
    var v = td.getAttribute("data-sort");
    if (v === null) v = td.textContent.trim();
    var n = v.replace(/[\s,¥$€£%]/g, "");
    if (n !== "" && !isNaN(n)) return { num: true, v: parseFloat(n) };
    return { num: false, v: v.toLowerCase() };
  }

  // Client-side sorting for tables with class "sortable" whose headers are not server links.
  // A row with class "explain" (its details) travels with the row above it; the headers are
  // the table's own (not those of a table nested in a cell).
  document.querySelectorAll("table.sortable").forEach(function (table) {
    if (!table.tHead || !table.tHead.rows.length) return;
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (th, idx) {
      if (th.querySelector("a")) return; // server-side sorting
      th.setAttribute("tabindex", "0");
      th.setAttribute("aria-sort", "none");
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var groups = [];
        Array.prototype.forEach.call(body.rows, function (r) {
          if (r.classList.contains("explain") && groups.length) groups[groups.length - 1].push(r);
          else groups.push([r]);
        });
        groups.sort(function (ga, gb) {
          var a = ga[0], b = gb[0];
          if (!a.cells[idx] || !b.cells[idx]) return 0;
          var x = cellValue(a.cells[idx]), y = cellValue(b.cells[idx]);
          var r = (x.num && y.num) ? x.v - y.v : String(x.v).localeCompare(String(y.v));
          return asc ? r : -r;
        });
        groups.forEach(function (g) { g.forEach(function (r) { body.appendChild(r); }); });
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

  // Dashboard cards computed over every order come after the page: the placeholder is replaced
  // by the cards the server renders (none when there is nothing to say).
  document.querySelectorAll("[data-lazy-widget]").forEach(function (box) {
    fetch(box.getAttribute("data-lazy-widget"), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status + " " + r.statusText); return r.text(); })
      .then(function (html) {
        var tmp = document.createElement("div");
        tmp.innerHTML = html;
        var cards = tmp.querySelectorAll("section.widget");
        cards.forEach(function (c) { box.parentNode.insertBefore(c, box); });
        box.parentNode.removeChild(box);
      })
      .catch(function (e) {
        box.removeAttribute("aria-busy");
        box.querySelector("p").textContent = String(e.message || e);
        box.querySelector("p").className = "alert error";
      });
  });

  // A period form: <select data-period> of presets beside date inputs. Picking a preset clears the
  // dates (days given win over a preset) and shows it; typing a date selects "custom".
  document.querySelectorAll("select[data-period]").forEach(function (sel) {
    var dates = sel.form.querySelectorAll('input[type="date"]');
    sel.addEventListener("change", function () {
      if (sel.value === "custom") { if (dates.length) dates[0].focus(); return; }
      dates.forEach(function (d) { d.value = ""; });
      sel.form.submit();
    });
    dates.forEach(function (d) {
      d.addEventListener("change", function () { if (d.value) sel.value = "custom"; });
    });
  });

  document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
    sel.addEventListener("change", function () { sel.form.submit(); });
  });

  // <input type="checkbox" data-check-all="NAME">: ticks or unticks every checkbox NAME of its form
  document.querySelectorAll("input[data-check-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      all.form.querySelectorAll('input[type="checkbox"][name="' + all.getAttribute("data-check-all") + '"]')
        .forEach(function (box) { box.checked = all.checked; });
    });
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
    });
  });

  // <form data-busy="Booking…">: while the server works, its submit button says so and cannot be pressed twice
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var b = form.querySelector("button[type=submit]");
      if (!b) return;
      window.setTimeout(function () { b.disabled = true; b.textContent = form.getAttribute("data-busy"); }, 0);
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

  // <button data-fill="SELECTOR" data-value="V">: puts V into the input SELECTOR (e.g. a suggested
  // HS code into the calculator's line) and focuses it.
  document.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("[data-fill]") : null;
    if (!b) return;
    var target = document.querySelector(b.getAttribute("data-fill"));
    if (!target) return;
    target.value = b.getAttribute("data-value") || "";
    target.dispatchEvent(new Event("input", { bubbles: true }));
    target.focus();
  });

  // JSON inputs edited as a form: <div data-json-form="TEXTAREA_ID" data-labels='{"key": "label"}'
  // data-errors='["lines[0].gcode", ...]'>. The textarea stays the value that is submitted; the form
  // is built from its JSON and writes it back on every change ("Form" / "JSON" switch). Fields the
  // server refused are marked (class "invalid", the message as their title).
  function jsonForm(box) {
    var area = document.getElementById(box.getAttribute("data-json-form"));
    if (!area) return;
    var labels = {}, errors = {}, options = {};
    try { labels = JSON.parse(box.getAttribute("data-labels") || "{}"); } catch (e) { labels = {}; }
    try { options = JSON.parse(box.getAttribute("data-options") || "{}"); } catch (e) { options = {}; }
    var hints = {}, help = {};
    try { hints = JSON.parse(box.getAttribute("data-hints") || "{}"); } catch (e) { hints = {}; }
    try { help = JSON.parse(box.getAttribute("data-help") || "{}"); } catch (e) { help = {}; }
    try {
      (JSON.parse(box.getAttribute("data-errors") || "[]") || []).forEach(function (e) { errors[e.field] = e.message; });
    } catch (e) { errors = {}; }
    var data = null;
    var view = "form";
    var bar = document.createElement("div");
    bar.className = "toolbar json-form-bar";
    var bForm = document.createElement("button"), bJson = document.createElement("button");
    bForm.type = bJson.type = "button";
    bForm.textContent = labels["@form"] || "Form";
    bJson.textContent = labels["@json"] || "JSON";
    bar.appendChild(bForm); bar.appendChild(bJson);
    var note = document.createElement("span");
    note.className = "muted small";
    bar.appendChild(note);
    var body = document.createElement("div");
    body.className = "json-form";
    box.appendChild(bar); box.appendChild(body);

    function label(key) { return labels[key] || key; }
    function write() { area.value = JSON.stringify(data, null, 2); }
    function getAt(path) {
      var o = data;
      for (var i = 0; i < path.length; i++) { if (o == null) return undefined; o = o[path[i]]; }
      return o;
    }
    function setAt(path, v) {
      var o = data;
      for (var i = 0; i < path.length - 1; i++) o = o[path[i]];
      o[path[path.length - 1]] = v;
    }
    function pathName(path) {
      return path.map(function (p, i) { return typeof p === "number" ? "[" + p + "]" : (i ? "." : "") + p; }).join("");
    }
    function scalar(v) { return v === null || typeof v !== "object"; }
    function input(path) {
      var v = getAt(path), name = pathName(path);
      var kind = v === null ? "null" : Array.isArray(v) || typeof v === "object" ? "json" : typeof v;
      var opts = options[path[path.length - 1]];
      var el;
      if (opts && (kind === "string" || kind === "null")) {
        // a code field: a select list of the codes customs accepts (a value not among them is kept)
        el = document.createElement("select");
        var cur = v === null ? "" : String(v), seen = false;
        opts.forEach(function (o) {
          var opt = document.createElement("option");
          opt.value = o[0]; opt.textContent = o[1];
          if (o[0] === cur) { opt.selected = true; seen = true; }
          el.appendChild(opt);
        });
        if (!seen) {
          var keep = document.createElement("option");
          keep.value = cur; keep.textContent = cur; keep.selected = true;
          el.insertBefore(keep, el.firstChild);
        }
        kind = kind === "null" ? "null" : "string";
      } else {
        el = document.createElement("input");
        if (kind === "boolean") { el.type = "checkbox"; el.checked = v; }
        else el.value = kind === "json" ? JSON.stringify(v) : v === null ? "" : String(v);
        if (hints[path[path.length - 1]]) el.placeholder = hints[path[path.length - 1]];
      }
      el.setAttribute("data-path", name);
      el.setAttribute("aria-label", label(path[path.length - 1]) + (path.length > 1 ? " (" + name + ")" : ""));
      if (errors[name]) { el.classList.add("invalid"); el.title = errors[name]; }
      el.addEventListener(el.tagName === "SELECT" ? "change" : "input", function () {
        var nv;
        if (kind === "boolean") nv = el.checked;
        else if (kind === "number") nv = el.value.trim() !== "" && !isNaN(el.value) ? Number(el.value) : el.value;
        else if (kind === "null") nv = el.value === "" ? null : el.value;
        else if (kind === "json") { try { nv = JSON.parse(el.value); el.classList.remove("invalid"); } catch (e) { el.classList.add("invalid"); return; } }
        else nv = el.value;
        setAt(path, nv);
        write();
      });
      return el;
    }
    function field(path) {
      var l = document.createElement("label");
      l.appendChild(document.createTextNode(label(path[path.length - 1]) + " "));
      l.appendChild(input(path));
      var h = help[path[path.length - 1]];
      if (h) {  // the field's one-line help, under it
        var p = document.createElement("span");
        p.className = "field-help muted small";
        p.textContent = h;
        l.appendChild(p);
      }
      if (errors[pathName(path)]) l.classList.add("invalid");
      return l;
    }
    function table(path) {
      var rows = getAt(path), keys = [];
      rows.forEach(function (r) { Object.keys(r).forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); }); });
      var wrap = document.createElement("div");
      var h = document.createElement("h3");
      h.textContent = label(path[path.length - 1]);
      wrap.appendChild(h);
      var scroll = document.createElement("div");
      scroll.className = "table-scroll";
      var tb = document.createElement("table");
      tb.className = "table json-form-table";
      var head = "<thead><tr><th>#</th>" + keys.map(function (k) { return "<th></th>"; }).join("") + "<th></th></tr></thead>";
      tb.innerHTML = head + "<tbody></tbody>";
      var ths = tb.querySelectorAll("thead th");
      keys.forEach(function (k, i) {
        ths[i + 1].textContent = label(k);
        ths[i + 1].title = help[k] || k;
        if (help[k]) ths[i + 1].className = "has-help";  // dotted: the help shows on hover
      });
      rows.forEach(function (r, i) {
        var tr = document.createElement("tr");
        var num = document.createElement("td");
        num.textContent = String(i + 1);
        tr.appendChild(num);
        if (errors[pathName(path.concat([i]))]) tr.classList.add("invalid");
        keys.forEach(function (k) {
          var td = document.createElement("td");
          if (!(k in r)) r[k] = "";
          td.appendChild(input(path.concat([i, k])));
          tr.appendChild(td);
        });
        var td = document.createElement("td"), rm = document.createElement("button");
        rm.type = "button"; rm.className = "link danger"; rm.textContent = "×";
        rm.title = labels["@remove"] || "Remove";
        rm.addEventListener("click", function () { rows.splice(i, 1); write(); build(); });
        td.appendChild(rm); tr.appendChild(td);
        tb.tBodies[0].appendChild(tr);
      });
      scroll.appendChild(tb);
      wrap.appendChild(scroll);
      var add = document.createElement("button");
      add.type = "button"; add.textContent = labels["@add"] || "Add a line";
      add.addEventListener("click", function () {
        var row = {};
        keys.forEach(function (k) { row[k] = ""; });
        rows.push(row); write(); build();
      });
      wrap.appendChild(add);
      return wrap;
    }
    function isRows(v) {
      return Array.isArray(v) && v.length > 0 && v.every(function (r) { return r && typeof r === "object" && !Array.isArray(r); });
    }
    function render(path, container) {
      // scalars first, as a grid of fields; then nested objects (fieldsets) and lists of rows (tables)
      var obj = path.length ? getAt(path) : data;
      var grid = document.createElement("div");
      grid.className = "form wide";
      container.appendChild(grid);
      var later = [];
      Object.keys(obj).forEach(function (k) {
        var v = obj[k], p = path.concat([k]);
        if (scalar(v)) grid.appendChild(field(p));
        else if (isRows(v)) later.push(function () { container.appendChild(table(p)); });
        else if (!Array.isArray(v)) later.push(function () {
          var fs = document.createElement("fieldset");
          var lg = document.createElement("legend");
          lg.textContent = label(k);
          fs.appendChild(lg);
          if (help[k]) {  // a party's help (platform, enterprise...), under its title
            var fh = document.createElement("p");
            fh.className = "field-help muted small";
            fh.textContent = help[k];
            fs.appendChild(fh);
          }
          render(p, fs);
          container.appendChild(fs);
        });
        else grid.appendChild(field(p));  // a list of values: its JSON in one field
      });
      if (!grid.childNodes.length) container.removeChild(grid);
      later.forEach(function (f) { f(); });
    }
    function build() {
      body.innerHTML = "";
      render([], body);
    }
    function show(which) {
      if (which === "form") {
        try { data = JSON.parse(area.value); } catch (e) { data = null; }
        if (!data || typeof data !== "object" || Array.isArray(data)) {
          note.textContent = labels["@invalid"] || "The JSON is not valid: correct it as text.";
          which = "json";
        } else { note.textContent = ""; build(); }
      }
      view = which;
      body.hidden = view !== "form";
      area.hidden = view === "form";
      bForm.classList.toggle("primary", view === "form");
      bJson.classList.toggle("primary", view === "json");
    }
    bForm.addEventListener("click", function () { show("form"); });
    bJson.addEventListener("click", function () { show("json"); });
    show("form");
  }
  document.querySelectorAll("[data-json-form]").forEach(jsonForm);

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
