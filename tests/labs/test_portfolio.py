"""labs.portfolio: the Volume I portfolio from a Design Ledger document — empty, partial and complete ledgers, stale
stored outputs, hostile input, calibration verdicts computed by hand, the Markdown, strict JSON, the worker route."""

from __future__ import annotations

import json
import math

import pytest

from labs import runtime
from labs.catalog import get_lab
from labs.portfolio import INPUTS, LAB_IDS, RATIO_CAP, build_portfolio, calibration
from tests.labs.ledger_docs import scenario_doc

GUARDRAILS = [f"G{i}" for i in range(1, 14)]
W65 = 32.3 * 2**30
KV65 = 2 * 80 * 8192 * 2 * 2048


def _doc(labs=None):
    return {"schema": 1, "app": "mlsys-labs", "created": "2026-11-27T00:00:00.000Z",
            "updated": "2026-11-27T00:00:00.000Z", "labs": labs or {}}


def _strict(result):
    return json.loads(json.dumps(result, allow_nan=False))


def _g(result, gid):
    return next(g for g in result["guardrails"] if g["id"] == gid)


def _pred(value, actual, minute, unit="ms"):
    return {"value": value, "unit": unit, "actual": actual, "time": f"2026-11-27T00:{minute:02d}:00.000Z"}


# --- empty, partial, complete --------------------------------------------------------------------------------


def test_empty_ledger():
    """No entries: every Volume I lab is listed, not started and missing; all 25 inputs are presets; share 0."""
    r = build_portfolio(_doc())
    assert [lab["id"] for lab in r["labs"]] == list(LAB_IDS) and len(LAB_IDS) == 17
    assert {lab["status"] for lab in r["labs"]} == {"not started"}
    assert r["missing_labs"] == list(LAB_IDS)
    assert r["recorded"] == {"labs_with_entries": 0, "labs_completed": 0, "labs_total": 17}
    assert [p["key"] for p in r["presets_used"]] == [i.key for i in INPUTS]
    assert r["evidence_share"] == 0.0
    assert r["calibration"]["verdict"] == "not enough predictions"
    assert r["problems"] == []
    _strict(r)


def test_empty_ledger_binds_on_serving_memory():
    """At the presets the binding guardrail is G2: (34.68 GB + 64 × 5.369 GB) / 80 GB = 4.73."""
    r = build_portfolio(_doc())
    assert r["binding"]["id"] == "G2"
    assert math.isclose(r["binding"]["ratio"], (W65 + 64 * KV65) / 80e9, rel_tol=1e-12)
    assert r["binding"]["sentence"].startswith("G2 serving memory binds first: 378.3 GB > 80 GB (4.73×).")
    assert [g["id"] for g in r["guardrails"]] == GUARDRAILS
    assert {g["source"] for g in r["guardrails"]} == {"preset"}


def test_partial_ledger():
    """v1-00 … v1-07 done: 8 labs completed, 9 missing; share = (½ for G1 via v1-05 + ¼ for G3 via v1-07) / 13."""
    r = build_portfolio(scenario_doc(upto="v1-07"))
    status = {lab["id"]: lab["status"] for lab in r["labs"]}
    assert all(status[f"v1-{i:02d}"] == "completed" for i in range(8))
    assert r["missing_labs"] == [f"v1-{i:02d}" for i in range(8, 17)]
    assert math.isclose(r["evidence_share"], (1 / 2 + 1 / 4) / 13, rel_tol=1e-12)
    assert _g(r, "G1")["source"] == "preset"  # the v1-08 plan is still a preset
    assert "v1-08.training_plan" in {p["key"] for p in r["presets_used"]}
    assert "v1-07.per_token_latency_ms" not in {p["key"] for p in r["presets_used"]}


