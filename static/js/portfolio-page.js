// The portfolio page: replays the whole Design Ledger through the engine (labs.portfolio.build_portfolio in the
// worker) and renders the result. Every string from the ledger or the engine is inserted as text, never as HTML.

import { EngineClient } from "./engine-client.js";
import { Ledger } from "./ledger.js";
import { showLedgerProblem } from "./ledger-ui.js";

const config = JSON.parse(document.getElementById("runtime-config").textContent);
const html = document.documentElement;
const ledger = new Ledger(window.localStorage);
const status = document.querySelector("[data-portfolio-status]");
const article = document.querySelector("[data-portfolio]");
let result = null;

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
};
const fmt = (x) => (typeof x === "number" && Number.isFinite(x) ? new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 }).format(x) : "—");

function table(caption, head, rows) {
  // each table scrolls inside its own (keyboard-focusable) region on a narrow screen; the page never does
  const wrap = el("div", { className: "table-scroll", tabIndex: 0 });
  wrap.setAttribute("role", "region");
  wrap.setAttribute("aria-label", caption);
  const t = el("table", { className: "portfolio-table" });
  wrap.append(t);
  t.createCaption().textContent = caption;
  const hr = t.createTHead().insertRow();
  for (const h of head) hr.append(el("th", { scope: "col", textContent: h }));
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    row.forEach((cell, i) => (i === 0 ? tr.append(el("th", { scope: "row", textContent: String(cell) })) : (tr.insertCell().textContent = String(cell))));
  }
  return wrap;
}

function render(p) {
  const r = p.recorded || {};
  document.querySelector("[data-pf-summary]").replaceChildren(
    el("p", { textContent: `${r.labs_completed ?? 0} of ${r.labs_total ?? 0} labs completed; ${r.labs_with_entries ?? 0} with entries. ${Math.round((p.evidence_share || 0) * 100)}% of the replayed inputs come from your own ledger; the rest are labelled presets.` }));
  const b = p.binding || {};
  document.querySelector("[data-pf-binding]").replaceChildren(el("p", { className: "binding", textContent: b.sentence || "" }));
  document.querySelector("[data-pf-guardrails]").replaceChildren(table(
    "Guardrails, recomputed from your recorded inputs (ratio = value ÷ limit; passes at ≤ 1)",
    ["Guardrail", "Value", "Limit", "Ratio", "Verdict", "Inputs"],
    (p.guardrails || []).map((g) => [`${g.id} ${g.name}`, g.value_text, g.limit_text,
      g.ratio_text || (g.unbounded ? "unbounded" : fmt(g.ratio)),
      g.passes ? "passes" : "breaks", `${g.source}${g.stale ? ` (stale: ${g.stale_text || "stored output disagrees with the replay"})` : ""}`])));
  const c = p.calibration || {};
  document.querySelector("[data-pf-calibration]").replaceChildren(
    el("p", { textContent: c.sentence || "" }),
    table("Each numeric prediction's off-by factor, in the order you made them", ["Lab · part", "Off by"],
      (c.points || []).map((pt) => [`${pt.lab} ${pt.part}`, `${fmt(pt.off_by)}×`])));
  document.querySelector("[data-pf-labs]").replaceChildren(...(p.labs || []).map((lab) => el("section", { className: "pf-lab" },
    el("h3", { textContent: `${lab.id} · ${lab.title} (${lab.status})` }),
    (lab.predictions || []).length ? table("Predictions", ["Part", "You predicted", "Actual", "Off by"],
      lab.predictions.map((q) => [q.part, q.predicted_text, q.actual_text,
        q.off_by ? `${fmt(q.off_by)}× ${q.direction || ""}` : q.correct === true ? "correct" : q.correct === false ? "incorrect" : "—"])) : el("p", { textContent: "No predictions recorded." }),
    (lab.decisions || []).length ? table("Decisions and key numbers", ["Key", "Value", "From"],
      lab.decisions.map((d) => [d.label || d.key, d.value_text, d.source])) : null)));
  document.querySelector("[data-pf-gaps]").replaceChildren(
    el("p", { textContent: (p.missing_labs || []).length ? `Not started: ${p.missing_labs.join(", ")}.` : "Every Volume I lab has entries." }),
    (p.problems || []).length ? el("div", {},
      el("h3", { textContent: "Entries the replay could not use" }),
      el("ul", {}, ...p.problems.map((q) => el("li", { textContent: typeof q === "string" ? q : JSON.stringify(q) })))) : null,
    (p.presets_used || []).length ? table("Presets standing in for missing values", ["Key", "Preset"],
      p.presets_used.map((q) => [q.label || q.key, q.preset_text])) : null);
  article.hidden = false;
  for (const b of document.querySelectorAll(".portfolio-actions button")) b.disabled = false;
}

function download(name, type, text) {
  const a = el("a", { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

const stamp = () => new Date().toISOString().slice(0, 10);
document.querySelector("[data-portfolio-md]").addEventListener("click", () => download(`volume-1-portfolio-${stamp()}.md`, "text/markdown", result.markdown));
document.querySelector("[data-portfolio-json]").addEventListener("click", () => {
  const { markdown, ...data } = result;
  download(`volume-1-portfolio-${stamp()}.json`, "application/json", JSON.stringify(data, null, 2));
});
document.querySelector("[data-portfolio-print]").addEventListener("click", () => window.print());

async function build() {
  const response = await engine.request({ op: "portfolio", ledger_doc: ledger.load() });
  if (!response.ok) {
    status.textContent = `The portfolio could not be built: ${response.error}`;
    return;
  }
  result = response.result;
  render(result);
  status.textContent = "Portfolio built from your ledger just now.";
  html.dataset.portfolio = "ready";
}

showLedgerProblem(ledger);
const statusText = document.querySelector("[data-engine-text]");
const bar = document.querySelector("[data-engine-progress]");
const engine = new EngineClient({ ...config, siteRoot: new URL("../", location.href).href }, {
  onProgress: (p) => { statusText.textContent = `starting (${p.step}/${p.of}: ${p.label})…`; bar.value = p.step - 1; },
  onReady: () => { html.dataset.engine = "ready"; statusText.textContent = "ready"; bar.hidden = true; build(); },
  onFailed: (message) => {
    html.dataset.engine = "failed";
    bar.hidden = true;
    statusText.textContent = `could not start: ${message}. Reload the page to try again.`;
    status.textContent = "The portfolio needs the engine to replay your ledger.";
  },
}).start();
ledger.watch(window);
ledger.subscribe(() => { if (html.dataset.engine === "ready") build(); });
