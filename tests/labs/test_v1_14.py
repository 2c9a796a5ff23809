"""Lab v1-14 (Green Dashboards, Silent Drift): every reveal value against the spec's own arithmetic.

Expected values are computed here by hand from the numbers the spec prints (shared/labs/v1-14.md): the WILDS
accuracies 93.2 / 70.3 %, V₀ = 2,400 slides/day, a 3.275-point daily ramp to 13.1 %, S = 12 s, 10 % audits, 5-day
labels, $12 / $300 / $25. Deliberate differences from the spec: monitors are one select of combinations, Part D adds
a deployment select and a label-delay slider, and detection days are written to the ledger as text.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import pytest

from labs.runtime import evaluate, reveal
from labs.schema import ChoicePrediction, NumericPrediction, validate_lab
from labs.v1_14 import LAB

HOME = "v1-00.home_context"
A_ID, A_OOD = 0.932, 0.703
V0, R, CAP = 2400.0, 0.03275, 0.131
SHARE = [min(R * d, CAP) for d in range(28)]
VOL = [V0 / (1 - s) for s in SHARE]
NEW = [v * s for v, s in zip(VOL, SHARE)]
ACC = [A_ID - s * (A_ID - A_OOD) for s in SHARE]
GAP = A_ID - A_OOD


def run(part: str, inputs: dict | None = None, home: str = "cloud", **ledger) -> dict:
    return evaluate(LAB, part, inputs or {}, {HOME: home, **ledger})


def raw(part: str, inputs: dict | None = None, home: str = "cloud", **ledger) -> dict:
    return run(part, inputs, home, **ledger)["raw"]


def failure_ids(part: str, inputs: dict | None = None, home: str = "cloud") -> list[str]:
    return [f["id"] for f in run(part, inputs, home)["failures"]]


def message(part: str, failure: str, inputs: dict | None = None, home: str = "cloud") -> str:
    return next(f["message"] for f in run(part, inputs, home)["failures"] if f["id"] == failure)


def close(a: float, b: float, rel: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel)


def n_needed(p0: float, p1: float) -> int:
    za, zb = NormalDist().inv_cdf(0.975), NormalDist().inv_cdf(0.80)
    return math.ceil(((za * math.sqrt(p0 * (1 - p0)) + zb * math.sqrt(p1 * (1 - p1))) / (p0 - p1)) ** 2)


# --- the lab as a whole ----------------------------------------------------------------------------------------


def test_lab_validates():
    """validate_lab finds no problem in v1-14."""
    assert [] == validate_lab(LAB)


def test_seed_questions_verbatim():
    """Each prediction prompt is the spec's seed question, word for word."""
    assert LAB.core_question == (
        "Your model shipped Monday. By Friday it lost 3 accuracy points. Your dashboard is green. Why?"
    )
    assert LAB.part("A").prediction.prompt == "What does the labelled-accuracy tile show on Friday evening?"
    assert LAB.part("B").prediction.prompt == (
        "Audited slides needed to confirm a 93.2 → 90.2 % drop (two-sided 95 % confidence, 80 % power)."
    )
    assert LAB.part("C").prediction.prompt == "Which deployment does not detect the shift within four weeks?"
    assert LAB.part("D").prediction.prompt == "Cheapest compliant policy?"


def test_scenario_quotes_verbatim():
    """The stakeholders' words are the spec's."""
    assert LAB.part("A").scenario.text.startswith("Our triage model went live Monday, the same day Saltmarsh General")
    assert LAB.part("B").scenario.text.startswith("Fine — labels are late.")
    assert LAB.part("C").scenario.text.endswith("Same shift — when does each notice?")
    assert LAB.part("D").scenario.text.endswith("Over four weeks, what is the cheapest policy?")