def test_complete_ledger_at_the_preset_design():
    """Volume I done in order at the preset design: every guardrail from the ledger, none stale, share 1, G2 binds."""
    r = build_portfolio(scenario_doc(preset_design=True))
    assert r["evidence_share"] == 1.0
    assert r["presets_used"] == []
    assert [g for g in r["guardrails"] if g["stale"] or g["source"] != "ledger"] == []
    assert r["binding"]["id"] == "G2"
    assert r["missing_labs"] == ["v1-16"]
    assert round(_g(r, "G4")["ratio"], 3) == round(3.65 / (3.53 * 1.05), 3)
    assert r["problems"] == []


def test_complete_ledger_at_each_labs_scenario_settings():
    """At each lab's own defaults the design differs (7B FP16 at batch 1, ZeRO-0): G2 = 14.50 GB; nothing stale."""
    r = build_portfolio(scenario_doc())
    assert _g(r, "G2")["value_text"] == "14.50 GB"
    assert _g(r, "G1")["value_text"] == f"{(7e9 * 16 + 4096 * 4096 * 26 * 32) / 1e9:.1f} GB"  # sigmoid from v1-05
    assert not any(g["stale"] for g in r["guardrails"])
    assert r["binding"]["id"] == "G6" and _g(r, "G6")["unbounded"] and _g(r, "G6")["ratio"] == RATIO_CAP
    assert r["binding"]["sentence"].startswith("G6 p99 in burst binds first: unbounded (no steady state)")


def test_predictions_use_catalog_prompts_and_recompute_off_by():
    """Each prediction carries the lab's prompt; v1-00's 0.1 ms against 39.06 ms is 390.6× under."""
    r = build_portfolio(scenario_doc(upto="v1-01"))
    p = r["labs"][0]["predictions"][0]
    assert p["prompt"] == get_lab("v1-00").part("A").prediction.prompt
    assert math.isclose(p["off_by"], 39.0625 / 0.1, rel_tol=1e-9) and p["direction"] == "under"
    choice = r["labs"][1]["predictions"][1]
    assert choice["off_by"] is None and isinstance(choice["correct"], bool)
    assert choice["predicted_text"].startswith("(a) ")


def test_decisions_are_listed_with_their_source():
    """v1-00's home context comes from the ledger; an unfinished v1-13 shows its inputs as presets."""
    r = build_portfolio(scenario_doc(upto="v1-12"))
    v100 = r["labs"][0]["decisions"]
    assert v100[0]["key"] == "v1-00.home_context" and v100[0]["source"] == "ledger"
    v113 = {d["key"]: d for d in r["labs"][13]["decisions"]}
    assert v113["v1-13.replicas"] == {"key": "v1-13.replicas", "label": "Replicas (v1-13)",
                                      "value_text": "7 replicas", "source": "preset"}


# --- stale ---------------------------------------------------------------------------------------------------


def test_stale_stored_output_is_detected():
    """A stored v1-09 cost of $150 against its replay $182.43 is stale; the replay is what the audit uses."""
    doc = scenario_doc(preset_design=True)
    doc["labs"]["v1-09"]["values"]["data_plan_cost_usd"]["value"] = 150.0
    r = build_portfolio(doc)
    g8 = _g(r, "G8")
    assert g8["stale"] is True
    assert g8["stale_text"].startswith("v1-09.data_plan_cost_usd stored $150.00, replay $182.43")
    assert g8["value_text"] == "$182.43"
    assert [g["id"] for g in r["guardrails"] if g["stale"]] == ["G8"]
    assert "stale: v1-09.data\\_plan\\_cost\\_usd stored $150.00" in r["markdown"]


def test_changed_input_makes_the_stored_output_stale():
    """v1-08's GPU price raised to $4/h after v1-09 was done: v1-09's stored cost is stale against the replay."""
    doc = scenario_doc(preset_design=True)
    doc["labs"]["v1-08"]["values"]["gpu_price_usd_per_h"]["value"] = 4.0
    r = build_portfolio(doc)
    assert _g(r, "G8")["stale"] is True and _g(r, "G1")["stale"] is False


