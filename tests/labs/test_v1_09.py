"""Lab v1-09 (The Curation Dividend): every reveal value against the spec's own arithmetic.

Expected values are computed here by hand from the numbers the spec prints (shared/labs/v1-09.md), never read back
from the engine. One deliberate difference: the H100 dense BF16 peak is 1,979 / 2 = 989.5 TFLOP/s (the registry's
derivation), where the spec rounds to 989, so dollar totals differ from the spec's by cents and the Part B ratio is
9.25 rather than 9.24.
"""

from __future__ import annotations

import math

import pytest

from labs.runtime import evaluate, reveal
from labs.schema import ChoicePrediction, NumericPrediction, validate_lab
from labs.v1_09 import LAB

HOME = "v1-00.home_context"
PEAK = 1979e12 / 2
C_OP = 2.50 / 3600 / (PEAK * 0.25)
TRAIN_128M = 3 * 14.78e9 * 128e6
SCORE_128M = 175.33e9 * 128e6
TRAIN_1B = 3 * 41.09e9 * 1.28e9
STORE_128M = 4.5 * 23.0
STORE_1B = 45 * 23.0


def run(part: str, inputs: dict | None = None, home: str = "cloud") -> dict:
    return evaluate(LAB, part, inputs or {}, {HOME: home})


def raw(part: str, inputs: dict | None = None, home: str = "cloud") -> dict:
    return run(part, inputs, home)["raw"]


def failure_ids(part: str, inputs: dict | None = None, home: str = "cloud") -> list[str]:
    return [f["id"] for f in run(part, inputs, home)["failures"]]


def close(a: float, b: float, rel: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel)


# --- the lab as a whole ----------------------------------------------------------------------------------------


def test_lab_validates():
    """validate_lab finds no problem in v1-09."""
    assert [] == validate_lab(LAB)


def test_seed_questions_verbatim():
    """Each prediction prompt is the spec's seed question, word for word."""
    assert LAB.part("A").prediction.prompt == (
        "Same run, same 128 M samples seen, but trained only on the 30 % of pairs with the highest CLIP score (each "
        "kept pair is seen ≈3.3×). The unfiltered run scores 17.55 % zero-shot on ImageNet. What does the filtered "
        "run score?"
    )
    assert LAB.part("B").prediction.prompt == (
        "Starting from 128 M raw (17.55 %), which move buys more ImageNet points per dollar?"
    )
    assert LAB.part("C").prediction.prompt == (
        "Where can the CLIP-score filter (ViT-L/14 scorer, 427.6 M parameters, FP16) run at the point of collection?"
    )
    assert LAB.part("D").prediction.prompt == "Which plan meets ≥ 31 % on the 38-task average for ≤ $200?"
    assert [o.label for o in LAB.part("D").prediction.options] == [
        "128 M + text-based filter (free to compute)", "128 M + image ∩ CLIP", "1.28 B raw",
        "nothing in the table does",
    ]


def test_scenarios_verbatim():
    """The stakeholders' quotes are the spec's."""
    assert LAB.part("A").scenario.text.startswith("We scraped 128 million image–caption pairs")
    assert LAB.part("B").scenario.text.endswith("Which buys more accuracy per dollar, and by how much?")
    assert LAB.part("C").scenario.text.endswith("Could each device score its own pairs and upload only the best 30 %?")
    assert LAB.part("D").scenario.text.endswith("and we need at least 31 %. Pick the plan.")


def test_prediction_forms():
    """Part A is a linear numeric prediction in % up to 60; Parts B–D are four-option choices."""
    a = LAB.part("A").prediction
    assert isinstance(a, NumericPrediction)
    assert (a.unit, a.scale, a.max) == ("percent", "linear", 60)
    for pid in "BCD":
        pred = LAB.part(pid).prediction
        assert isinstance(pred, ChoicePrediction)
        assert [o.key for o in pred.options] == ["a", "b", "c", "d"]


