"""`make bench` harness: it runs end to end on one lab and produces every figure the budgets compare (timings are
checked for shape and sanity only; their values belong to `make bench`, not to tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import run as bench

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


def test_harness_measures_one_lab(built_site):
    """One run with a few moves on v1-00 yields cold/warm timings, update percentiles, bytes and memory."""
    results = bench.run(["v1-00"], runs=1, moves=3, build=False, dist=built_site)
    lab = results["labs"]["v1-00"]
    for kind in ("cold", "warm"):
        for key in ("first_text_ms", "first_chart_ms", "live_engine_ms", "bytes", "wasm_bytes"):
            assert lab[kind][key]["n"] == 1 and lab[kind][key]["median"] is not None, (kind, key)
    assert lab["cold"]["first_text_ms"]["median"] <= lab["cold"]["live_engine_ms"]["median"]
    assert lab["cold"]["bytes"]["median"] > 9_000_000  # the cold visit downloads the 9.6 MB runtime
    assert lab["update_ms"]["n"] == 3 and 0 < lab["update_ms"]["p50"] <= lab["update_ms"]["p95"]
    assert results["dist_bytes"] > 0
    budgets = json.loads((ROOT / "bench" / "budgets.json").read_text())
    rows = bench.compare(results, budgets)
    assert {"cold first text (ms)", "update p95 (ms)", "first-visit bytes"} <= {r[1] for r in rows}
    assert all(isinstance(ok, bool) for *_, ok in rows)


def test_percentile_by_hand():
    """p95 of 1..100 interpolates to 95.05; p50 of an even count is the mean of the middle two."""
    assert abs(bench.percentile(list(range(1, 101)), 0.95) - 95.05) < 1e-9
    assert 2.5 == bench.percentile([4, 1, 3, 2], 0.5)