def test_v1_13_p99_text_is_cross_checked():
    """v1-13 stores its p99 as text ('92.35 ms'); a wrong one is stale, 'unbounded' agrees only with ∞."""
    doc = scenario_doc(preset_design=True)
    doc["labs"]["v1-13"]["values"]["p99_forecast_ms"]["value"] = "120.1 ms"
    doc["labs"]["v1-13"]["values"]["p99_burst_ms"]["value"] = "unbounded (ρ ≥ 1)"
    r = build_portfolio(doc)
    assert _g(r, "G5")["stale"] and _g(r, "G6")["stale"]


# --- hostile input -------------------------------------------------------------------------------------------

HOSTILE = [
    [],
    "not a ledger",
    None,
    {"labs": []},
    {"schema": 99, "app": "evil", "labs": {"v1-08": "x", "<script>": {}, "v9-99": {}, "v1-99": {}, "v2-03": {}}},
    _doc({"v1-08": {"values": [], "predictions": "x", "completed": "yes"}}),
    _doc({"v1-08": {"values": {"training_plan": {"value": "A" * 5_000_000, "kind": "decision"}}}}),
    _doc({"v1-13": {"values": {"replicas": {"value": "NaN"}, "forecast_rps": {"value": "Infinity"},
                               "service_ms": {"value": -5}, "slo_p99_ms": {"value": True},
                               "burst_factor": {"value": [1, 2]}, "admission_cap_rps": {"value": {"a": 1}}}}}),
    _doc({"v1-10": {"values": {"selected_model": {"value": "size: 9000B, bits: 4, method: x, context_tokens: 1e99"},
                               "selected_ppl": {"value": "3.65"}},
                    "predictions": {"Z": {}, "A": {"value": "NaN", "actual": "Infinity", "off_by": "NaN",
                                                   "time": 12}}}}),
    _doc({"v1-12": {"values": {"plan": {"value": "serial_ms: 1e308, detector_scale: 0, coordination_us: -1, lanes: 0"},
                               "bad name!": {"value": 1}, "deadline_ms": "7"}}}),
    _doc({"v1-14": {"values": {"monitors": {"value": "source_share, source_share"}, "audit_fraction": {"value": 2}}}}),
    _doc({"v1-15": {"values": {"policy": {"value": {"policy": "equal_delay", "threshold_a": "nan", "epsilon": 8,
                                                    "retrains_per_year": 1}}}}}),
    _doc({"v1-00": {"predictions": {"A": {"value": float("nan"), "actual": float("inf"), "off_by": float("nan"),
                                          "time": "2026-11-27T00:01:00.000Z"}},
                    "values": {"home_context": {"value": float("nan")}}, "completed": True}}),
    _doc({"v1-13": {"values": {"replicas": {"value": 256}, "forecast_rps": {"value": 99999},
                               "service_ms": {"value": 99999}, "slo_p99_ms": {"value": 0.001}}}}),
]


@pytest.mark.parametrize("doc", HOSTILE, ids=[f"hostile{i}" for i in range(len(HOSTILE))])
def test_hostile_input_is_reported_not_raised(doc):
    """Wrong types, huge strings, unknown labs and NaN-like values never raise; the result is strict JSON."""
    r = _strict(build_portfolio(doc))
    assert [lab["id"] for lab in r["labs"]] == list(LAB_IDS)
    assert len(r["guardrails"]) == 13 and 0.0 <= r["evidence_share"] <= 1.0
    assert all(len(p) <= 300 for p in r["problems"])
    assert len(r["markdown"]) < 200_000


def test_hostile_values_are_named_in_problems():
    """Each rejected value is reported in the engine's one error form and the preset replaces it."""
    r = build_portfolio(HOSTILE[7])
    text = "\n".join(r["problems"])
    assert "`v1-13.replicas` must be a finite number (got 'NaN')" in text
    assert "`v1-13.forecast_rps` must be a finite number (got 'Infinity')" in text
    assert "`v1-13.service_ms` must be inside (0, 100,000] (got -5)" in text
    assert "`v1-13.slo_p99_ms` must be a finite number (got True)" in text
    assert "`v1-13.burst_factor` must be a number, text or small map (got list)" in text
    assert _g(r, "G5")["source"] == "preset"