def test_prediction_forms():
    """A: linear 1–100 %; B: log 10–100,000 slides; C, D: four options."""
    a, b = LAB.part("A").prediction, LAB.part("B").prediction
    assert isinstance(a, NumericPrediction) and (a.unit, a.scale, a.min, a.max) == ("percent", "linear", 1, 100)
    assert isinstance(b, NumericPrediction) and (b.unit, b.scale, b.min, b.max) == ("count", "log", 10, 100_000)
    for pid in "CD":
        pred = LAB.part(pid).prediction
        assert isinstance(pred, ChoicePrediction) and [o.key for o in pred.options] == ["a", "b", "c", "d"]


def test_ledger_writes_match_spec():
    """The lab writes exactly the spec's ten keys, each from a real output of its part."""
    assert [w.key for w in LAB.writes] == [
        "v1-14.tile_prediction_pct", "v1-14.true_drop_pts", "v1-14.sample_size_aggregate", "v1-14.detection_day",
        "v1-14.monitors", "v1-14.audit_fraction", "v1-14.extra_misreads", "v1-14.misread_limit",
        "v1-14.policy_cost_usd", "v1-14.binding_constraint",
    ]
    for w in LAB.writes:
        if w.kind == "prediction":
            continue
        outputs = {o.name: o for o in LAB.part(w.part).outputs}
        assert w.source in outputs and w.source in raw(w.part)
        if outputs[w.source].kind == "number":
            assert outputs[w.source].unit == w.unit


def test_written_values_at_defaults():
    """Drop 3.0 points, n = 615, misread limit 100, audit share 0.10, binding label delay on cloud."""
    assert close(raw("A")["true_drop_friday"], CAP * GAP)
    assert raw("B")["n_aggregate"] == 615
    d = raw("D")
    assert d["misread_limit"] == 100 and close(d["audit_fraction_value"], 0.10)
    assert d["monitors_text"] == "aggregate" and d["binding_constraint"] == "label delay"
    assert d["detection_day"] == "day 11"


def test_ledger_reads():
    """Home context, v1-13's safe utilisation (preset 0.632) and v1-09's data plan (display only)."""
    keys = {r.key: r.preset for r in LAB.reads}
    assert keys == {HOME: "cloud", "v1-13.safe_utilization": 0.632, "v1-09.data_plan": "not recorded"}


def test_safe_utilization_from_ledger_sets_the_threshold():
    """With v1-13's ρ* = 0.30 recorded, the 38.4 % utilisation tile turns red."""
    r = raw("A", **{"v1-13.safe_utilization": 0.30})
    assert r["util_status"].startswith("red (limit 30.0%")
    assert raw("A")["util_status"].startswith("green (limit 63.2%")


# --- Part A ----------------------------------------------------------------------------------------------------


def test_a_true_accuracy_friday():
    """Day 4: 93.2 − 0.131 × 22.9 = 90.2 % (−3.0 points)."""
    r = raw("A")
    assert close(r["true_accuracy"], A_ID - CAP * GAP)
    assert round(r["true_accuracy"] * 100, 1) == 90.2
    assert round(r["true_drop"] * 100, 1) == 3.0


def test_a_tile_shows_validation():
    """Labels lag 5 days: on day 4 nothing is labelled, the tile shows 93.2 %."""
    r = raw("A")
    assert r["tile_friday"] == A_ID and r["accuracy_tile"] == A_ID and r["labelled"] == 0


def test_a_reveal_text():
    """Predicting 90.2 % against the tile's 93.2 %."""
    out = reveal(LAB, "A", 90.2, {HOME: "cloud"})
    assert "Actual: 93.20%" in out["text"]
    assert close(out["off_by"], 0.932 / 0.902)


