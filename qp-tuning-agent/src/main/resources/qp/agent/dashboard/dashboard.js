// QP dashboard: live view of the agent's store over server-sent events, and the operator's controls.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { snapshots: 0, points: {}, status: "connecting", session: null, charts: {}, lastSnapshot: null };
  window.qpDashboard = state;
  let source = null;
  let retryTimer = null;

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else if (k.startsWith("data-")) e.setAttribute(k, v); else e[k] = v;
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    return e;
  }
  const micros = (v) => v == null ? "-" : v < 1000 ? v.toFixed(0) + " µs" : v < 1e6 ? (v / 1000).toFixed(1) + " ms" : (v / 1e6).toFixed(2) + " s";
  const pct = (v) => v == null ? "-" : (v * 100).toFixed(0) + "%";
  const signed = (v) => v == null ? "-" : (v > 0 ? "+" : "") + (v * 100).toFixed(1) + "%";
  const time = (ms) => new Date(ms).toISOString().substring(11, 19);
  const value = (param, v) => v === 0 && param === "compression_threshold" ? "off" : String(v);

  function setStatus(s, text) {
    state.status = s;
    const p = $("status");
    p.className = "pill " + (s === "live" ? "live" : s === "retry" ? "retry" : "off");
    p.textContent = text;
  }

  function showResult(kind, message) {
    const r = $("result");
    r.hidden = false;
    r.className = kind;
    r.textContent = message;
  }

  async function api(path, body) {
    const init = body === undefined ? { credentials: "same-origin" }
      : { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
    const res = await fetch(path, init);
    let json = null;
    try { json = await res.json(); } catch (e) { json = null; }
    return { status: res.status, body: json };
  }

  async function start() {
    let s;
    try {
      s = (await api("api/session")).body;
    } catch (e) {
      setStatus("retry", "agent unreachable, retrying");
      scheduleRetry();
      return;
    }
    state.session = s;
    $("logout").hidden = !s.authenticated;
    $("show-login").hidden = s.authenticated || !s.publicRead;
    if (!s.authenticated && !s.publicRead) {
      $("login").hidden = false;
      setStatus("off", "token needed");
      return;
    }
    $("login").hidden = true;
    connect();
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(() => { retryTimer = null; start(); }, 2000);
  }

  function connect() {
    if (source) source.close();
    source = new EventSource("api/events");
    source.addEventListener("open", () => setStatus("live", "live"));
    source.addEventListener("snapshot", (ev) => {
      setStatus("live", "live");
      render(JSON.parse(ev.data));
    });
    source.addEventListener("error", () => {
      if (source.readyState === EventSource.CLOSED) {
        // refused (e.g. the session ended) or the agent is gone: ask again from the top
        source = null;
        setStatus("retry", "reconnecting");
        scheduleRetry();
      } else {
        setStatus("retry", "reconnecting"); // the browser retries by itself
      }
    });
  }

  function render(snap) {
    state.snapshots++;
    state.lastSnapshot = snap;
    renderNodes(snap.nodes || {});
    renderExperiments(snap.experiments || { running: [], ended: [] });
    renderOptimizations(snap.optimizations || []);
    renderCalibration(snap.calibration);
    renderAnomalies(snap.anomalies || []);
    renderBigrams(snap.bigrams || []);
    renderModels(snap.models || []);
  }

  // compact axis labels: "120ms", not "120,000" cut off by the axis width
  const axisMicros = (v) => v < 1000 ? v + "µs" : v < 1e6 ? +(v / 1000).toFixed(1) + "ms" : +(v / 1e6).toFixed(2) + "s";
  const axisCount = (v) => v < 1000 ? String(v) : v < 1e6 ? +(v / 1000).toFixed(1) + "k" : +(v / 1e6).toFixed(2) + "M";

  function chartOpts(title, series, width, label) {
    return {
      title: title, width: width, height: 170, legend: { live: false },
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"), // the same clock as the tables (UTC)
      scales: { x: { time: true } },
      axes: [{}, { size: 60, values: (u, vals) => vals.map((v) => v == null ? "" : label(v)) }],
      series: [{}].concat(series.map(([label, stroke]) => ({ label: label, stroke: stroke, width: 1.5 }))),
    };
  }

  function renderNodes(nodes) {
    const box = $("nodes");
    const names = Object.keys(nodes).sort();
    if (names.length === 0) return;
    const empty = box.querySelector(".empty");
    if (empty) empty.remove();
    for (const name of names) {
      const n = nodes[name];
      let c = state.charts[name];
      const width = Math.max(260, Math.floor((box.clientWidth > 1200 ? box.clientWidth / 2 - 20 : box.clientWidth) / 2) - 12);
      if (!c) {
        const figures = el("span", { class: "figures" });
        const latencyDiv = el("div"), throughputDiv = el("div");
        box.append(el("div", { class: "node", "data-node": name }, el("h3", {}, name, figures),
          el("div", { class: "charts" }, latencyDiv, throughputDiv)));
        c = state.charts[name] = {
          figures: figures,
          latency: new uPlot(chartOpts("latency", [["p50", "#7aa6f7"], ["p95", "#2f6fed"], ["p99", "#c62f3a"]], width, axisMicros), [[], [], [], []], latencyDiv),
          throughput: new uPlot(chartOpts("throughput (frames/s)", [["frames/s", "#1a8f4c"]], width, axisCount), [[], []], throughputDiv),
        };
      }
      c.latency.setData([n.t, n.p50, n.p95, n.p99]);
      c.throughput.setData([n.t, n.throughput]);
      state.points[name] = n.t.length;
      const last = n.t.length - 1;
      c.figures.textContent = last < 0 ? "" : "p99 " + micros(n.p99[last]) + " · " + n.throughput[last].toFixed(1)
        + " frames/s · errors " + (n.errorRate[last] * 100).toFixed(2) + "% · " + n.t.length + " windows";
    }
  }

  // an effect as bin/qp experiments prints it: "-62% [-70%, -55%] at 95%" (whole percents from 10% on)
  function effectPercent(r) {
    if (r == null) return "?";
    const p = 100 * r;
    const s = Math.abs(p) >= 9.95 ? p.toFixed(0) : p.toFixed(1);
    return /^-?0(\.0)?$/.test(s) ? s.replace("-", "") + "%" : (p > 0 ? "+" : "") + s + "%";
  }
  const effectText = (e) => e.effect == null ? "no interval yet" : effectPercent(e.effect) + " [" + effectPercent(e.intervalLow)
    + ", " + effectPercent(e.intervalHigh) + "]" + (e.intervalLevel == null ? "" : " at " + (100 * e.intervalLevel).toFixed(1).replace(".0", "") + "%");
  // lower is better for every metric: an interval wholly below zero is a gain, wholly above a loss
  const side = (e) => e.effect == null ? "" : e.intervalHigh < 0 ? "better" : e.intervalLow > 0 ? "worse" : "unclear";
  const arms = (e) => e.assignment === "switchback" ? "switchback " + Math.round(e.blockMillis / 1000) + " s blocks"
    : Math.round(100 * e.share) + "% of sessions";

  // the half-width of the scale shared by a table's bars: the widest interval end, rounded up to a plain figure
  function scaleOf(list) {
    const widest = Math.max(0.1, ...list.filter((e) => e.effect != null)
      .map((e) => Math.max(Math.abs(e.intervalLow), Math.abs(e.intervalHigh), Math.abs(e.effect))));
    return [0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10].find((s) => s >= widest) || 10;
  }

  function intervalBar(e, scale) {
    const box = el("div", { class: "ci", title: effectText(e) });
    box.append(el("span", { class: "zero" }));
    if (e.effect == null) return box; // the effect's cell says "no interval yet"
    const x = (v) => 50 + 50 * Math.max(-1, Math.min(1, v / scale));
    const left = x(e.intervalLow), right = x(e.intervalHigh);
    box.append(el("span", { class: "range " + side(e), style: "left:" + left.toFixed(2) + "%;width:" + Math.max(0.5, right - left).toFixed(2) + "%" }),
      el("span", { class: "point", style: "left:" + x(e.effect).toFixed(2) + "%" }));
    return box;
  }

  function setScale(table, scale, list) {
    const label = list.some((e) => e.effect != null) ? "(" + effectPercent(-scale) + " … " + effectPercent(scale) + ")" : "";
    table.querySelectorAll("th.ci-head .scale").forEach((s) => { s.textContent = label; });
  }

  function renderExperiments(x) {
    const running = $("exp-running"), ended = $("exp-ended");
    const rs = scaleOf(x.running), es = scaleOf(x.ended);
    setScale(running, rs, x.running);
    setScale(ended, es, x.ended);
    running.tBodies[0].replaceChildren(...x.running.map((e) => el("tr", { "data-id": e.id },
      el("td", { class: "nowrap" }, e.nodeId),
      el("td", {}, e.parameter + " " + e.change.replace(" -> ", " → ")),
      el("td", { class: "nowrap" }, arms(e)),
      el("td", {}, el("span", { class: "badge " + e.status }, e.status)),
      el("td", { class: "nowrap" }, time(e.startedAtMillis || e.createdAtMillis)),
      el("td", {}, e.targetMetric),
      el("td", { class: "effect " + side(e) }, effectText(e)),
      el("td", {}, intervalBar(e, rs)),
      el("td", { class: "num" }, e.framesControl == null ? "-" : e.framesControl + " / " + e.framesTreatment))));
    if (x.running.length === 0) running.tBodies[0].append(el("tr", {}, el("td", { colSpan: 9, class: "empty" }, "no experiment running")));
    ended.tBodies[0].replaceChildren(...x.ended.map((e) => el("tr", { "data-id": e.id },
      el("td", { class: "nowrap" }, time(e.endedAtMillis || e.createdAtMillis)),
      el("td", { class: "nowrap" }, e.nodeId),
      el("td", {}, e.parameter + " " + e.change.replace(" -> ", " → ")),
      el("td", {}, el("span", { class: "badge " + (e.verdict || e.status), "data-verdict": e.verdict || e.status }, (e.verdict || e.status).replace("_", " "))),
      el("td", { class: "effect " + side(e) }, effectText(e)),
      el("td", {}, intervalBar(e, es)),
      el("td", { class: "reason" }, e.sentence || ""))));
    if (x.ended.length === 0) ended.tBodies[0].append(el("tr", {}, el("td", { colSpan: 7, class: "empty" }, "none yet")));
  }

  function actionButtons(o) {
    const td = el("td", { class: "actions" });
    const add = (action, label) => td.append(el("button", { type: "button", "data-action": action, "data-id": o.recommendationId }, label));
    if (["pending", "advised", "dry_run", "rejected"].includes(o.status)) add("apply", "Apply");
    if (["pending", "advised", "dry_run"].includes(o.status)) add("reject", "Reject");
    if (["applied", "verified"].includes(o.status)) add("rollback", "Roll back");
    return td;
  }

  function renderOptimizations(opts) {
    const body = $("opts").tBodies[0];
    body.replaceChildren(...opts.map((o) => el("tr", { "data-id": o.recommendationId },
      el("td", {}, el("span", { class: "badge " + o.status, "data-status": o.status }, o.status.replace("_", " "))),
      el("td", { class: "nowrap" }, o.nodeId),
      el("td", {}, o.parameter + " " + value(o.parameter, o.currentValue) + " → " + value(o.parameter, o.proposedValue)),
      el("td", { class: "num" }, o.confidence.toFixed(2)),
      el("td", { class: "num" }, pct(o.expectedImprovement) + " " + o.targetMetric),
      el("td", { class: "num" }, signed(o.observedChange)),
      el("td", {}, o.evidence || "", o.reason ? el("div", { class: "reason" }, (o.gate ? "gate " + o.gate + ": " : "") + o.reason) : null),
      actionButtons(o))));
    if (opts.length === 0) body.append(el("tr", {}, el("td", { colSpan: 8, class: "empty" }, "no recommendations yet")));
  }

  // a band with fewer outcomes than this shows its count, not a share to read as a rate
  const BAND_MIN = 10;

  function calibrationTable(src) {
    const rows = src.reliability.bands.map((b) => el("tr", { "data-band": b.band },
      el("td", { class: "nowrap" }, b.band),
      el("td", { class: "num" }, String(b.count)),
      el("td", { class: "num" }, b.count === 0 ? "-" : b.meanConfidence.toFixed(2)),
      el("td", { class: "num share" }, b.count === 0 ? "-" : b.count < BAND_MIN ? "n too small (" + b.kept + " of " + b.count + ")"
        : (100 * b.shareKept).toFixed(0) + "%"),
      el("td", { class: "num" }, b.count === 0 ? "-" : (100 * b.keptLow).toFixed(0) + "% – " + (100 * b.keptHigh).toFixed(0) + "%")));
    return el("table", { class: "reliability" },
      el("thead", {}, el("tr", {}, el("th", {}, "confidence"), el("th", {}, "n"), el("th", {}, "mean confidence"),
        el("th", {}, "share kept"), el("th", {}, "95% interval"))),
      el("tbody", {}, ...rows));
  }

  function renderCalibration(c) {
    const box = $("calibration-sources");
    if (!c) return;
    $("calibration-note").textContent = c.leftOut + " (" + c.stopped + " stopped, " + c.failedToStart
      + " failed to start). The gate calibrates a source once it has " + c.minOutcomes + " outcomes.";
    if (c.sources.length === 0) {
      box.replaceChildren(el("p", { class: "empty" }, "no decided outcome yet: n too small for a reliability table; "
        + "calibration is not active yet (" + c.minOutcomes + " outcomes per source needed)"));
      return;
    }
    box.replaceChildren(...c.sources.concat(c.overall.source === "all" && c.sources.length > 1 ? [c.overall] : [])
      .map((src) => el("div", { class: "calibration-source", "data-source": src.source },
        el("h3", { class: "sub" }, src.source + ": " + src.outcomes + " outcomes, " + src.kept + " kept · Brier "
          + (src.reliability.brier == null ? "-" : src.reliability.brier.toFixed(3)) + " over " + src.reliability.count + " ",
          el("span", { class: "badge " + (src.calibrationActive ? "verified" : "pending"), "data-active": String(src.calibrationActive) },
            src.source === "all" ? "all sources" : src.calibrationActive ? "calibration active" : "calibration not active yet")),
        el("p", { class: "hint" }, src.note),
        calibrationTable(src))));
  }

  function renderAnomalies(list) {
    const body = $("anomalies").tBodies[0];
    body.replaceChildren(...list.map((a) => el("tr", {},
      el("td", {}, time(a.windowEndMillis)), el("td", { class: "nowrap" }, a.nodeId + (a.type && a.type !== "*" ? " " + a.type : "")),
      el("td", {}, el("span", { class: "badge " + a.severity }, a.kind)), el("td", {}, a.detail || ""))));
    if (list.length === 0) body.append(el("tr", {}, el("td", { colSpan: 4, class: "empty" }, "none")));
  }

  function bars(box, rows, fmt) {
    const max = Math.max(1, ...rows.map((r) => r[1]));
    box.replaceChildren(...rows.map(([label, v]) => el("div", { class: "bar" }, el("span", { class: "label", title: label }, label),
      el("span", { class: "track" }, el("span", { class: "fill", style: "display:block;width:" + (100 * v / max).toFixed(1) + "%" })),
      el("span", { class: "value" }, fmt(v)))));
  }

  function renderBigrams(list) {
    const box = $("bigrams");
    if (list.length === 0) { box.replaceChildren(el("p", { class: "empty" }, "no sequences in the window")); return; }
    bars(box, list.map((b) => [b.sequence, b.count]), (v) => String(v));
  }

  function renderModels(list) {
    const box = $("models");
    if (list.length === 0) { box.replaceChildren(el("p", { class: "empty" }, "no model trained yet")); return; }
    box.replaceChildren(...list.map((m) => {
      const imp = el("div");
      bars(imp, Object.entries(m.featureImportance || {}).slice(0, 5), (v) => v.toFixed(3));
      return el("div", { class: "model" },
        el("div", {}, el("b", {}, m.version), " ", el("span", { class: "badge " + (m.published ? "verified" : "rejected") }, m.published ? "published" : "rejected")),
        el("div", { class: "meta" }, (m.algorithm || "") + " · R² " + (m.r2 == null ? "-" : m.r2.toFixed(3))
          + " · MAE " + micros(m.maeMicros) + " · " + m.rows + " rows · trained " + new Date(m.trainedAtMillis).toISOString().replace("T", " ").substring(0, 19) + "Z"),
        imp);
    }));
  }

  async function press(action, id, nodeId) {
    const body = { action: action };
    if (id) body.id = id;
    if (nodeId) body.nodeId = nodeId;
    let r;
    try {
      r = await api("api/actions", body);
    } catch (e) {
      showResult("failed", action + ": the agent did not answer; try again");
      return;
    }
    if (r.status === 401) {
      showResult("refused", (r.body && r.body.error) || "refused: enter the admin token");
      $("login").hidden = false;
      return;
    }
    const b = r.body || {};
    showResult(b.ok ? "done" : "failed", action + (id ? " " + id : "") + ": " + (b.message || b.error || "status " + r.status)
      + (b.status ? " [" + b.status + "]" : ""));
  }

  document.addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-action]");
    if (b) press(b.getAttribute("data-action"), b.getAttribute("data-id"));
  });
  $("retrain").addEventListener("click", () => press("retrain", null, null));
  $("show-login").addEventListener("click", () => { $("login").hidden = false; $("token").focus(); });
  $("logout").addEventListener("click", async () => {
    await api("api/logout", {});
    if (source) source.close();
    source = null;
    start();
  });
  $("login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const r = await api("api/login", { token: $("token").value });
    if (r.status !== 200) { $("login-error").textContent = "wrong token"; return; }
    $("token").value = "";
    $("login-error").textContent = "";
    start();
  });
  start();
})();
