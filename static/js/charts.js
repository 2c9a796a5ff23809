// Charts: turns the engine's plain chart data into plotly.js traces and updates them with Plotly.react.
// Colours come from the design tokens in site.css (CSS custom properties), so dark mode and print follow.
// No physics here: values arrive already in the chart's display unit.

function token(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function plotlyReady() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  return new Promise((resolve) => {
    const poll = () => (window.Plotly ? resolve(window.Plotly) : setTimeout(poll, 25));
    window.addEventListener("load", poll, { once: true });
    poll();
  });
}

const SERIES_TOKENS = ["--chart-1", "--chart-2", "--chart-3", "--chart-4"];

export function traces(meta, data) {
  const fail = token("--fail");
  return data.series.map((s, i) => {
    const colour = token(SERIES_TOKENS[i % SERIES_TOKENS.length]);
    if (meta.kind === "line") {
      return { type: "scatter", mode: "lines", name: s.name, x: data.x, y: s.y, line: { color: colour, width: 2.5 },
               hovertemplate: `%{x:.3~g}: %{y:.3~g}<extra>${s.name}</extra>` };
    }
    const status = s.status || [];
    const failing = status.map((st) => st === "fail");
    // one series: a failing bar is solid red (v1-00's "does not fit"); several series: it keeps its series colour
    // (so before/after stay distinguishable) and gets a red outline and hatching.
    const single = data.series.length === 1;
    const marker = single
      ? { color: failing.length ? failing.map((f) => (f ? fail : colour)) : colour }
      : { color: colour,
          line: { color: failing.map((f) => (f ? fail : colour)), width: failing.map((f) => (f ? 3 : 0)) },
          pattern: { shape: failing.map((f) => (f ? "/" : "")), fgcolor: fail, solidity: 0.3, fillmode: "overlay" } };
    return { type: "bar", name: s.name, x: data.x, y: s.y, marker,
             text: s.labels || undefined, textposition: "outside", cliponaxis: false,
             hovertemplate: `%{x}: %{y:.3~g}<extra>${s.name}</extra>` };
  });
}

export function layout(meta, data) {
  const ink = token("--ink");
  const grid = token("--grid");
  const limit = token("--fail");
  return {
    barmode: { grouped_bar: "group", stacked_bar: "stack" }[meta.kind],
    showlegend: data.series.length > 1,
    legend: { orientation: "h", x: 0, y: 1.02, xanchor: "left", yanchor: "bottom" },
    margin: { l: 56, r: 12, t: data.series.length > 1 ? 40 : 12, b: 48 },
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    font: { family: token("--font-sans"), color: ink, size: 13 },
    xaxis: { title: { text: meta.x_label }, type: meta.x_log ? "log" : undefined, dtick: meta.x_log ? 1 : undefined,
             gridcolor: grid, automargin: true, exponentformat: "power" },
    yaxis: { title: { text: meta.y_label }, type: meta.y_log ? "log" : undefined, dtick: meta.y_log ? 1 : undefined,
             gridcolor: grid, automargin: true,
             exponentformat: "power" },
    shapes: (data.lines || []).map((ln) => ({ type: "line", xref: "paper", x0: 0, x1: 1, y0: ln.y, y1: ln.y,
                                               line: { color: limit, width: 2, dash: "dash" } })),
    annotations: (data.lines || []).map((ln) => ({ xref: "paper", x: 1, y: meta.y_log ? Math.log10(ln.y) : ln.y,
                                                    text: ln.label, showarrow: false, xanchor: "right", yanchor: "bottom",
                                                    font: { color: limit } })),
  };
}

export async function drawChart(el, meta, data) {
  const Plotly = await plotlyReady();
  const t0 = performance.now();
  await Plotly.react(el, traces(meta, data), layout(meta, data), { displayModeBar: false, responsive: true });
  el.dataset.drawnMs = (performance.now() - t0).toFixed(1);
  if (!performance.getEntriesByName("first-chart").length) performance.mark("first-chart");
  el.dataset.drawn = String(Number(el.dataset.drawn || 0) + 1);
}

// --- text alternatives: a one-sentence summary and a data table, generated from the same data as the chart ------

const fmt = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 });
const show = (v) => (v === null || v === undefined ? "—" : fmt.format(v));

export function summarise(meta, data) {
  const unit = meta.y_label;
  const parts = data.series.map((s) => {
    const points = data.x.map((x, i) => `${typeof x === "number" ? show(x) : x}: ${show(s.y[i])}${s.labels && s.labels[i] ? ` (${s.labels[i]})` : ""}`);
    const shown = points.length > 8 ? [...points.slice(0, 3), "…", ...points.slice(-3)] : points;
    return `${data.series.length > 1 ? `${s.name}: ` : ""}${shown.join(", ")}`;
  });
  const limits = (data.lines || []).map((l) => ` A ${l.label} line at ${show(l.y)}.`).join("");
  return `${meta.title}. ${unit}: ${parts.join("; ")}.${limits}`;
}

export function dataTable(meta, data) {
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const text of [meta.x_label, ...data.series.map((s) => s.name)]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = text;
    head.append(th);
  }
  const body = table.createTBody();
  data.x.forEach((x, i) => {
    const row = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = typeof x === "number" ? show(x) : x;
    row.append(th);
    for (const s of data.series) {
      row.insertCell().textContent = `${show(s.y[i])}${s.labels && s.labels[i] ? ` (${s.labels[i]})` : ""}`;
    }
  });
  const caption = table.createCaption();
  caption.textContent = `${meta.title} (${meta.y_label})`;
  return table;
}