def test_a_system_metrics():
    """λ = 2,761.8 / 86,400 s, ρ = 12 λ = 0.384 (Monday 0.333); p99 = 12 ln 100 / (1 − ρ) = 89.7 s (Monday 82.9)."""
    r = raw("A")
    rho = VOL[4] / 86_400 * 12
    assert close(r["utilization"], rho)
    assert round(rho, 3) == 0.384
    assert close(r["p99"], 12 * math.log(100) / (1 - rho))
    assert round(r["p99"], 1) == 89.7
    monday = raw("A", {"day": 0})
    assert round(monday["utilization"], 3) == 0.333 and round(monday["p99"], 1) == 82.9
    assert r["p99_status"].startswith("green") and r["error_status"].startswith("0%: green")


def test_a_week_average():
    """Volume-weighted week average 91.65 % (drop 1.55 points)."""
    week = sum(v * a for v, a in zip(VOL[:5], ACC[:5])) / sum(VOL[:5])
    assert close(raw("A")["week_average"], week)
    assert round(week * 100, 2) == 91.65


def test_a_silent_breach_message():
    """Day 4: 'Accuracy 90.20 % < floor 91.5 % (breached since day 3 at 90.95 %), and every tile is green.'"""
    assert message("A", "silent_breach") == (
        "Accuracy 90.20% < floor 91.5% (breached since day 3 at 90.95%), and every tile is green. First fix: add a "
        "source-share monitor (Part B)."
    )
    assert round(ACC[3] * 100, 2) == 90.95


def test_a_silent_breach_recovers():
    """Day 2 (91.70 %) clears the card; so do a 1-point/day ramp (day 4 at 92.28 %) and a 90 % floor."""
    assert failure_ids("A", {"day": 2}) == []
    assert failure_ids("A", {"day": 4}) == ["silent_breach"]
    assert failure_ids("A", {"ramp_pts_per_day": 1}) == []  # 93.2 − 0.04 × 22.9 = 92.28 %
    assert failure_ids("A", {"quality_floor_pct": 90}) == []


def test_a_tile_catches_up_later():
    """Day 20 with 5-day labels: the tile averages days 0–15 and drops below 91.5 %, so the card is no longer silent."""
    tile = sum(v * a for v, a in zip(VOL[:16], ACC[:16])) / sum(VOL[:16])
    r = raw("A", {"day": 20})
    assert close(r["accuracy_tile"], tile)
    assert tile < 0.915 and failure_ids("A", {"day": 20}) == []


# --- Part B ----------------------------------------------------------------------------------------------------


def test_b_sample_sizes():
    """n = [(1.960√(0.932·0.068) + 0.842√(0.902·0.098)) / 0.030]² = 614.4 → 615; per-source 14.7 → 15."""
    r = raw("B")
    assert r["n_aggregate"] == n_needed(A_ID, ACC[4]) == 615
    assert r["n_per_source"] == n_needed(A_ID, A_OOD) == 15


def test_b_reveal_text():
    """Predicting 100 slides against 615: off by 6.15×."""
    out = reveal(LAB, "B", 100, {})
    assert "Actual: 615" in out["text"] and close(out["off_by"], 6.15)


def test_b_detection_days():
    """Aggregate day 11, per-source day 7, source-share day 2 (s(2) = 6.55 % > 5 %)."""
    r = raw("B")
    assert (r["day_aggregate"], r["day_per_source"], r["day_source_share"]) == ("day 11", "day 7", "day 2")
    assert r["first_alarm"] == "day 2"


def test_b_label_counts():
    """Day 11: 0.1 × Σ V(0..6) = 1,840 labelled ≥ 1,356; day 7: 0.1 × Σ V_new(0..2) = 24.9 ≥ 15."""
    r = raw("B")
    assert r["aggregate_check"] == f"{0.1 * sum(VOL[:7]):,.0f} labelled ≥ 1,356 needed on day 11"
    assert r["per_source_check"] == f"{0.1 * sum(NEW[:3]):.1f} new-site labels ≥ 15 on day 7"