def test_unknown_labs_are_ignored_and_reported():
    """'<script>', 'v9-99' and 'v1-99' are reported; a Volume II entry is ignored silently."""
    r = build_portfolio(HOSTILE[4])
    text = "\n".join(r["problems"])
    assert "unknown lab id '<script>'" in text and "unknown lab id 'v9-99'" in text
    assert "ignored v1-99: not a Volume I lab" in text and "v2-03" not in text
    assert "`app` must be \"mlsys-labs\"" in text and "`schema` must be 1 (got 99)" in text


def test_huge_string_is_bounded():
    """A 5 MB plan is rejected without echoing it: the problem quotes at most 40 characters."""
    r = build_portfolio(HOSTILE[6])
    assert any(p.startswith("`v1-08.training_plan` must read 'name: value, name: value' (got 'AAAA")
               for p in r["problems"])
    assert max(len(p) for p in r["problems"]) <= 300


def test_hostile_text_is_escaped_in_the_markdown():
    """A prediction text with table pipes and HTML stays inside its cell and is escaped."""
    doc = _doc({"v1-02": {"predictions": {"A": {"value": "a", "actual": "b", "value_text": "| <img src=x> |",
                                                "time": "2026-11-27T00:01:00.000Z"}}, "values": {},
                          "completed": False}})
    md = build_portfolio(doc)["markdown"]
    assert "\\| &lt;img src=x&gt; \\|" in md and "<img" not in md


def test_stored_off_by_is_not_trusted():
    """A stored off-by of 100× for 5 ms vs 39.0625 ms is replaced by 7.8125× and reported."""
    doc = _doc({"v1-00": {"predictions": {"A": {**_pred(5, 39.0625, 1), "off_by": 100}}, "values": {},
                          "completed": True}})
    r = build_portfolio(doc)
    assert r["labs"][0]["predictions"][0]["off_by"] == 39.0625 / 5
    assert any("stored off-by 100× disagrees" in p for p in r["problems"])


# --- calibration ---------------------------------------------------------------------------------------------


def _cal(off_bys, order=None):
    """A ledger whose numeric predictions have the given off-bys (prediction 1 ms, answer off_by ms) in time order."""
    labs = {}
    ids = [f"v1-{i:02d}" for i in range(len(off_bys))]
    for n in order or range(len(off_bys)):
        labs[ids[n]] = {"predictions": {"A": _pred(1.0, off_bys[n], n + 1)}, "values": {}, "completed": True}
    return build_portfolio(_doc(labs))["calibration"]


def test_calibration_improved():
    """Off-bys 10, 6 | 2, 3: medians 8 and 2.5; 2.5 < 0.9 × 8 → improved."""
    c = _cal([10, 6, 2, 3])
    assert (c["first_half_median"], c["second_half_median"], c["verdict"]) == (8.0, 2.5, "improved")


def test_calibration_got_worse():
    """Off-bys 4, 2 | 8, 1.5: medians 3 and 4.75; 4.75 > 1.1 × 3 → got worse."""
    c = _cal([4, 2, 8, 1.5])
    assert (c["first_half_median"], c["second_half_median"], c["verdict"]) == (3.0, 4.75, "got worse")


def test_calibration_about_the_same():
    """Off-bys 2, 4 | 3, 3.1: medians 3 and 3.05; within ±10 % → about the same."""
    c = _cal([2, 4, 3, 3.1])
    assert c["verdict"] == "about the same" and c["second_half_median"] == pytest.approx(3.05)


def test_calibration_odd_count_drops_the_middle():
    """Five off-bys 5, 4, 100, 2, 1: halves (5, 4) and (2, 1), the middle 100 in neither: 4.5 → 1.5, improved."""
    c = _cal([5, 4, 100, 2, 1])
    assert (c["first_half_median"], c["second_half_median"], c["verdict"]) == (4.5, 1.5, "improved")
    assert len(c["points"]) == 5


def test_calibration_orders_by_time_not_by_lab():
    """Entries stored out of order are sorted by their times before halving."""
    c = _cal([10, 6, 2, 3], order=[3, 1, 0, 2])
    assert [p["off_by"] for p in c["points"]] == [10, 6, 2, 3] and c["verdict"] == "improved"


