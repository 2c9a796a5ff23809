"""Build the static site: validate everything, then write dist/, then check every link and hash.

Order (MkDocs' discipline):
1. validate every lab (labs.schema.validate_all) and collect every error; stop before writing anything if any;
2. build the engine+labs wheel and record its sha256;
3. compute each part's default results with the engine (CPython) for every ledger-preset combination;
4. copy self-hosted assets (Pyodide, plotly.js, the font) from node_modules and our static/ files;
5. render the pages from Jinja2 templates with one typed context and relative URLs;
6. check that every href/src in every page resolves to a file in dist/ and that every recorded hash matches.
"""

from __future__ import annotations

import hashlib
import html.parser
import json
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from labs import runtime
from labs.catalog import all_labs
from labs.schema import ChoicePrediction, Lab, NumericPrediction, Select, Slider, Toggle, validate_all
from engine.units import UNITS, format_exact, shortest_sig, spoken_value, to_base
from site_builder import csp, render

ROOT = Path(__file__).resolve().parent.parent

# Files copied from npm packages (package-lock.json pins them). Source path -> path under dist/vendor/.
VENDOR_FILES: dict[str, str] = {
    "node_modules/pyodide/pyodide.mjs": "pyodide/pyodide.mjs",
    "node_modules/pyodide/pyodide.asm.mjs": "pyodide/pyodide.asm.mjs",
    "node_modules/pyodide/pyodide.asm.wasm": "pyodide/pyodide.asm.wasm",
    "node_modules/pyodide/python_stdlib.zip": "pyodide/python_stdlib.zip",
    "node_modules/pyodide/pyodide-lock.json": "pyodide/pyodide-lock.json",
    "node_modules/plotly.js-basic-dist-min/plotly-basic.min.js": "plotly/plotly-basic.min.js",
    "node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2": "fonts/inter-latin-wght-normal.woff2",
}