def test_b_extra_misreads():
    """Σ V_new × 22.9 %: 57.1 by day 2, 448.4 by day 7, 779.8 by day 11."""
    assert close(raw("B")["extra_misreads"], GAP * sum(NEW[:3]))
    assert round(GAP * sum(NEW[:3]), 1) == 57.1
    assert close(raw("B", {"monitors": "per_source"})["extra_misreads"], GAP * sum(NEW[:8]))
    assert round(GAP * sum(NEW[:8]), 1) == 448.4
    assert close(raw("B", {"monitors": "aggregate"})["extra_misreads"], GAP * sum(NEW[:12]))
    assert round(GAP * sum(NEW[:12]), 1) == 779.8


def test_b_late_alarm_card():
    """Aggregate alone fires on day 11, after the day-3 breach; adding the source-share alarm clears it."""
    assert message("B", "late_alarm", {"monitors": "aggregate"}) == (
        "Accuracy fell below the 91.5 % floor on day 3, but the first alarm (aggregate accuracy) is day 11. First "
        "fix: turn on the source-share alarm."
    )
    assert failure_ids("B", {"monitors": "all"}) == []


# --- Part C ----------------------------------------------------------------------------------------------------


def test_c_detection_per_context():
    """Cloud day 2 (source-share), edge day 7 (per-box), mobile day 40 (aggregate 1 %, 14-day labels)."""
    r = raw("C")
    assert r["cloud_detection"] == "day 2"
    assert r["edge_detection"] == "day 7"
    assert r["mobile_detection"] == "day 40 (not within 28 days)"
    assert r["answer"] == "c"


def test_c_misreads_per_context():
    """Damage before detection: 57.1 (cloud), 448.4 (edge), all 28 days on mobile."""
    r = raw("C")
    assert close(r["cloud_misreads"], GAP * sum(NEW[:3]))
    assert close(r["edge_misreads"], GAP * sum(NEW[:8]))
    assert close(r["mobile_misreads"], GAP * sum(NEW[:28]))


def test_c_reveal_answer():
    """Mobile does not detect within four weeks: (c)."""
    assert reveal(LAB, "C", "c", {})["correct"] is True


def test_c_not_deployable_message():
    """DenseNet-121: 7,978,856 × 1 B = 7.98 MB > 2,097,152 B flash, 3.8× over; another context clears it."""
    assert message("C", "not_deployable", {"deployment": "tiny"}) == (
        "Not deployable: the WILDS baseline DenseNet-121 has 7.98 M parameters = 7.98 MB in INT8 > 2.10 MB (2 MiB) "
        "flash, 3.8× over. First fix: run on the edge box."
    )
    assert round(7_978_856 / 2_097_152, 1) == 3.8
    assert failure_ids("C", {"deployment": "edge"}) == []
    assert failure_ids("C", home="tiny") == ["not_deployable"]


def test_c_mobile_with_faster_feedback():
    """Mobile with 10 % feedback in 5 days reads like the cloud aggregate monitor: day 11."""
    assert raw("C", {"audit_fraction_mobile": 10, "label_delay_days_mobile": 5})["mobile_detection"] == "day 11"


# --- Part D ----------------------------------------------------------------------------------------------------


def audits(a: float) -> float:
    return 12 * a * sum(VOL)


def reviews(d: int) -> float:
    return 25 * sum(NEW[d + 1:])


def test_d_default_policy_cost():
    """Aggregate 10 %: day 11, 779.8 misreads; $91,672.87 + $233,946.34 + $144,718.07 = $470,337.27."""
    r = raw("D")
    assert close(r["audit_cost"], audits(0.10)) and f"{audits(0.10):,.2f}" == "91,672.87"
    assert close(r["misread_cost"], 300 * GAP * sum(NEW[:12])) and f"{300 * GAP * sum(NEW[:12]):,.2f}" == "233,946.34"
    assert close(r["review_cost"], reviews(11)) and f"{reviews(11):,.2f}" == "144,718.07"
    assert r["total_text"] == "$470,337.27"


