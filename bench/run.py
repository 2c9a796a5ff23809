"""`make bench`: what a student feels, measured in headless Chromium over loopback, compared with budgets.

For every lab page, over several runs (medians reported, min–max shown):
- cold (a fresh browser context: empty HTTP cache) and warm (same context, second visit):
  time to first text (first contentful paint), time to the first chart with engine-computed numbers (a returning
  student whose predictions are locked, so charts draw from the build-time engine results at once), time to a
  live engine (Pyodide ready in the worker), bytes transferred (body bytes served by the loopback server);
- instrument -> updated outputs and chart latency, p50 and p95 over `--moves` slider/select moves;
- time to a live engine when opening the next lab from a visited one;
- the Python runtime's WebAssembly memory after start-up;
plus the size of dist/ and the site build time. Results go to bench/results/<time>.json; figures over budget
(bench/budgets.json) are marked MISS. Not part of `make test`: timings are noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAUNCH_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript"}
    served = [0]

    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        data = source.read()
        self.served[0] += len(data)
        outputfile.write(data)


def serve(directory: Path):
    handler = functools.partial(_CountingHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


LOCK_ALL = """([lab, preds]) => {
  const now = new Date().toISOString();
  const doc = JSON.parse(localStorage.getItem('mlsys-labs.ledger') || 'null') ||
    {schema: 1, app: 'mlsys-labs', created: now, updated: now, labs: {}};
  for (const p of Object.values(preds)) p.time = now;
  doc.labs[lab] = {predictions: preds, values: {}, completed: false, updated: now};
  localStorage.setItem('mlsys-labs.ledger', JSON.stringify(doc));
}"""


def locked_predictions(lab_id: str) -> dict:
    """A returning student's locked (not yet revealed) predictions for every part of `lab_id`."""
    from labs.catalog import get_lab
    from labs.schema import NumericPrediction

    out = {}
    for part in get_lab(lab_id).parts:
        pred = part.prediction
        numeric = isinstance(pred, NumericPrediction)
        out[part.id] = {"value": pred.min * 10 if numeric else pred.options[0].key,
                        "unit": pred.unit if numeric else "none"}
    return out


PAGE_TIMINGS = """() => {
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const chart = performance.getEntriesByName('first-chart')[0];
  const ready = performance.getEntriesByName('engine-ready')[0];
  return {first_text_ms: fcp ? fcp.startTime : null, first_chart_ms: chart ? chart.startTime : null,
          live_engine_ms: ready ? ready.startTime : null,
          wasm_bytes: Number(document.documentElement.dataset.engineWasmBytes || 0)};
}"""


def visit(page, url: str, served: list[int]) -> dict[str, float]:
    before = served[0]
    page.goto(url)
    page.wait_for_function("document.documentElement.dataset.engine !== 'loading'", timeout=120_000)
    page.wait_for_function("performance.getEntriesByName('first-chart').length > 0", timeout=30_000)
    if page.evaluate("document.documentElement.dataset.engine") != "ready":
        raise RuntimeError(f"engine failed on {url}: {page.locator('[data-engine-text]').inner_text()}")
    t = page.evaluate(PAGE_TIMINGS)
    t["bytes"] = served[0] - before
    return t


