// A lab page's controller (the view). It binds the pre-rendered HTML to the engine worker and the Design Ledger:
// prediction lock -> reveal -> instruments -> outputs, failures, math peek and charts. It never computes physics:
// every number shown comes from the engine, either pre-computed at build time (the scenario's settings) or
// from the worker. View-only state (which panel is open) never reaches the ledger.

import { EngineClient, LatestOnly } from "./engine-client.js";
import { dataTable, drawChart, summarise } from "./charts.js";
import { Ledger, LedgerError } from "./ledger.js";
import { showLedgerProblem } from "./ledger-ui.js";

const config = JSON.parse(document.getElementById("runtime-config").textContent);
const data = JSON.parse(document.getElementById("lab-data").textContent);
const html = document.documentElement;
const LAB = data.lab;
const ledger = new Ledger(window.localStorage);
let doc = ledger.load();
showLedgerProblem(ledger);

// --- ledger inputs (reads from earlier labs) -----------------------------------------------------------------

function ledgerInputs() {
  const values = {};
  for (const r of data.reads) {
    const v = ledger.get(r.key, doc);
    if (v !== undefined && v !== null) values[r.key] = v;
  }
  return values;
}

function comboKey(values) {
  return data.combo_keys.slice().sort().map((k) => {
    const r = data.reads.find((x) => x.key === k);
    const v = values[k];
    return `${k}=${r.choices.includes(v) ? v : r.preset}`;
  }).join("&");
}

function showPresetNote() {
  const note = document.querySelector("[data-preset-note]");
  const values = ledgerInputs();
  const missing = data.reads.filter((r) => values[r.key] === undefined);
  const used = data.reads.filter((r) => values[r.key] !== undefined);
  const parts = [];
  if (data.reads.length > 4) {
    // a capstone reads dozens of values: summarise, naming the labs whose presets stand in
    const labsMissing = [...new Set(missing.map((r) => r.key.split(".")[0]))];
    parts.push(`${used.length} of ${data.reads.length} values from earlier labs come from your ledger`);
    if (missing.length) parts.push(`${missing.length} presets in use (not done yet: ${labsMissing.join(", ")})`);
  } else {
    for (const r of missing) parts.push(`${r.label}: ${r.preset} (preset in use — ${r.key.split(".")[0]} not done yet)`);
    for (const r of used) parts.push(`${r.label}: ${values[r.key]} (from your ledger)`);
  }
  note.hidden = parts.length === 0;
  note.textContent = parts.join(" · ");
}

// --- engine ----------------------------------------------------------------------------------------------------

const statusText = document.querySelector("[data-engine-text]");
const statusBar = document.querySelector("[data-engine-progress]");
html.dataset.engine = "loading";
const engine = new EngineClient({ ...config, siteRoot: new URL(siteRootHref(), location.href).href, lab: LAB }, {
  onProgress: (p) => {
    statusText.textContent = `starting (${p.step}/${p.of}: ${p.label})…`;
    statusBar.max = p.of;
    statusBar.value = p.step - 1;
  },
  onReady: (ms) => {
    html.dataset.engine = "ready";
    html.dataset.engineReadyMs = String(Math.round(ms));
    html.dataset.engineWasmBytes = String(engine.wasmBytes || 0);
    statusText.textContent = "ready";
    statusBar.value = statusBar.max;
    statusBar.hidden = true;
  },
  onFailed: (message) => {
    html.dataset.engine = "failed";
    statusBar.hidden = true;
    statusText.textContent = `could not start: ${message}. The results shown are the scenario's settings, computed when this site was built; moving the instruments needs the engine. Reload the page to try again.`;
    document.querySelector("[data-engine-status]").classList.add("failed");
  },
});

function siteRootHref() {
  // the page lives at <root>/labs/<id>/; the runtime config's paths are relative to <root>/
  return "../../";
}

// --- parts -----------------------------------------------------------------------------------------------------

class PartView {
  constructor(section) {
    this.el = section;
    this.id = section.dataset.part;
    this.meta = data.parts[this.id];
    this.form = section.querySelector("[data-prediction]");
    this.revealEl = section.querySelector("[data-reveal]");
    this.results = section.querySelector("[data-results]");
    this.lockNote = section.querySelector("[data-lock-note]");
    this.controls = [...section.querySelectorAll("[data-instrument]")];
    this.resetButton = section.querySelector("[data-reset-instruments]");
    this.queue = new LatestOnly((req) => engine.request(req));
    this.lastView = null;
    this.form.addEventListener("submit", (e) => { e.preventDefault(); this.lock(); });
    for (const c of this.controls) {
      c.addEventListener("input", () => this.onControl(c));
      c.addEventListener("change", () => this.onControl(c));
    }
    this.resetButton.addEventListener("click", () => this.applyDefaults(true));
    this.shareButton = section.querySelector("[data-share-settings]");
    this.shareButton.addEventListener("click", async () => {
      const link = this.shareLink();
      const note = this.el.querySelector("[data-share-note]");
      try {
        await navigator.clipboard.writeText(link);
        note.textContent = "Link copied. It carries these instrument settings, not your prediction or the answer.";
      } catch {
        note.textContent = `Copy this link: ${link}`;
      }
    });
    this.pendingShared = this.parseShared(location.hash);
  }