def test_d_cheapest_compliant():
    """Share + per-source 2 %: $18,334.57 + $17,139.25 + $223,614.39 = $259,088.21, compliant → (c)."""
    r = raw("D", {"monitors": "share_per_source", "audit_fraction": 2})
    expected = audits(0.02) + 300 * GAP * sum(NEW[:3]) + reviews(2)
    assert close(r["total_cost"], expected)
    assert r["total_text"] == "$259,088.21"
    assert r["answer"] == "c"
    assert failure_ids("D", {"monitors": "share_per_source", "audit_fraction": 2}) == []


def test_d_other_candidates():
    """Per-source 10 % $407,095.48; share + per-source 10 % $332,426.50; share alone $240,753.64."""
    assert raw("D", {"monitors": "per_source"})["total_text"] == "$407,095.48"
    assert raw("D", {"monitors": "share_per_source"})["total_text"] == "$332,426.50"
    assert raw("D", {"monitors": "source_share", "audit_fraction": 0})["total_text"] == "$240,753.64"


def test_d_damage_message():
    """The damage card reads the spec's sentence and clears with the source-share alarm."""
    assert message("D", "damage") == (
        "Extra misreads 779.8 > limit 100 before the first alarm (day 11). First fix: add the source-share alarm."
    )
    assert "damage" not in failure_ids("D", {"monitors": "share_aggregate"})


def test_d_evidence_message():
    """Share alone has no label-backed monitor; the card clears when per-source returns."""
    assert message("D", "no_evidence", {"monitors": "source_share"}) == (
        "No label-backed accuracy monitor selected. First fix: add per-source accuracy (2 % audits are enough)."
    )
    assert failure_ids("D", {"monitors": "share_per_source"}) == []


def test_d_edge_home():
    """Edge: per-box accuracy, day 7; damage passes 100 on day 3 (117.0); 1-day labels at 30 % → day 2, 57.1."""
    r = raw("D", home="edge")
    assert r["detection_day"] == "day 7" and r["binding_constraint"] == "observability"
    assert round(GAP * sum(NEW[:4]), 1) == 117.0
    fixed = raw("D", {"label_delay_days": 1, "audit_fraction": 30}, home="edge")
    assert fixed["detection_day"] == "day 2" and close(fixed["extra_misreads"], GAP * sum(NEW[:3]))
    shared = raw("D", {"monitors": "share_per_source"}, home="edge")
    assert shared["architecture_changes"] == "uplink per-site slide counts (a label-free alarm)"


def test_d_mobile_cannot_comply():
    """Mobile: aggregate feedback at 1 % with 14-day labels never fires within 28 days."""
    r = raw("D", home="mobile")
    assert r["detection_day"] == "not within 28 days" and r["binding_constraint"] == "observability"
    assert "damage" in failure_ids("D", home="mobile")


def test_d_tiny_home_opens_on_edge():
    """Home tiny opens Part D on the edge box; choosing tiny shows the not-deployable card."""
    assert run("D", home="tiny")["inputs"]["deployment"] == "edge"
    assert failure_ids("D", {"deployment": "tiny"}, home="tiny") == ["not_deployable"]


# --- synthesis -------------------------------------------------------------------------------------------------


def test_self_assessment():
    """3 / 22.9 = 13.1 %."""
    _, (_, a2), _ = LAB.synthesis.self_assessment
    assert a2 == f"3.0 / 22.9 = {3 / 22.9 * 100:.1f}%."


def test_model_note_refuses_extrapolation():
    """The model note says accuracy comes only from the measured WILDS pair."""
    assert "refuses to predict any other shift" in LAB.model_note and "Table 1" in LAB.model_note


@pytest.mark.parametrize("home", ["cloud", "edge", "mobile", "tiny"])
def test_every_home_evaluates(home):
    """Every part runs for every home context."""
    for part in "ABCD":
        assert run(part, home=home)["outputs"]
