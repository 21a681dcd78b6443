// The status page: polls the JSON API (read-only) and redraws only the rows it shows; no framework, no build step.
"use strict";
(function () {
  const POLL_MS = 2000;
  const PAGE = 50;
  const $ = (id) => document.getElementById(id);

  function text(value) { return value === null || value === undefined ? "" : String(value); }
  function cell(row, value, cls) { const td = row.insertCell(); td.textContent = text(value); if (cls) td.className = cls; return td; }
  function when(value) { return value ? new Date(value).toLocaleString() : "—"; }
  function showError(message) { const e = $("error"); e.hidden = !message; e.textContent = message || ""; }

  async function getJson(url) {
    const response = await fetch(url, { cache: "no-store" });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    return body;
  }

  function controllerLine(c) {
    const shards = c.shardsHeld ? `shards ${c.shardsHeld.length}/${c.shardCount} held` : "no leases (alone)";
    const throttles = Object.entries(c.awsThrottles).map(([s, n]) => `${s} ${n}`).join(", ") || "none";
    const breakers = Object.entries(c.breakers).map(([s, state]) => `${s} ${state}`).join(", ") || "—";
    return `engine ${c.engine} · ${c.specs} specs · workers ${c.workersBusy}/${c.workers} busy · queue ${c.queueDepth} (+${c.queueDelayed} delayed) · ${shards} · AWS throttles: ${throttles} · breakers: ${breakers}`;
  }

  // ---- the list ----
  const state = { offset: 0 };

  function query() {
    const p = new URLSearchParams();
    if ($("phase").value) p.set("phase", $("phase").value);
    if ($("label").value.trim()) p.set("label", $("label").value.trim());
    if ($("q").value.trim()) p.set("q", $("q").value.trim());
    if ($("drifted").checked) p.set("drifted", "true");
    p.set("offset", state.offset);
    p.set("limit", PAGE);
    return p;
  }

  function drawList(page) {
    const body = $("specs").tBodies[0];
    body.replaceChildren();
    for (const s of page.items) {
      const row = body.insertRow();
      row.dataset.name = s.name;
      if (s.drifted) row.classList.add("drifted");
      const link = document.createElement("a");
      link.href = `/spec?name=${encodeURIComponent(s.name)}`;
      link.textContent = s.name;
      row.insertCell().append(link);
      cell(row, s.deleting ? `${s.phase} (deleting)` : s.phase, `phase phase-${s.phase}`);
      const drift = row.insertCell();
      if (s.drifted) { const b = document.createElement("span"); b.className = "badge-drifted"; b.textContent = "DRIFTED"; drift.append(b); }
      cell(row, s.reason ? `${s.reason}: ${text(s.message)}` : "");
      cell(row, s.resources);
      cell(row, s.lastApply ? `${s.lastApply.engine} ${s.lastApply.result} (+${s.lastApply.creates} ~${s.lastApply.updates} -${s.lastApply.deletes})` : "—");
      cell(row, when(s.nextResyncTime));
      const labels = row.insertCell();
      for (const [k, v] of Object.entries(s.labels)) { const l = document.createElement("span"); l.className = "label"; l.textContent = `${k}=${v}`; labels.append(l); }
    }
    const phaseSelect = $("phase");
    for (const name of Object.keys(page.phases).sort()) {
      if (![...phaseSelect.options].some((o) => o.value === name)) phaseSelect.add(new Option(name, name));
    }
    const phases = Object.entries(page.phases).map(([k, n]) => `${k} ${n}`).join(" · ");
    $("counts").textContent = `${page.total} specs: ${phases}${page.driftedCount ? ` · drifted ${page.driftedCount}` : ""}`;
    const last = Math.min(page.offset + page.items.length, page.matched);
    $("range").textContent = page.matched ? `${page.offset + 1}–${last} of ${page.matched}` : "no spec matches";
    $("prev").disabled = page.offset === 0;
    $("next").disabled = last >= page.matched;
    document.body.dataset.loaded = "true";
  }

  async function refreshList() {
    try {
      const [page, controller] = await Promise.all([getJson(`/api/v1/specs?${query()}`), getJson("/api/v1/controller")]);
      drawList(page);
      $("controller").textContent = controllerLine(controller);
      showError("");
    } catch (e) {
      showError(`could not refresh: ${e.message}`);
    }
  }

  function startList() {
    for (const id of ["phase", "drifted"]) $(id).addEventListener("change", () => { state.offset = 0; refreshList(); });
    for (const id of ["label", "q"]) $(id).addEventListener("input", () => { state.offset = 0; refreshList(); });
    $("filters").addEventListener("submit", (e) => e.preventDefault());
    $("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); refreshList(); });
    $("next").addEventListener("click", () => { state.offset += PAGE; refreshList(); });
    refreshList();
    setInterval(refreshList, POLL_MS);
  }

  // ---- one spec ----
  function rows(tableId, items, columns) {
    const body = $(tableId).tBodies[0];
    body.replaceChildren();
    for (const item of items) {
      const row = body.insertRow();
      for (const [value, cls] of columns(item)) cell(row, value, cls);
    }
  }

  function drawSpec(d) {
    const s = d.summary;
    document.title = `${s.name} · Reconciler status`;
    $("name").textContent = s.name;
    const headline = $("headline");
    headline.replaceChildren();
    const phase = document.createElement("span");
    phase.className = `phase phase-${s.phase}`;
    phase.textContent = s.phase;
    headline.append(phase, ` ${text(s.reason)}${s.message ? ": " + s.message : ""} `);
    if (s.drifted) { const b = document.createElement("span"); b.className = "badge-drifted"; b.textContent = "DRIFTED"; headline.append(b); }
    const summary = $("summary");
    summary.replaceChildren();
    const facts = [
      ["generation", `${s.generation} (observed ${s.observedGeneration})`],
      ["stages", d.stages.join("; ")],
      ["drift policy", d.driftPolicy], ["deletion policy", d.deletionPolicy],
      ["last apply", s.lastApply ? `${s.lastApply.engine} ${s.lastApply.result}: ${s.lastApply.creates} created, ${s.lastApply.updates} updated, ${s.lastApply.deletes} deleted in ${s.lastApply.durationSeconds.toFixed(3)} s, ${when(s.lastApply.finishedAt)}` : "—"],
      ["next resync", when(s.nextResyncTime)], ["next retry", when(s.nextRetryTime)],
      ["labels", Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(", ") || "—"],
    ];
    for (const [k, v] of facts) { const dt = document.createElement("dt"); dt.textContent = k; const dd = document.createElement("dd"); dd.textContent = v; summary.append(dt, dd); }
    const dt = document.createElement("dt"); dt.textContent = "trace";
    const dd = document.createElement("dd");
    if (d.traceUrl) { const a = document.createElement("a"); a.href = d.traceUrl; a.textContent = d.traceId; a.id = "trace"; dd.append(a); }
    else dd.textContent = d.traceId ? `${d.traceId} (no --trace-url-template set)` : "— (applied without tracing)";
    summary.append(dt, dd);
    rows("resources", d.resources, (r) => [[r.kind], [r.name], [r.state], [r.arn || "—", "arn"]]);
    rows("conditions", d.conditions, (c) => [[c.type], [c.status], [c.reason], [c.message], [when(c.lastTransitionTime)]]);
    rows("errors", d.lastErrors, (c) => [[when(c.observedAt)], [c.type], [c.reason], [c.message]]);
    rows("history", [...d.history].reverse(), (c) => [[when(c.observedAt)], [c.type], [c.status], [c.reason], [c.message], [c.observedGeneration]]);
    document.body.dataset.loaded = "true";
  }

  async function refreshSpec(name) {
    try {
      drawSpec(await getJson(`/api/v1/specs/${encodeURIComponent(name)}`));
      showError("");
    } catch (e) {
      showError(`${name}: ${e.message}`);
    }
  }

  function startSpec() {
    const name = new URLSearchParams(location.search).get("name") || "";
    refreshSpec(name);
    setInterval(() => refreshSpec(name), POLL_MS);
  }

  if (document.body.dataset.page === "spec") startSpec(); else startList();
})();