def test_ledger_reads():
    """Reads v1-00.home_context (preset cloud, four choices) and v1-08's GPU price (preset $2.50)."""
    home, price = LAB.reads
    assert (home.key, home.preset, home.choices) == (HOME, "cloud", ("cloud", "edge", "mobile", "tiny"))
    assert (price.key, price.preset) == ("v1-08.gpu_price_usd_per_h", 2.50)


def test_ledger_writes_match_spec_and_reference_real_outputs():
    """The lab writes exactly the spec's eleven keys, each from a real output, instrument or the prediction."""
    assert [w.key for w in LAB.writes] == [
        "v1-09.curation_prediction_pct", "v1-09.curated_accuracy_pct", "v1-09.curation_value_ratio",
        "v1-09.source_filter_feasible", "v1-09.data_plan", "v1-09.data_plan_cost_usd",
        "v1-09.data_plan_accuracy_pct", "v1-09.data_plan_metric", "v1-09.budget_usd", "v1-09.target_pct",
        "v1-09.binding_constraint",
    ]
    for w in LAB.writes:
        part = LAB.part(w.part)
        if w.kind == "prediction":
            assert w.source == "prediction"
        elif w.source in {i.name for i in part.instruments}:
            assert w.when == "change"
        else:
            assert w.source in {o.name for o in part.outputs}
            assert w.source in raw(w.part)


def test_written_values_at_defaults():
    """At the scenario's settings the writes hold 27.25 %, 9.25×, true (cloud), the default plan and 'target'."""
    assert run("A")["outputs"]["curated_accuracy"]["value"] == pytest.approx(27.25)
    assert round(raw("B")["scenario_ratio"], 2) == 9.25
    assert raw("C")["home_feasible"] == "true"
    d = raw("D")
    assert d["data_plan"] == "scale: medium, filter: none, runs_sharing_scores: 1"
    assert d["plan_metric"] == "avg38"
    assert d["binding"] == "target"


# --- Part A ----------------------------------------------------------------------------------------------------


def test_a_reveal_accuracy():
    """T[medium, CLIP30, ImageNet] = 27.25 %."""
    assert close(raw("A")["curated_accuracy"], 27.25 / 100)
    assert close(raw("A")["accuracy_pct"], 27.25)


def test_a_reveal_gain():
    """Gain = 27.25 − 17.55 = +9.70 points (×1.55)."""
    a = raw("A")
    assert close(a["gain_points"], 27.25 - 17.55)
    assert a["change_text"] == "+9.70 points (×1.55)"


def test_a_reveal_kept_and_repetition():
    """Kept pairs = 0.30 × 128 M = 38.4 M; repetition = 128 / 38.4 = 3.33."""
    a = raw("A")
    assert close(a["kept_pairs"], 0.30 * 128e6)
    assert close(a["repetition"], 128e6 / (0.30 * 128e6))
    assert a["repetition_text"].endswith("3.33×")


def test_a_reveal_text():
    """The reveal sentence states the engine's 27.25 %."""
    r = reveal(LAB, "A", 20.0, {HOME: "cloud"})
    assert r["text"].startswith("You predicted 20.0%. Actual: 27.25%.")
    assert "+9.70 points" in LAB.part("A").reveal.explanation


def test_a_unmeasured_cell_is_not_invented():
    """Small + image ∩ CLIP is not measured: no number, the engine says so."""
    a = raw("A", {"scale": "small", "filter": "image_clip"})
    assert "accuracy_pct" not in a  # None values are not numbers
    assert a["accuracy_text"].startswith("not measured")


# --- Part B ----------------------------------------------------------------------------------------------------


def test_b_reveal_baseline():
    """Baseline: 3 × 14.78e9 × 128e6 FLOP → $15.94 (989: spec) + 4.5 TB × $23 = $119.44 (spec, 989 TFLOP/s)."""
    b = raw("B")
    assert close(b["usd_per_flop"], C_OP)
    assert close(b["base_training_flop"], TRAIN_128M)
    assert close(b["base_gpu_time"], TRAIN_128M / (PEAK * 0.25))
    assert close(b["base_total_usd"], TRAIN_128M * C_OP + STORE_128M)