class BuildError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class BuildOptions:
    out: Path
    base_path: str = "/"
    strict: bool = True
    wheel: Path | None = None  # a pre-built wheel; built here when None
    labs: tuple[str, ...] = ()  # build only these lab ids (a quick preview); every lab when empty


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def normalise_base_path(base_path: str) -> str:
    """'/' or '/repo/' (leading and trailing slash); reject anything that is not a plain URL path."""
    if not isinstance(base_path, str) or "://" in base_path or any(c in base_path for c in ' "\'<>?#\\'):
        raise BuildError([f"`base_path` must be a URL path such as '/' or '/my-course/' (got {base_path!r})"])
    parts = [p for p in base_path.split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise BuildError([f"`base_path` must not contain '.' or '..' segments (got {base_path!r})"])
    return "/" + "/".join(parts) + ("/" if parts else "")


def build_wheel(out_dir: Path) -> Path:
    """Build the py3-none-any wheel of engine/ and labs/ with hatchling (reproducible: fixed timestamps).

    out_dir must be private to this build: two builds sharing one directory would delete each other's wheel.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.whl"):
        old.unlink()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800"}
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out_dir), str(ROOT)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    wheels = sorted(out_dir.glob("*-py3-none-any.whl"))
    if len(wheels) != 1:
        raise BuildError([f"`wheel` must be exactly one py3-none-any wheel (got {[w.name for w in wheels]})"])
    return wheels[0]


# --- the page context -----------------------------------------------------------------------------------------


def _instrument_view(part_id: str, ins: Any, default: Any) -> dict[str, Any]:
    base = {"name": ins.name, "label": ins.label, "help": ins.help, "id": f"{part_id}-{ins.name}"}
    if isinstance(ins, Slider):
        unit = UNITS[ins.unit]
        if ins.is_log:
            values = list(ins.steps)
            index = values.index(default) if default in values else 0
            labels = [format_exact(to_base(v, ins.unit), ins.unit) for v in values]
            spoken = [spoken_value(to_base(v, ins.unit), ins.unit, shortest_sig(v)) for v in values]
            return {**base, "type": "range", "log": True, "min": 0, "max": len(values) - 1, "step": 1,
                    "value": index, "values": values, "labels": labels, "spoken": spoken,
                    "text": labels[index], "spoken_text": spoken[index], "unit_symbol": unit.symbol}
        return {**base, "type": "range", "log": False, "min": ins.min, "max": ins.max, "step": ins.step,
                "value": default, "text": format_exact(to_base(default, ins.unit), ins.unit),
                "spoken_text": spoken_value(to_base(default, ins.unit), ins.unit, shortest_sig(default)),
                "unit_symbol": unit.symbol, "unit_spoken": unit.spoken}
    if isinstance(ins, Select):
        return {**base, "type": "select", "options": [{"key": o.key, "label": o.label} for o in ins.options],
                "value": default}
    assert isinstance(ins, Toggle)
    return {**base, "type": "toggle", "value": bool(default)}


def _prediction_view(part_id: str, pred: Any) -> dict[str, Any]:
    if isinstance(pred, NumericPrediction):
        unit = UNITS[pred.unit]
        return {"type": "numeric", "prompt": pred.prompt, "unit": pred.unit, "unit_symbol": unit.symbol or pred.unit,
                "min": pred.min, "max": pred.max, "scale": pred.scale, "id": f"pred-{part_id}"}
    assert isinstance(pred, ChoicePrediction)
    return {"type": "choice", "prompt": pred.prompt, "id": f"pred-{part_id}",
            "options": [{"key": o.key, "label": o.label, "detail": o.detail} for o in pred.options]}


def lab_context(lab: Lab) -> dict[str, Any]:
    """Everything a lab page template needs, and the JSON the page script reads (pre-computed defaults)."""
    combos = runtime.ledger_combinations(lab)
    preset_combo = {r.key: r.preset for r in lab.reads if r.choices}
    parts = []
    page_parts: dict[str, Any] = {}
    for part in lab.parts:
        defaults_by_combo = {}
        for combo in combos:
            view = runtime.evaluate(lab, part.id, {}, combo)
            defaults_by_combo[runtime.combination_key(combo)] = {k: v for k, v in view.items() if k != "raw"}
        initial = defaults_by_combo[runtime.combination_key(preset_combo)]
        page_defaults = initial["inputs"]
        parts.append({
            "id": part.id,
            "title": part.title,
            "kind": part.kind,
            "scenario": part.scenario,
            "scenario_html": render.markdown(part.scenario.text),
            "prediction": _prediction_view(part.id, part.prediction),
            "instruments": [_instrument_view(part.id, i, page_defaults[i.name]) for i in part.instruments],
            "outputs": [{"name": o.name, "label": o.label, "text": initial["outputs"][o.name]["text"]}
                        for o in part.outputs if o.show],
            "charts": part.charts,
            "failures": initial["failures"],
            "equations": [render.math_block(eq) for eq in part.math.equations],
            "math_lines": initial["math"],
            "engine_refs": part.math.engine,
            "math_note": render.markdown(part.math.note) if part.math.note else "",
            "reveal_html": render.markdown(part.reveal.explanation),
        })
        page_parts[part.id] = {
            "defaults": defaults_by_combo,
            "prediction": _prediction_view(part.id, part.prediction),
            "instruments": {i.name: _instrument_view(part.id, i, page_defaults[i.name]) for i in part.instruments},
            "charts": {c.id: {"kind": c.kind, "title": c.title, "x_label": c.x_label,
                              "y_label": c.y_label + (f" ({UNITS[c.y_unit].symbol})" if UNITS[c.y_unit].symbol else ""),
                              "x_log": c.x_log, "y_log": c.y_log, "description": c.description}
                       for c in part.charts},
        }
    page_data = {
        "lab": lab.id,
        "title": lab.title,
        "parts": page_parts,
        "part_ids": [p.id for p in lab.parts],
        "reads": [{"key": r.key, "label": r.label, "preset": r.preset, "choices": list(r.choices)} for r in lab.reads],
        "writes": [w.__dict__ for w in lab.writes],
        "decisions": [d.key for d in lab.decisions],
        "combo_keys": [r.key for r in lab.reads if r.choices],
    }
    return {
        "lab": lab,
        "parts": parts,
        "briefing_html": render.markdown(lab.briefing.body) if lab.briefing.body else "",
        "objectives_html": [render.markdown(o, inline=True) for o in lab.briefing.objectives],
        "decisions": [{"key": d.key, "prompt": d.prompt,
                       "options": [{"key": o.key, "label": o.label, "detail": o.detail} for o in d.options]}
                      for d in lab.decisions],
        "takeaways_html": [render.markdown(t, inline=True) for t in lab.synthesis.takeaways],
        "connections_html": render.markdown(lab.synthesis.connections),
        "self_assessment": [(render.markdown(q, inline=True), render.markdown(a, inline=True))
                            for q, a in lab.synthesis.self_assessment],
        "model_note_html": render.markdown(lab.model_note),
        "page_data": page_data,
    }


# --- writing ----------------------------------------------------------------------------------------------------


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(ROOT / "site_builder" / "templates")),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def json_script(value: Any) -> Markup:
        # JSON inside <script type="application/json">: escape the characters that could end the element.
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return Markup(text)

    env.filters["json_script"] = json_script
    return env


def _url_filter(page_path: str):
    """Relative URL from the page at `page_path` (e.g. 'labs/v1-00/index.html') to a site path."""
    page_dir = posixpath.dirname(page_path)

    def url(target: str) -> str:
        rel = posixpath.relpath(target, page_dir or ".")
        if target.endswith("/") and not rel.endswith("/"):
            rel += "/"
        return rel

    return url


def build(options: BuildOptions) -> dict[str, Any]:
    """Build the site into options.out; return a summary. Raises BuildError listing every problem."""
    t0 = time.perf_counter()
    base_path = normalise_base_path(options.base_path)
    labs_list = list(all_labs())
    if options.labs:
        unknown = sorted(set(options.labs) - {lab.id for lab in labs_list})
        if unknown:
            raise BuildError([f"`labs` must name existing labs (got {unknown})"])
        labs_list = [lab for lab in labs_list if lab.id in options.labs]
    errors = validate_all(labs_list)
    missing_vendor = [src for src in VENDOR_FILES if not (ROOT / src).is_file()]
    errors += [f"`{src}` must exist (run `npm ci`) (got a missing file)" for src in missing_vendor]
    if errors:
        raise BuildError(errors)

    contexts = {lab.id: lab_context(lab) for lab in labs_list}

    out = options.out
    staging = Path(tempfile.mkdtemp(prefix="dist-", dir=str(out.parent)))
    try:
        # Built inside this build's own staging directory, so concurrent builds (two test sessions, `make site`
        # while tests run) never share a wheel directory.
        wheel = options.wheel or build_wheel(staging / ".wheel-build")
        (staging / "wheels").mkdir()
        shutil.copy2(wheel, staging / "wheels" / wheel.name)
        shutil.rmtree(staging / ".wheel-build", ignore_errors=True)
        wheel = staging / "wheels" / wheel.name
        wheel_sha = sha256_file(wheel)

        for src, dst in VENDOR_FILES.items():
            target = staging / "vendor" / dst
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / src, target)
        shutil.copytree(ROOT / "static", staging / "static")

        assets = {p.relative_to(staging).as_posix(): sha256_file(p) for p in sorted(staging.rglob("*")) if p.is_file()}
        version = hashlib.sha256("".join(f"{k}:{v}" for k, v in assets.items()).encode()).hexdigest()[:12]
        runtime_config = {
            "wheel": {"path": f"wheels/{wheel.name}", "sha256": wheel_sha},
            "pyodide": "vendor/pyodide/",
            "version": version,
            "start_timeout_ms": 30000,
        }

        env = _environment()
        index = [
            {"volume": vol, "sections": _sections([lab for lab in labs_list if lab.volume == vol])}
            for vol in (1, 2)
            if any(lab.volume == vol for lab in labs_list)
        ]

        def write(page_path: str, template: str, **ctx: Any) -> None:
            url = _url_filter(page_path)
            html = env.get_template(template).render(
                url=url, asset=lambda p: f"{url(p)}?v={assets[p][:10]}" if p in assets else url(p),
                base_path=base_path, runtime_config=runtime_config, page_path=page_path, version=version,
                csp_meta=csp.policy(meta=True), **ctx,
            )
            target = staging / page_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")

        write("index.html", "index.html", index=index, labs=labs_list, page_title="ML Systems Interactive Labs",
              has_portfolio=any(lab.portfolio for lab in labs_list))
        for lab in labs_list:
            write(f"labs/{lab.id}/index.html", "lab.html", page_title=f"{lab.id} · {lab.title}", **contexts[lab.id])
        write("sources/index.html", "sources.html", page_title="Sources", sources=_sources_context(labs_list))
        if any(lab.portfolio for lab in labs_list):
            write("portfolio/index.html", "portfolio.html", page_title="Your Volume I portfolio")
        write("404.html", "404.html", page_title="Page not found", absolute=True)
        (staging / ".nojekyll").write_text("")
        (staging / "_headers").write_text(csp.headers_file())
        # the service worker: this build's version and every file a page may need, so each build has its own cache
        pages = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*.html") if p.name != "404.html")
        sw_files = sorted(set(assets) | set(pages))
        # its version hashes every file (pages included), so any change to the site is a new service worker
        site_hash = hashlib.sha256()
        for rel in sw_files:
            site_hash.update(rel.encode() + b"\0" + (staging / rel).read_bytes())
        lab_pages = [p for p in pages if p.startswith("labs/")]
        shared = [f for f in sw_files if f not in lab_pages and not f.startswith("static/sw.template")]
        sw = (ROOT / "static" / "sw.template.js").read_text()
        sw = (sw.replace('"__VERSION__"', json.dumps(site_hash.hexdigest()[:16]))
              .replace("__SHARED__", json.dumps(shared)).replace("__PAGES__", json.dumps(lab_pages)))
        (staging / "sw.js").write_text(sw)
        manifest = {"version": version, "base_path": base_path, "wheel": runtime_config["wheel"], "assets": assets}
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))

        problems = check_site(staging)
        if problems:
            raise BuildError(problems)
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return {"labs": [lab.id for lab in labs_list], "out": str(out), "seconds": time.perf_counter() - t0,
            "wheel": wheel.name, "wheel_sha256": wheel_sha, "version": version}


def _sections(labs_list: list[Lab]) -> list[dict[str, Any]]:
    sections: dict[str, list[Lab]] = {}
    for lab in labs_list:
        sections.setdefault(lab.section, []).append(lab)
    return [{"name": name, "labs": items} for name, items in sections.items()]


def _sources_context(labs_list: list[Lab]) -> dict[str, Any]:
    """Rows for the sources page: every cited registry number and every engine function's Source line."""
    from engine.registry import catalog

    used_by: dict[str, list[str]] = {}
    for lab in labs_list:
        for part in lab.parts:
            for ref in part.math.engine:
                used_by.setdefault(ref, []).append(f"{lab.id} {part.id}")
    functions = catalog.function_sources()
    return {
        "rows": catalog.all_citations(),
        "functions": [{"name": k, "source": v, "used_by": used_by.get(k, [])} for k, v in sorted(functions.items())],
    }


# --- the final check ---------------------------------------------------------------------------------------------


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            if name in ("href", "src") or (tag == "link" and name == "href"):
                self.links.append(value)


def check_site(root: Path) -> list[str]:
    """Every relative href/src in every page resolves to a file; no page links off-site; hashes match."""
    problems: list[str] = []
    manifest_path = root / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {"assets": {}}
    for rel, digest in manifest.get("assets", {}).items():
        p = root / rel
        if not p.is_file():
            problems.append(f"`{rel}` must exist in dist/ (got a missing asset)")
        elif sha256_file(p) != digest:
            problems.append(f"`{rel}` must match its recorded sha256 (got a different file)")
    wheel = manifest.get("wheel")
    if wheel and (not (root / wheel["path"]).is_file() or sha256_file(root / wheel["path"]) != wheel["sha256"]):
        problems.append(f"`{wheel['path']}` must match the sha256 the pages load it with (got a mismatch)")
    for page in sorted(root.rglob("*.html")):
        if page.name == "404.html":
            continue  # served at arbitrary paths: it uses absolute URLs under the base path
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        rel_page = page.relative_to(root).as_posix()
        for link in parser.links:
            if link.startswith(("http://", "https://", "//")):
                problems.append(f"`{rel_page}` must not reference another origin (got {link})")
                continue
            if link.startswith(("mailto:", "data:", "#")):
                continue
            path = link.split("#", 1)[0].split("?", 1)[0]
            target = (page.parent / path).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"`{rel_page}` links to {link}, which must exist in dist/ (got a missing file)")
    return problems