def measure_moves(page, moves: int) -> list[float]:
    """Move the first part's controls back and forth; return update latencies (ms) measured by the page."""
    section = page.locator("section[data-part]").first
    controls = section.locator("[data-instrument]").all()
    latencies: list[float] = []
    i = 0
    while len(latencies) < moves:
        control = controls[i % len(controls)]
        kind = control.evaluate("el => el.tagName + ':' + (el.type || '')")
        before = int(section.get_attribute("data-updates") or 0)
        if kind == "INPUT:range":
            control.focus()
            page.keyboard.press("ArrowRight" if (i // len(controls)) % 2 == 0 else "ArrowLeft")
        elif kind.startswith("SELECT"):
            values = control.locator("option").evaluate_all("os => os.map(o => o.value)")
            current = control.input_value()
            control.select_option(values[(values.index(current) + 1) % len(values)])
        else:
            control.click()
        i += 1
        try:
            page.wait_for_function(f"el => Number(el.dataset.updates || 0) > {before}",
                                   arg=section.element_handle(), timeout=10_000)
        except Exception:
            continue  # a move at the end of a range changes nothing; try the next control
        latencies.append(float(section.get_attribute("data-update-ms")))
    return latencies


def run(labs: list[str], runs: int, moves: int, build: bool, dist: Path | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    dist = dist or ROOT / "dist"
    build_s = None
    if build or not dist.exists():
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "site_builder", "--out", str(dist)], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
        build_s = time.perf_counter() - t0
    labs = labs or sorted(p.name for p in (dist / "labs").iterdir())
    server, base = serve(dist)
    served = _CountingHandler.served
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    per_lab: dict[str, dict] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        for lab in labs:
            url = f"{base}labs/{lab}/"
            cold, warm, latencies = [], [], []
            for _ in range(runs):
                ctx = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
                page = ctx.new_page()
                page.goto(base + "index.html")  # origin for localStorage; not timed
                page.evaluate(LOCK_ALL, [lab, locked_predictions(lab)])
                cold.append(visit(page, url, served))
                warm.append(visit(page, url, served))
                latencies += measure_moves(page, moves)
                ctx.close()
            per_lab[lab] = {
                "cold": {k: summary([r[k] for r in cold]) for k in cold[0]},
                "warm": {k: summary([r[k] for r in warm]) for k in warm[0]},
                "update_ms": {"p50": percentile(latencies, 0.5), "p95": percentile(latencies, 0.95),
                              "max": max(latencies), "n": len(latencies)},
            }
        # next lab from a visited one (same context: warm cache, new page)
        next_lab = []
        if len(labs) >= 2:
            for _ in range(runs):
                ctx = browser.new_context(bypass_csp=True)
                page = ctx.new_page()
                page.goto(base + "index.html")
                for lab in labs[:2]:
                    page.evaluate(LOCK_ALL, [lab, locked_predictions(lab)])
                visit(page, f"{base}labs/{labs[0]}/", served)
                next_lab.append(visit(page, f"{base}labs/{labs[1]}/", served)["live_engine_ms"])
                ctx.close()
        browser.close()
    server.shutdown()
    return {
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cores": __import__("os").cpu_count(), "chromium": chromium},
        "runs": runs,
        "labs": per_lab,
        "next_lab_live_engine_ms": summary(next_lab) if next_lab else None,
        "dist_bytes": dir_bytes(dist),
        "build_s": build_s,
    }


def compare(results: dict, budgets: dict) -> list[tuple[str, str, float, float, bool]]:
    """Rows (lab, metric, value, budget, ok) for every budgeted figure."""
    rows = []
    for lab, r in results["labs"].items():
        checks = [
            ("cold first text (ms)", r["cold"]["first_text_ms"]["median"], budgets["first_text_ms"]),
            ("cold first chart (ms)", r["cold"]["first_chart_ms"]["median"], budgets["first_chart_ms"]),
            ("cold live engine (ms)", r["cold"]["live_engine_ms"]["median"], budgets["live_engine_ms"]),
            ("update p95 (ms)", r["update_ms"]["p95"], budgets["update_p95_ms"]),
            ("first-visit bytes", r["cold"]["bytes"]["median"], budgets["first_visit_bytes"]),
            ("wasm memory (bytes)", r["cold"]["wasm_bytes"]["median"], budgets["wasm_bytes"]),
        ]
        rows += [(lab, name, value, budget, value <= budget) for name, value, budget in checks]
    if results["next_lab_live_engine_ms"]:
        v = results["next_lab_live_engine_ms"]["median"]
        rows.append(("(next lab)", "live engine from a visited lab (ms)", v, budgets["next_lab_live_engine_ms"],
                     v <= budgets["next_lab_live_engine_ms"]))
    return rows


def print_report(results: dict, rows) -> None:
    print(f"\nmake bench: {results['runs']} run(s) per lab, medians (min–max), {results['machine']['cores']} cores")
    print(f"{'lab':8} {'':5} {'first text':>14} {'first chart':>14} {'live engine':>16} {'bytes':>10} {'wasm MB':>8}")
    for lab, r in results["labs"].items():
        for kind in ("cold", "warm"):
            c = r[kind]
            def f(k, scale=1.0, d=0):
                s = c[k]
                return f"{s['median'] / scale:.{d}f} ({s['min'] / scale:.{d}f}–{s['max'] / scale:.{d}f})"
            print(f"{lab:8} {kind:5} {f('first_text_ms'):>14} {f('first_chart_ms'):>14} {f('live_engine_ms'):>16} "
                  f"{c['bytes']['median'] / 1e6:>8.2f}MB {c['wasm_bytes']['median'] / 1e6:>8.1f}")
        u = r["update_ms"]
        print(f"{lab:8} moves p50 {u['p50']:.1f} ms, p95 {u['p95']:.1f} ms, max {u['max']:.1f} ms (n={u['n']})")
    if results["next_lab_live_engine_ms"]:
        s = results["next_lab_live_engine_ms"]
        print(f"next lab from a visited one: live engine {s['median']:.0f} ms ({s['min']:.0f}–{s['max']:.0f})")
    build = f"{results['build_s']:.1f} s" if results["build_s"] is not None else "not rebuilt"
    print(f"dist/ {results['dist_bytes'] / 1e6:.1f} MB; site build {build}")
    print("\nbudgets:")
    for lab, name, value, budget, ok in rows:
        print(f"  {'ok  ' if ok else 'MISS'} {lab:10} {name:38} {value:>14,.1f}  budget {budget:,.0f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    ap.add_argument("--labs", nargs="*", default=[], help="lab ids (default: every lab)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--moves", type=int, default=50)
    ap.add_argument("--no-build", action="store_true", help="measure the existing dist/")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results"))
    args = ap.parse_args(argv)
    results = run(args.labs, args.runs, args.moves, build=not args.no_build)
    budgets = json.loads((ROOT / "bench" / "budgets.json").read_text())
    rows = compare(results, budgets)
    results["budget_rows"] = [dict(zip(("lab", "metric", "value", "budget", "ok"), r)) for r in rows]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"bench-{results['time'].replace(':', '')}.json"
    path.write_text(json.dumps(results, indent=1))
    print_report(results, rows)
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