  get locked() { return Boolean(doc.labs[LAB] && doc.labs[LAB].predictions[this.id]); }

  defaults() { return this.meta.defaults[comboKey(ledgerInputs())]; }

  // Page values of the instruments (slider positions mapped through log steps).
  inputs() {
    const out = {};
    for (const c of this.controls) {
      const m = this.meta.instruments[c.dataset.instrument];
      if (m.type === "range") out[m.name] = m.log ? m.values[Number(c.value)] : Number(c.value);
      else if (m.type === "select") out[m.name] = c.value;
      else out[m.name] = c.checked;
    }
    return out;
  }

  setControl(c, value) {
    const m = this.meta.instruments[c.dataset.instrument];
    if (m.type === "range") c.value = String(m.log ? Math.max(0, m.values.indexOf(value)) : value);
    else if (m.type === "select") c.value = value;
    else c.checked = Boolean(value);
    this.showControlValue(c);
  }

  showControlValue(c) {
    const m = this.meta.instruments[c.dataset.instrument];
    if (m.type !== "range") return;
    const out = this.el.querySelector(`[data-instrument-value="${m.name}"]`);
    if (m.log) {
      const i = Number(c.value);
      out.textContent = m.labels[i];
      c.setAttribute("aria-valuetext", m.spoken[i]);
    } else {
      // linear sliders: the number as set, with its unit symbol (display only)
      const v = Number(c.value);
      out.textContent = `${v.toLocaleString("en-US", { maximumFractionDigits: 3 })} ${m.unit_symbol}`.trim();
      c.setAttribute("aria-valuetext", `${v} ${m.unit_spoken || ""}`.trim());
    }
  }

  applyDefaults(evaluate) {
    const d = this.defaults();
    for (const c of this.controls) this.setControl(c, d.inputs[c.dataset.instrument]);
    this.render(d);
    if (evaluate) this.evaluate();
  }

  setLockedUI() {
    const locked = this.locked;
    for (const c of this.controls) c.disabled = !locked;
    this.resetButton.disabled = !locked;
    this.shareButton.disabled = !locked;
    this.results.hidden = !locked;
    this.lockNote.hidden = locked;
    for (const el of this.form.elements) if (el.tagName !== "FIELDSET") el.disabled = locked;
    this.el.dataset.locked = String(locked);
    const status = this.el.querySelector("[data-part-status]");
    status.textContent = locked ? (this.revealed() ? "done" : "locked") : "not started";
    if (locked) {
      const p = doc.labs[LAB].predictions[this.id];
      const input = this.form.querySelector("input[type=number]");
      if (input) input.value = String(p.value);
      const radio = this.form.querySelector(`input[type=radio][value="${CSS.escape(String(p.value))}"]`);
      if (radio) radio.checked = true;
      this.showReveal(p);
      this.form.querySelector("button[type=submit]").textContent = "Prediction locked";
      // charts need a visible box to size themselves: draw them now that the results are shown
      if (this.lastView) this.drawCharts(this.lastView);
    }
  }

  revealed() {
    const p = doc.labs[LAB] && doc.labs[LAB].predictions[this.id];
    return Boolean(p && p.text);
  }

  showReveal(p) {
    this.revealEl.hidden = false;
    const line = this.revealEl.querySelector("[data-reveal-line]");
    line.textContent = p.text || `You predicted ${p.value_text || p.value}. Waiting for the engine to compute the actual value…`;
  }

  readPrediction() {
    const pred = this.meta.prediction;
    const error = this.form.querySelector("[data-prediction-error]");
    error.hidden = true;
    if (pred.type === "numeric") {
      const raw = this.form.querySelector("input[type=number]").value.trim();
      const v = Number(raw);
      if (raw === "" || !Number.isFinite(v) || v < pred.min || v > pred.max) {
        error.textContent = `Enter a number between ${pred.min.toLocaleString("en-US")} and ${pred.max.toLocaleString("en-US")} ${pred.unit_symbol}.`;
        error.hidden = false;
        return null;
      }
      return v;
    }
    const checked = this.form.querySelector("input[type=radio]:checked");
    if (!checked) {
      error.textContent = "Choose one option before locking.";
      error.hidden = false;
      return null;
    }
    return checked.value;
  }

