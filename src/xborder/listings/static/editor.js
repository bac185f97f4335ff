// Listing editor: live check and keyword coverage. Our own code, no library, no CDN.
// Posts the form's fields as JSON to /listings/editor/check (same origin, CSRF header) a
// moment after the user stops typing, and renders the findings with textContent only.
(function () {
  "use strict";
  var form = document.getElementById("listing-form");
  if (!form) return;
  var url = form.getAttribute("data-check-url");
  var csrf = form.querySelector("input[name=csrf_token]").value;
  var results = document.getElementById("check-results");
  var coverage = document.getElementById("coverage");
  var timer = null, seq = 0;

  function val(id) { var el = document.getElementById(id); return el ? el.value : ""; }
  function listing() {
    return {
      title: val("f-title"), brand: val("f-brand"), description: val("f-description"), search_terms: val("f-search_terms"),
      bullets: val("f-bullets").split("\n").map(function (s) { return s.trim(); }).filter(function (s) { return s; })
    };
  }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function counters() {
    var t = document.getElementById("title-count"), b = document.getElementById("bytes-count");
    if (t) t.textContent = val("f-title").length + " chars";
    if (b) b.textContent = new TextEncoder().encode(val("f-search_terms")).length + " bytes";
  }
  function renderCheck(check) {
    results.textContent = "";
    var p = el("p"); var strong = el("strong", "", "Score: ");
    var sc = el("span", "", String(check.score)); sc.id = "score"; strong.appendChild(sc); strong.appendChild(document.createTextNode("/100"));
    p.appendChild(strong); p.appendChild(document.createTextNode(" · " + check.errors + " errors, " + check.warnings + " warnings"));
    results.appendChild(p);
    var ul = el("ul", "findings");
    if (!check.findings.length) ul.appendChild(el("li", "finding ok", "✓"));
    check.findings.forEach(function (f) {
      var li = el("li", "finding " + f.severity); li.setAttribute("data-rule", f.rule);
      li.appendChild(el("span", "badge " + (f.severity === "error" ? "err" : f.severity === "warning" ? "warn" : ""), f.severity));
      li.appendChild(document.createTextNode(" " + f.message));
      li.appendChild(el("br")); li.appendChild(el("span", "muted", "→ " + f.fix));
      ul.appendChild(li);
    });
    results.appendChild(ul);
  }
  function renderCoverage(cov) {
    if (!coverage) return;
    coverage.textContent = "";
    coverage.appendChild(el("h2", "", "Keyword coverage"));
    if (!cov) { coverage.appendChild(el("p", "muted", "—")); return; }
    var p = el("p"); p.appendChild(document.createTextNode("Coverage: "));
    var r = el("strong", "", Math.round(parseFloat(cov.ratio) * 100) + "%"); r.id = "coverage-ratio"; p.appendChild(r);
    coverage.appendChild(p);
    var ul = el("ul"); ul.id = "missing-keywords";
    cov.missing.forEach(function (k) { ul.appendChild(el("li", "", k.phrase + " (" + k.score + ")")); });
    coverage.appendChild(el("p", "muted", "Missing:")); coverage.appendChild(ul);
    coverage.appendChild(el("p", "muted", "Proposed title:"));
    var t = el("p", "", cov.proposal.title); t.id = "proposed-title"; coverage.appendChild(t);
  }
  function run() {
    var my = ++seq;
    counters();
    fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify({marketplace: val("f-marketplace"), set: val("f-set"), listing: listing()})
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (my !== seq) return;  // an older answer arriving late
      if (data.check) { renderCheck(data.check); renderCoverage(data.coverage); results.setAttribute("data-live", "1"); }
      else if (data.message) { results.textContent = data.message; }
    }).catch(function () { /* keep the last result; the form still works without JS */ });
  }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 300); });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(run, 50); });
  counters();
})();
