"""Site builder: complete output, the page contract, asset and hash checks, base path, validate-before-write."""

from __future__ import annotations

import ast
import dataclasses
import hashlib
from html import unescape
import json
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from labs.catalog import all_labs as _all_labs
from tests.conftest import only_labs
from site_builder import build as B

ROOT = Path(__file__).resolve().parents[2]


def all_labs():
    """The labs in the test build (LABS_ONLY may limit it)."""
    return [lab for lab in _all_labs() if not only_labs() or lab.id in only_labs()]


def test_every_lab_has_a_page(built_site):
    """dist/ has the index, one page per lab, the sources page, a 404 page and the manifest."""
    for lab in all_labs():
        assert (built_site / "labs" / lab.id / "index.html").is_file()
    for name in ("index.html", "sources/index.html", "404.html", "manifest.json", ".nojekyll"):
        assert (built_site / name).exists(), name


def test_index_lists_labs_with_core_questions(built_site):
    """The index names every lab with its core question and links to its page."""
    html = unescape((built_site / "index.html").read_text())
    for lab in all_labs():
        assert f'href="labs/{lab.id}/"' in html
        assert lab.core_question in html


def test_page_contract(built_site):
    """Lab pages carry the stable contract: data-engine, parts, prediction forms, disabled instruments, reveal."""
    for lab in all_labs():
        html = (built_site / "labs" / lab.id / "index.html").read_text()
        assert '<html lang="en" data-engine="loading" data-root="../../">' in html
        for part in lab.parts:
            assert f'<section class="part" data-part="{part.id}"' in html
        assert html.count("data-prediction novalidate") == len(lab.parts)
        assert html.count("autocomplete=\"off\"") == len(lab.parts) + sum(len(p.instruments) for p in lab.parts)  # no stale restored values
        assert html.count(">Lock prediction</button>") == len(lab.parts)
        assert html.count("data-reveal hidden") == len(lab.parts)
        controls = re.findall(r"<(input|select)[^>]*data-instrument=\"[^\"]+\"[^>]*>", html)
        assert len(controls) == sum(len(p.instruments) for p in lab.parts)
        assert all("disabled" in m for m in re.findall(r"<(?:input|select)[^>]*data-instrument=[^>]*>", html))
        assert "<output data-output=" in html


def test_default_results_are_pre_rendered(built_site):
    """v1-00's default results (39.06 ms) are in the HTML and the embedded JSON, before any Python runs."""
    html = (built_site / "labs" / "v1-00" / "index.html").read_text()
    assert '<output data-output="pass_time">39.06 ms</output>' in html
    data = json.loads(re.search(r'<script type="application/json" id="lab-data">(.*?)</script>', html, re.S).group(1))
    chart = data["parts"]["A"]["defaults"][""]["charts"]["pass_by_context"]
    assert abs(chart["series"][0]["y"][2] - 2.0e9 / 51.2e9 * 1e3) < 1e-9  # ms, computed by hand


def test_math_is_rendered_at_build_time(built_site):
    """Equations are MathML in the page (no math JavaScript at run time)."""
    html = (built_site / "labs" / "v1-00" / "index.html").read_text()
    assert "<math" in html and "katex" not in html.lower() and "mathjax" not in html.lower()


def test_wheel_hash_matches_runtime_config(built_site):
    """The wheel the pages load has exactly the sha256 recorded in their runtime config."""
    html = (built_site / "labs" / "v1-00" / "index.html").read_text()
    cfg = json.loads(re.search(r'id="runtime-config">(.*?)</script>', html, re.S).group(1))
    wheel = built_site / cfg["wheel"]["path"]
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == cfg["wheel"]["sha256"]
    assert wheel.name.endswith("-py3-none-any.whl")


def test_wheel_holds_only_engine_and_labs(built_site):
    """The wheel packages engine/ and labs/ and nothing else (no builder, no tests)."""
    wheel = next((built_site / "wheels").glob("*.whl"))
    tops = {n.split("/")[0] for n in zipfile.ZipFile(wheel).namelist() if not n.split("/")[0].endswith(".dist-info")}
    assert {"engine", "labs"} == tops


def test_engine_and_labs_import_only_the_standard_library():
    """Every import in engine/ and labs/ is the standard library or our own packages (they run in Pyodide)."""
    allowed = set(sys.stdlib_module_names) | {"engine", "labs"}
    offenders = []
    for path in list((ROOT / "engine").rglob("*.py")) + list((ROOT / "labs").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] not in allowed]
    assert [] == offenders