  async lock() {
    if (this.locked) return;
    const value = this.readPrediction();
    if (value === null) return;
    try {
      doc = ledger.recordPrediction(LAB, this.id, { value, unit: this.meta.prediction.unit || "none" });
    } catch (err) {
      this.formError(err);
      return;
    }
    this.setLockedUI();
    announce(`Prediction locked for Part ${this.id}. The instruments are unlocked.`);
    this.revealEl.focus();
    await this.requestReveal();
    if (this.pendingShared) this.applyShared();
    else this.evaluate();
  }

  formError(err) {
    const error = this.form.querySelector("[data-prediction-error]");
    error.textContent = err instanceof LedgerError ? err.message : String(err);
    error.hidden = false;
  }

  async requestReveal() {
    const p = doc.labs[LAB].predictions[this.id];
    const response = await engine.request({ op: "reveal", lab: LAB, part: this.id, prediction: p.value, ledger: ledgerInputs() });
    if (!response.ok) return;
    const r = response.result;
    const entry = { value: p.value, unit: r.predicted.unit, value_text: r.predicted.text, actual: r.actual.value,
                    actual_text: r.actual.text, off_by: r.off_by, direction: r.direction, correct: r.correct, text: r.text };
    try {
      doc = ledger.recordPrediction(LAB, this.id, entry);
      doc = ledger.recordValues(LAB, revealWrites(this.id, r, this.defaults()));
      updateCompletion();
    } catch (err) {
      this.formError(err);
    }
    this.showReveal(entry);
    this.setLockedUI();
    announce(r.text);
  }

  onControl(c) {
    this.showControlValue(c);
    if (!this.locked) return;
    this.evaluate();
  }

  evaluate() {
    const request = { op: "evaluate", lab: LAB, part: this.id, inputs: this.inputs(), ledger: ledgerInputs() };
    const t0 = performance.now();
    this.el.dataset.pending = "true";
    this.queue.push(request, (response) => {
      this.el.dataset.pending = "false";
      if (!response.ok) {
        this.el.dataset.error = response.error;
        return;
      }
      delete this.el.dataset.error;
      this.render(response.result).then(() => {
        this.el.dataset.updateMs = (performance.now() - t0).toFixed(1);
        this.el.dataset.updates = String(Number(this.el.dataset.updates || 0) + 1);
      });
      try {
        const writes = changeWrites(this.id, response.result);
        if (writes.length) { doc = ledger.recordValues(LAB, writes); updateCompletion(); }
      } catch (err) { this.formError(err); }
    });
  }

  async render(view) {
    this.lastView = view;
    for (const [name, o] of Object.entries(view.outputs)) {
      const el = this.el.querySelector(`[data-output="${name}"]`);
      if (el) el.textContent = o.text;
    }
    const box = this.el.querySelector("[data-failures]");
    const shown = new Map([...box.querySelectorAll("[data-failure]")].map((el) => [el.dataset.failure, el]));
    const active = new Set(view.failures.map((f) => f.id));
    for (const [id, el] of shown) if (!active.has(id)) el.remove();
    for (const f of view.failures) {
      let el = shown.get(f.id);
      if (!el) {
        el = document.createElement("div");
        el.className = "failure";
        el.setAttribute("role", "alert");
        el.dataset.failure = f.id;
        box.append(el);
      }
      const text = `${f.title}. ${f.message}`;
      if (el.textContent !== text) {
        el.replaceChildren(Object.assign(document.createElement("strong"), { textContent: `${f.title}.` }), ` ${f.message}`);
      }
    }
    const list = this.el.querySelector("[data-math]");
    list.replaceChildren(...view.math.map((line) => Object.assign(document.createElement("li"), { textContent: line })));
    if (!this.results.hidden) await this.drawCharts(view);
  }

  drawCharts(view) {
    return Promise.all(Object.entries(view.charts).map(([id, chartData]) => {
      const meta = this.meta.charts[id];
      this.el.querySelector(`[data-chart-summary="${id}"]`).textContent = summarise(meta, chartData);
      this.el.querySelector(`[data-chart-table="${id}"]`).replaceChildren(dataTable(meta, chartData));
      return drawChart(this.el.querySelector(`[data-chart="${id}"]`), meta, chartData);
    }));
  }

  // --- shareable settings: #A&params=1e9&context=edge (instrument values only: never a prediction or an answer) --