def test_b_reveal_curation_arm():
    """Curation: scoring 175.33e9 × 128e6 = 2.2442e19 FLOP → $63.0; +12.17 points → ≈193 points per $1k."""
    b = raw("B")
    assert close(b["cur_scoring_flop"], SCORE_128M)
    assert close(b["cur_scoring_usd"], SCORE_128M * C_OP)
    assert close(b["cur_total_usd"], (TRAIN_128M + SCORE_128M) * C_OP + STORE_128M)
    assert close(b["cur_per_kusd"], (29.72 - 17.55) / (SCORE_128M * C_OP) * 1000)


def test_b_reveal_scale_arm():
    """Scale: 3 × 41.09e9 × 1.28e9 FLOP + 45 TB × $23; +28.38 points → ≈20.9 points per $1k."""
    b = raw("B")
    total = TRAIN_1B * C_OP + STORE_1B
    delta = total - (TRAIN_128M * C_OP + STORE_128M)
    assert close(b["scale_training_flop"], TRAIN_1B)
    assert close(b["scale_total_usd"], total)
    assert close(b["scale_delta_usd"], delta)
    assert close(b["scale_gain"], (45.93 - 17.55) / 100)
    assert close(b["scale_per_kusd"], (45.93 - 17.55) / delta * 1000)


def test_b_reveal_ratio_and_answer():
    """Ratio 193.1 / 20.9 ≈ 9.25 (> 5) → option (d)."""
    b = raw("B")
    cur = (29.72 - 17.55) / (SCORE_128M * C_OP)
    scl = (45.93 - 17.55) / (TRAIN_1B * C_OP + STORE_1B - TRAIN_128M * C_OP - STORE_128M)
    assert close(b["ratio"], cur / scl)
    assert close(b["scenario_ratio"], cur / scl)
    assert b["value_answer"] == "d"
    assert reveal(LAB, "B", "d", {HOME: "cloud"})["correct"] is True


def test_b_free_filter_has_no_ratio():
    """A rule-based curation arm costs nothing extra: the engine reports that instead of an infinite ratio."""
    b = raw("B", {"curation_filter": "basic"})
    assert "ratio" not in b
    assert b["ratio_text"].startswith("rule-based filter")


def test_b_storage_free_ratio():
    """Self-assessment 3: with storage free, (12.17 / 2.2442e19) ÷ (28.38 / 1.5211e20) = 2.91×."""
    b = raw("B", {"storage_usd_per_tb_month": 0})
    assert close(b["ratio"], (12.17 / SCORE_128M) / (28.38 / (TRAIN_1B - TRAIN_128M)))
    assert round(b["ratio"], 2) == 2.91


# --- Part C ----------------------------------------------------------------------------------------------------


def test_c_reveal_times_and_energy():
    """175.33e9 / (P × 0.25): cloud 0.709 ms (0.50 J at 700 W), edge 16.50 ms (60 W), mobile 40.08 ms (5 W)."""
    c = raw("C")
    assert close(c["weights_cloud"], 427.62e6 * 2)
    assert close(c["time_cloud"], 175.33e9 / (PEAK * 0.25))
    assert close(c["energy_cloud"], 700 * 175.33e9 / (PEAK * 0.25))
    assert close(c["time_edge"], 175.33e9 / (42.5e12 * 0.25))
    assert close(c["energy_edge"], 60 * 175.33e9 / (42.5e12 * 0.25))
    assert close(c["time_mobile"], 175.33e9 / (17.5e12 * 0.25))
    assert close(c["energy_mobile"], 5 * 175.33e9 / (17.5e12 * 0.25))
    assert c["fits_tiny"] is False and "time_tiny" not in c


def test_c_reveal_upload():
    """4.5 TB / 128 M = 35.16 kB per pair → 35.16 MB per 1,000 raw vs 10.55 MB curated."""
    c = raw("C")
    assert close(c["upload_raw"], 1000 * 4.5e12 / 128e6)
    assert close(c["upload_curated"], 0.3 * 1000 * 4.5e12 / 128e6)


