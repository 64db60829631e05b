"use strict";
// The audit report's script (src/RemediationWorker/Audit/Report). Every value comes from events that anyone able to
// put an event on the bus may have written: values are only ever placed with textContent, never as markup.
(function () {
  var started = performance.now();
  var data = JSON.parse(document.getElementById("audit-data").textContent);
  var S = data.strings;
  var M = {};
  data.members.forEach(function (name, i) { M[name] = i; });
  var MAX_GROUPS = 200, PAGE = 500, OPEN_ALL_UNDER = 25;
  var GOOD = { succeeded: 1, planned: 1, "config-loaded": 1 };
  var BAD = { failed: 1, "timed-out": 1, rejected: 1, "config-rejected": 1 };
  var STOP = { skipped: 1, deferred: 1, escalated: 1, refused: 1, "partially-fixed": 1, "no-match": 1 };
  var RUN = { starting: 1, started: 1 };
  var OUTCOME = { planned: 1, succeeded: 1, failed: 1, "timed-out": 1, refused: 1, "partially-fixed": 1, skipped: 1, escalated: 1, deferred: 1, rejected: 1, "no-match": 1 };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function s(r, name) { return S[r[M[name]]]; }
  function iso(ms) { return new Date(ms).toISOString(); }
  function duration(ms) {
    if (ms < 1000) { return ms + " ms"; }
    var sec = ms / 1000;
    if (sec < 120) { return sec.toFixed(1) + " s"; }
    var min = Math.floor(sec / 60);
    return min < 120 ? min + " min " + Math.round(sec % 60) + " s" : Math.floor(min / 60) + " h " + (min % 60) + " min";
  }

  // One item per event (its records share an event id), or per record without one (configuration changes).
  var items = [], byEvent = new Map(), runs = new Map();
  data.records.forEach(function (r) {
    var id = s(r, "eventId"), item = id !== null ? byEvent.get(id) : undefined;
    if (!item) {
      item = { index: items.length, records: [], playbooks: new Set(), decisions: new Set(), names: new Set(), group: null, time: r[M.time] };
      items.push(item);
      if (id !== null) { byEvent.set(id, item); }
    }
    item.records.push(r);
    var playbook = s(r, "playbook"), decision = s(r, "decision"), resource = s(r, "resource"), group = s(r, "group");
    if (playbook !== null) { item.playbooks.add(playbook); }
    item.decisions.add(decision);
    if (resource !== null) { item.names.add(resource); item.names.add(group); }
    // The resource a playbook acts on names the group; else the event's own.
    if (group !== null && (item.group === null || playbook !== null)) { item.group = group; }
    var execution = s(r, "executionId");
    if (execution !== null && !runs.has(execution)) { runs.set(execution, item); }
  });
  items.forEach(function (item) { if (item.group === null) { item.group = item.decisions.has("rejected") ? "(rejected inputs)" : "(worker)"; } });

  // Verification first: a reader must know whether the records can be trusted before reading them.
  var verification = document.getElementById("verification");
  var broken = data.files.filter(function (f) { return !f.verified; });
  var banner = el("div", "banner " + (broken.length ? "bad" : "ok"), broken.length
    ? "NOT VERIFIED: " + broken.length + " of " + data.files.length + " file(s) do not verify; their records may have been altered"
    : "Verified: every hash chain is intact (" + data.files.length + " file(s), " + data.records.length + " records)");
  banner.id = "verification-status";
  var list = el("ul");
  data.files.forEach(function (f) { list.appendChild(el("li", null, f.path + ": " + f.status)); });
  banner.appendChild(list);
  verification.appendChild(banner);
  document.getElementById("generated").textContent = "Generated " + data.generated + " from " + data.records.length + " records";

  var counts = new Map();
  data.records.forEach(function (r) { var d = s(r, "decision"); counts.set(d, (counts.get(d) || 0) + 1); });
  document.getElementById("totals").textContent = Array.from(counts.entries()).map(function (e) { return e[0] + " " + e[1]; }).join(" · ");

  function fill(select, values) {
    Array.from(values).sort().forEach(function (v) { var o = el("option", null, v); o.value = v; select.appendChild(o); });
  }
  var playbooks = new Set(), decisions = new Set();
  items.forEach(function (item) { item.playbooks.forEach(function (p) { playbooks.add(p); }); item.decisions.forEach(function (d) { decisions.add(d); }); });
  var fPlaybook = document.getElementById("filter-playbook"), fDecision = document.getElementById("filter-decision");
  var fResource = document.getElementById("filter-resource"), fSince = document.getElementById("filter-since"), fUntil = document.getElementById("filter-until");
  fill(fPlaybook, playbooks);
  fill(fDecision, decisions);

  function utc(input) { return input.value ? Date.parse(input.value + (input.value.length === 16 ? ":00Z" : "Z")) : NaN; }
  // As audit query --resource: the stored value or its short name, exactly, or a prefix ending in *.
  function resourceMatches(item, query) {
    var prefix = query.charAt(query.length - 1) === "*" ? query.slice(0, -1) : null;
    for (var name of item.names) {
      if (prefix !== null ? name.startsWith(prefix) : name === query) { return true; }
    }
    return prefix !== null ? item.group.startsWith(prefix) : item.group === query;
  }
  function selected() {
    var p = fPlaybook.value, d = fDecision.value, q = fResource.value.trim(), since = utc(fSince), until = utc(fUntil);
    return items.filter(function (item) {
      return (!p || item.playbooks.has(p)) && (!d || item.decisions.has(d)) && (!q || resourceMatches(item, q))
        && (isNaN(since) || item.time >= since) && (isNaN(until) || item.time < until);
    });
  }

  function chip(r) {
    var d = s(r, "decision");
    var c = el("span", "chip " + (GOOD[d] ? "good" : BAD[d] ? "bad" : STOP[d] ? "stop" : RUN[d] ? "run" : ""), d);
    c.title = iso(r[M.time]);
    return c;
  }
  function line(label, value, cls) {
    var p = el("div", "detail" + (cls ? " " + cls : ""));
    p.appendChild(el("span", "label", label + ": "));
    p.appendChild(document.createTextNode(value));
    return p;
  }
  function renderItem(item, span) {
    var li = el("li", "event");
    li.id = "item-" + item.index;
    li.appendChild(el("div", "when", iso(item.time)));
    var what = el("div", "what");
    var chips = el("div", "chips");
    item.records.forEach(function (r) { chips.appendChild(chip(r)); });
    var first = item.records[0], event = s(first, "eventId");
    if (event !== null) { chips.appendChild(el("span", "detail", "event " + event)); }
    what.appendChild(chips);
    var outcome = null, execution = null, input = null, causedBy = null;
    item.records.forEach(function (r) {
      if (OUTCOME[s(r, "decision")] || s(r, "reason") !== null) { outcome = r; }
      if (s(r, "executionId") !== null) { execution = r; }
      if (s(r, "input") !== null) { input = s(r, "input"); }
      if (s(r, "causedBy") !== null) { causedBy = s(r, "causedBy"); }
    });
    if (item.playbooks.size) { what.appendChild(line("playbook", Array.from(item.playbooks).join(", "))); }
    var resource = s(outcome || first, "resource");
    if (resource !== null) { what.appendChild(line("resource", resource)); }
    if (input !== null) { what.appendChild(line("input", input)); }
    if (execution !== null) {
      var run = line("run", s(execution, "executionId"), "run");
      run.classList.add("run-line");
      what.appendChild(run);
    }
    if (outcome !== null) {
      var text = s(outcome, "decision");
      if (s(outcome, "status") !== null) { text += " (" + s(outcome, "status") + ")"; }
      if (outcome[M.durationMs] !== null) { text += " after " + duration(outcome[M.durationMs]); }
      if (s(outcome, "guard") !== null) { text += " by guard " + s(outcome, "guard"); }
      if (s(outcome, "reason") !== null) { text += ": " + s(outcome, "reason"); }
      what.appendChild(line("outcome", text, "outcome"));
      if (outcome[M.durationMs] !== null && span > 0) {
        var bar = el("div", "bar");
        bar.style.width = Math.max(0.3, Math.min(100, 100 * outcome[M.durationMs] / span)) + "%";
        bar.title = duration(outcome[M.durationMs]);
        what.appendChild(bar);
      }
    }
    if (causedBy !== null) {
      var cause = el("div", "detail caused");
      cause.appendChild(el("span", "label", "caused by our run: "));
      var target = runs.get(causedBy);
      if (target) {
        var a = el("a", "caused-link", causedBy);
        a.href = "#item-" + target.index;
        a.addEventListener("click", function (e) { e.preventDefault(); reveal(target); });
        cause.appendChild(a);
      } else {
        cause.appendChild(document.createTextNode(causedBy + " (not in these files)"));
      }
      what.appendChild(cause);
    }
    li.appendChild(what);
    return li;
  }
  function renderGroup(details, group) {
    var ol = el("ol", "events"), shown = 0;
    var first = group.items[0].time, last = group.items[group.items.length - 1].time;
    var span = Math.max(last - first, 1);
    function more() {
      var end = Math.min(shown + PAGE, group.items.length);
      for (; shown < end; shown++) { ol.appendChild(renderItem(group.items[shown], span)); }
      if (shown < group.items.length) {
        var b = el("button", "more", "show " + Math.min(PAGE, group.items.length - shown) + " more of " + (group.items.length - shown));
        b.type = "button";
        b.addEventListener("click", function () { b.remove(); more(); });
        details.appendChild(b);
      }
    }
    details.appendChild(ol);
    more();
  }

  var timeline = document.getElementById("timeline"), count = document.getElementById("filter-count");
  function render(openGroup) {
    var t0 = performance.now();
    var chosen = selected(), groups = new Map();
    chosen.forEach(function (item) {
      var g = groups.get(item.group);
      if (!g) { g = { name: item.group, items: [], runs: 0, outcomes: new Map() }; groups.set(item.group, g); }
      g.items.push(item);
      item.records.forEach(function (r) {
        var d = s(r, "decision");
        if (d === "started" || d === "planned") { g.runs++; }
        if (OUTCOME[d]) { g.outcomes.set(d, (g.outcomes.get(d) || 0) + 1); }
      });
    });
    timeline.replaceChildren();
    var all = Array.from(groups.values()), openAll = all.length <= OPEN_ALL_UNDER;
    all.slice(0, MAX_GROUPS).forEach(function (g) {
      var details = el("details", "resource");
      details.dataset.resource = g.name;
      var summary = el("summary");
      summary.appendChild(el("span", "name", g.name));
      var outcomes = Array.from(g.outcomes.entries()).map(function (e) { return e[0] + " " + e[1]; }).join(", ");
      summary.appendChild(el("span", "stats", g.items.length + " event(s), " + g.runs + " run(s)" + (outcomes ? "; " + outcomes : "")));
      details.appendChild(summary);
      var drawn = false;
      function draw() { if (!drawn) { drawn = true; renderGroup(details, g); } }
      details.addEventListener("toggle", function () { if (details.open) { draw(); } });
      if (openAll || g.name === openGroup) { details.open = true; draw(); }
      timeline.appendChild(details);
    });
    if (all.length > MAX_GROUPS) {
      timeline.appendChild(el("p", "note", (all.length - MAX_GROUPS) + " more resource(s) not shown: narrow the filters"));
    }
    if (!all.length) { timeline.appendChild(el("p", "note", "No records match the filters.")); }
    count.textContent = chosen.length + " of " + items.length + " event(s), " + all.length + " resource(s)";
    document.body.dataset.renderMs = String(Math.round((performance.now() - t0) * 10) / 10);
  }
  function reveal(item) {
    var target = document.getElementById("item-" + item.index);
    if (!target) {
      document.getElementById("filters").reset();
      render(item.group);
      target = document.getElementById("item-" + item.index);
    }
    if (target) {
      var open = target.closest("details");
      if (open) { open.open = true; }
      document.querySelectorAll("li.event.target").forEach(function (e) { e.classList.remove("target"); });
      target.classList.add("target");
      target.scrollIntoView({ block: "center" });
    }
  }

  [fPlaybook, fDecision, fSince, fUntil].forEach(function (input) { input.addEventListener("change", function () { render(); }); });
  fResource.addEventListener("input", function () { render(); });
  document.getElementById("filter-clear").addEventListener("click", function () { document.getElementById("filters").reset(); render(); });
  document.getElementById("filters").addEventListener("submit", function (e) { e.preventDefault(); });
  render();
  // For bench/AuditReport.Benchmarks: the script's own time, and the time since the navigation started.
  document.body.dataset.readyMs = String(Math.round(performance.now() - started));
  document.body.dataset.readyAt = String(Math.round(performance.now()));
  document.body.dataset.ready = "true";
})();