  shareLink() {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(this.inputs())) params.set(name, String(value));
    return `${location.origin}${location.pathname}#${this.id}&${params.toString()}`;
  }

  // Returns settings from `fragment` that are valid for this part's instruments (anything else is ignored).
  parseShared(fragment) {
    const [partId, ...rest] = fragment.replace(/^#/, "").split("&");
    if (partId !== this.id) return null;
    const params = new URLSearchParams(rest.join("&"));
    const out = {};
    for (const [name, raw] of params) {
      const m = this.meta.instruments[name];
      if (!m) continue;
      if (m.type === "range") {
        const v = Number(raw);
        if (!Number.isFinite(v)) continue;
        if (m.log ? m.values.includes(v) : v >= m.min && v <= m.max) out[name] = v;
      } else if (m.type === "select") {
        if (m.options.some((o) => o.key === raw)) out[name] = raw;
      } else if (raw === "true" || raw === "false") out[name] = raw === "true";
    }
    return out;
  }

  applyShared() {
    if (!this.pendingShared) return;
    const note = this.el.querySelector("[data-share-note]");
    if (!this.locked) {
      note.textContent = "This link carries instrument settings; they apply once you lock your prediction.";
      return;
    }
    for (const c of this.controls) {
      const v = this.pendingShared[c.dataset.instrument];
      if (v !== undefined) this.setControl(c, v);
    }
    this.pendingShared = null;
    note.textContent = "Instrument settings from the shared link applied.";
    this.evaluate();
  }
}

// --- ledger writes declared by the lab -------------------------------------------------------------------------

function writeName(w) { return w.key.split(".")[1]; }

function revealWrites(partId, reveal, defaults) {
  const out = [];
  for (const w of data.writes) {
    if (w.part !== partId || w.when !== "reveal") continue;
    if (w.kind === "prediction") {
      const value = { prediction: reveal.predicted.value, actual: reveal.actual.value, off_by: reveal.off_by }[w.source];
      if (value !== null && value !== undefined) out.push({ name: writeName(w), value, unit: w.unit, kind: "prediction" });
    } else {
      const v = defaults.outputs[w.source] ? defaults.outputs[w.source].value : defaults.inputs[w.source];
      out.push({ name: writeName(w), value: v, unit: w.unit, kind: w.kind });
    }
  }
  return out;
}

function changeWrites(partId, view) {
  const out = [];
  for (const w of data.writes) {
    if (w.part !== partId || w.when !== "change") continue;
    const v = view.outputs[w.source] ? view.outputs[w.source].value : view.inputs[w.source];
    out.push({ name: writeName(w), value: v, unit: w.unit, kind: w.kind });
  }
  return out;
}

// --- decisions -------------------------------------------------------------------------------------------------

function bindDecisions() {
  for (const section of document.querySelectorAll("[data-decision]")) {
    const key = section.dataset.decision;
    const status = section.querySelector("[data-decision-status]");
    const radios = [...section.querySelectorAll("[data-decision-option]")];
    const sync = () => {
      const current = ledger.get(key, doc);
      for (const r of radios) r.checked = r.value === current;
      status.textContent = current ? `Saved to your Design Ledger: ${current}.` : "Not chosen yet (later labs use the preset until you choose).";
    };
    for (const r of radios) {
      r.addEventListener("change", () => {
        try {
          doc = ledger.recordValues(LAB, [{ name: key.split(".")[1], value: r.value, unit: "none", kind: "decision" }]);
          updateCompletion();
          sync();
          announce(status.textContent);
        } catch (err) {
          status.textContent = err.message;
        }
      });
    }
    section.sync = sync;
    sync();
  }
}

function updateCompletion() {
  const entry = doc.labs[LAB];
  if (!entry) return;
  const partsDone = data.part_ids.every((p) => entry.predictions[p] && entry.predictions[p].text);
  const decisionsDone = data.decisions.every((k) => ledger.get(k, doc) !== undefined);
  const complete = partsDone && decisionsDone;
  if (entry.completed !== complete) doc = ledger.setCompleted(LAB, complete);
}

// --- announcements ---------------------------------------------------------------------------------------------

const live = Object.assign(document.createElement("div"), { className: "visually-hidden" });
live.setAttribute("aria-live", "polite");
live.setAttribute("data-announcer", "");
document.body.append(live);
function announce(text) {
  live.textContent = "";
  setTimeout(() => { live.textContent = text; }, 30);
}

// --- start -----------------------------------------------------------------------------------------------------

const views = [...document.querySelectorAll("section[data-part]")].map((s) => new PartView(s));
showPresetNote();
for (const v of views) {
  v.applyDefaults(false);
  v.setLockedUI();
  if (v.pendingShared) {
    v.el.scrollIntoView();
    v.applyShared();
  }
}
bindDecisions();
engine.start();
engine.ready.then(() => {
  for (const v of views) {
    if (v.locked && !v.revealed()) v.requestReveal();
  }
}).catch(() => {});

ledger.subscribe((next) => { doc = next; });
ledger.watch(window);
window.addEventListener("storage", () => {
  doc = ledger.load();
  showPresetNote();
  for (const v of views) v.setLockedUI();
  for (const s of document.querySelectorAll("[data-decision]")) s.sync();
});