def test_calibration_needs_four_points():
    """Three numeric predictions: not enough; choice predictions never count."""
    c = _cal([2, 3, 4])
    assert c["verdict"] == "not enough predictions" and c["first_half_median"] is None
    assert calibration([])["sentence"].startswith("0 numeric predictions")


def test_calibration_skips_predictions_without_time():
    """A numeric prediction without a valid time is left out of the trend and reported."""
    doc = _doc({"v1-00": {"predictions": {"A": {"value": 1, "unit": "ms", "actual": 2, "time": "yesterday"}},
                          "values": {}, "completed": True}})
    r = build_portfolio(doc)
    assert r["calibration"]["points"] == [] and any("no valid time" in p for p in r["problems"])


# --- Markdown, JSON, worker ----------------------------------------------------------------------------------


@pytest.mark.parametrize("doc", [_doc(), scenario_doc(upto="v1-07"), scenario_doc(preset_design=True)],
                         ids=["empty", "partial", "complete"])
def test_markdown_lists_every_lab_and_guardrail(doc):
    """The download names every Volume I lab (with its title) and every guardrail row."""
    r = build_portfolio(doc)
    md = r["markdown"]
    assert md.startswith("# Volume I portfolio")
    for lab in r["labs"]:
        assert f"### {lab['id']} " in md
    for gid in GUARDRAILS:
        assert f"\n| {gid} | " in md
    for section in ("## Binding constraint", "## Your prediction calibration", "## Lab by lab",
                    "## Missing labs and presets"):
        assert section in md
    json.dumps(r, allow_nan=False)


def test_contract_keys():
    """The result has exactly the contract's keys (plus `problems`), and each record its keys."""
    r = build_portfolio(scenario_doc(upto="v1-03"))
    assert set(r) == {"volume", "title", "recorded", "labs", "missing_labs", "presets_used", "guardrails", "binding",
                      "evidence_share", "calibration", "markdown", "problems"}
    assert set(r["labs"][0]) == {"id", "title", "status", "predictions", "decisions"}
    assert set(r["labs"][0]["predictions"][0]) == {"part", "prompt", "predicted_text", "actual_text", "off_by",
                                                   "direction", "correct", "time"}
    assert set(r["labs"][0]["decisions"][0]) == {"key", "label", "value_text", "source"}
    assert {"id", "name", "value_text", "limit_text", "ratio", "passes", "source", "stale"} <= set(r["guardrails"][0])
    assert set(r["binding"]) == {"id", "name", "ratio", "sentence"}
    assert set(r["calibration"]) == {"points", "first_half_median", "second_half_median", "verdict", "sentence"}
    assert r["volume"] == 1 and r["title"] == "Volume I portfolio"


def test_handle_portfolio_op():
    """labs.runtime.handle answers {op: portfolio} with the portfolio in strict JSON."""
    resp = json.loads(runtime.handle(json.dumps({"op": "portfolio", "ledger_doc": scenario_doc(preset_design=True)})))
    assert resp["ok"] is True and resp["result"]["binding"]["id"] == "G2"


def test_handle_portfolio_nan_tokens():
    """A ledger with NaN/Infinity JSON tokens reaches Python as floats; the answer is still strict JSON."""
    text = ('{"op": "portfolio", "ledger_doc": {"schema": 1, "app": "mlsys-labs", "labs": {"v1-13": {"values": '
            '{"replicas": {"value": NaN}, "forecast_rps": {"value": Infinity}}, "predictions": {}, "completed": true}}}}')
    resp = json.loads(runtime.handle(text))
    assert resp["ok"] is True and resp["result"]["labs"][13]["status"] == "completed"


def test_handle_portfolio_rejects_a_non_object():
    """A ledger_doc that is not an object gets one clear error."""
    resp = json.loads(runtime.handle(json.dumps({"op": "portfolio", "ledger_doc": [1, 2]})))
    assert resp["ok"] is False and "`ledger_doc` must be the Design Ledger document" in resp["error"]