def test_c_answer_and_home():
    """Answer (b): cloud, edge and mobile hold 855.2 MB; only tiny cannot, so its home write is false."""
    assert raw("C")["fit_answer"] == "b"
    for home, feasible in (("cloud", "true"), ("edge", "true"), ("mobile", "true"), ("tiny", "false")):
        assert raw("C", home=home)["home_feasible"] == feasible


def test_c_failure_fires_and_clears():
    """Tiny cannot hold the scorer: 855.2 MB > 2.10 MB (408×; INT8 204×); rule-based filtering clears the card."""
    view = run("C")
    (f,) = view["failures"]
    assert f["id"] == "scorer_no_fit"
    assert f"{855.24e6 / 2097152:.0f}×" in f["message"] and f"{427.62e6 / 2097152:.0f}× over" in f["message"]
    assert "First fix: run the rule-based filter on the device" in f["message"]
    assert failure_ids("C", {"scorer": "rule"}) == []
    assert failure_ids("C", {"scorer": "l14"}) == ["scorer_no_fit"]


def test_c_int8_flagged():
    """An INT8 scorer halves the bytes and is flagged: its ranking quality is not in the table."""
    c = raw("C", {"scorer_precision": "8"})
    assert close(c["weights_cloud"], 427.62e6)
    assert "not in the table" in c["precision_note"]


# --- Part D ----------------------------------------------------------------------------------------------------


def test_d_reveal_default_state():
    """Default (128 M, no filter): $119.44 (spec, 989 TFLOP/s) and 25.80 % → target failure."""
    d = raw("D")
    assert close(d["total_usd"], TRAIN_128M * C_OP + STORE_128M)
    assert close(d["plan_accuracy"], 25.80 / 100)
    assert failure_ids("D") == ["below_target"]


def test_d_target_failure_clears():
    """Image ∩ CLIP at 128 M reaches 32.81 % for ≈$182.47 and clears the target card; moving back restores it."""
    d = raw("D", {"plan": "medium.image_clip"})
    assert close(d["plan_accuracy"], 32.81 / 100)
    assert close(d["total_usd"], (TRAIN_128M + SCORE_128M) * C_OP + STORE_128M)
    assert failure_ids("D", {"plan": "medium.image_clip"}) == []
    assert "First fix: 128 M + image ∩ CLIP score" in run("D")["failures"][0]["message"]


def test_d_budget_failure_fires_and_clears():
    """1.28 B raw costs ≈$1,478 > $200: budget card; back at 128 M it clears."""
    view = run("D", {"plan": "large.none"})
    ids = [f["id"] for f in view["failures"]]
    assert "over_budget" in ids
    msg = next(f["message"] for f in view["failures"] if f["id"] == "over_budget")
    assert msg.startswith(f"Plan costs ${TRAIN_1B * C_OP + STORE_1B:,.2f} > budget $200.00 (USD).")
    assert "over_budget" not in failure_ids("D")


def test_d_passing_plans_and_answer():
    """Passing plans: image-based, CLIP-30, image ∩ CLIP (best, 32.81 %) → (b); text-based reaches only 30.66 %."""
    assert raw("D")["plan_answer"] == "b"
    assert failure_ids("D", {"plan": "medium.text"}) == ["below_target"]
    assert close(raw("D", {"plan": "medium.text"})["plan_accuracy"], 30.66 / 100)
    assert failure_ids("D", {"plan": "medium.image"}) == []
    assert failure_ids("D", {"plan": "medium.clip30"}) == []


def test_d_shared_scoring():
    """Four runs sharing one scoring pass: $15.94 + $63.03 / 4 + $103.50 ≈ $135.20 per run (spec, 989)."""
    d = raw("D", {"plan": "medium.image_clip", "runs_sharing_scores": 4})
    assert close(d["total_usd"], TRAIN_128M * C_OP + SCORE_128M * C_OP / 4 + STORE_128M)
    assert d["data_plan"] == "scale: medium, filter: image_clip, runs_sharing_scores: 4"