def test_vendored_assets_are_self_hosted(built_site):
    """Pyodide, plotly.js and the font are copied into dist/vendor; no page references another origin."""
    for dst in B.VENDOR_FILES.values():
        assert (built_site / "vendor" / dst).is_file(), dst
    assert [] == B.check_site(built_site)


def test_check_site_catches_missing_and_tampered_files(built_site, tmp_path):
    """The final check reports a deleted asset and a modified one (hash mismatch)."""
    copy = tmp_path / "dist"
    shutil.copytree(built_site, copy)
    (copy / "static" / "css" / "site.css").write_text("tampered")
    (copy / "static" / "js" / "charts.js").unlink()
    problems = B.check_site(copy)
    assert any("static/css/site.css` must match its recorded sha256" in p for p in problems)
    assert any("static/js/charts.js` must exist" in p for p in problems)


def test_check_site_catches_offsite_and_broken_links(built_site, tmp_path):
    """A page linking to a CDN or to a missing page fails the build's final check."""
    copy = tmp_path / "dist"
    shutil.copytree(built_site, copy)
    page = copy / "index.html"
    page.write_text(page.read_text().replace("</main>", '<script src="https://cdn.example/x.js"></script>'
                                             '<a href="labs/v9-99/">x</a></main>'))
    problems = B.check_site(copy)
    assert any("must not reference another origin (got https://cdn.example/x.js)" in p for p in problems)
    assert any("links to labs/v9-99/" in p for p in problems)


@pytest.mark.parametrize(("given", "expected"), [("/", "/"), ("", "/"), ("course", "/course/"), ("/a/b", "/a/b/")])
def test_base_path_is_normalised(given, expected):
    """Base paths gain leading and trailing slashes."""
    assert expected == B.normalise_base_path(given)


@pytest.mark.parametrize("bad", ["https://x.org/", "/a/../b/", "/a b/", "/x?y"])
def test_bad_base_path_is_rejected(bad):
    """A base path that is not a plain URL path is refused with the one message form."""
    with pytest.raises(B.BuildError, match=r"`base_path` must"):
        B.normalise_base_path(bad)


def test_base_path_reaches_the_404_page(tmp_path):
    """Under a sub-path (GitHub Pages project site) the 404 page links to that path; other pages stay relative."""
    out = tmp_path / "dist"
    B.build(B.BuildOptions(out=out, base_path="/my-course/"))
    assert 'href="/my-course/"' in (out / "404.html").read_text()
    assert 'href="/my-course' not in (out / "index.html").read_text()


def test_invalid_lab_stops_the_build_before_writing(monkeypatch, tmp_path):
    """Validation runs first: an invalid lab lists its errors and dist/ is not created."""
    lab = all_labs()[0]
    bad = dataclasses.replace(lab, parts=(dataclasses.replace(lab.parts[0], instruments=()),))
    monkeypatch.setattr(B, "all_labs", lambda: (bad,))
    out = tmp_path / "dist"
    with pytest.raises(B.BuildError) as err:
        B.build(B.BuildOptions(out=out))
    assert any("must be at least one instrument" in e for e in err.value.errors)
    assert not out.exists()


def test_sources_page_lists_cited_constants(built_site):
    """The sources page shows the envelope's constants with kind and source (e.g. H100 bandwidth, a spec)."""
    html = (built_site / "sources" / "index.html").read_text()
    assert "memory_bandwidth_bytes_per_s" in html and "NVIDIA H100" in html
    assert 'id="engine.latency.stream_time"' in html


def test_builds_do_not_share_a_wheel_directory(monkeypatch, tmp_path):
    """Two builds at once (two test sessions, or `make site` while tests run) must not share a wheel directory: a
    shared build/wheel once made one build delete the other's wheel mid-flight. Each build gets its own, removed
    afterwards, and the wheel is reproducible (same sha256 both times)."""
    dirs = []
    real = B.build_wheel

    def spy(out_dir):
        dirs.append(out_dir)
        return real(out_dir)

    monkeypatch.setattr(B, "build_wheel", spy)
    lab = all_labs()[0].id
    outs = [tmp_path / f"a{i}" / "dist" for i in range(2)]
    summaries = []
    for o in outs:
        o.parent.mkdir()
        summaries.append(B.build(B.BuildOptions(out=o, labs=(lab,))))
    assert len(dirs) == 2 and dirs[0] != dirs[1]
    assert not any(d.exists() for d in dirs)
    shas = [hashlib.sha256(next((o / "wheels").glob("*.whl")).read_bytes()).hexdigest() for o in outs]
    assert shas[0] == shas[1] == summaries[0]["wheel_sha256"] == summaries[1]["wheel_sha256"]
