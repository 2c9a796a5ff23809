"""Lab v1-03 (The Constraint Tax): every reveal value against the spec's own arithmetic.

Expected values are computed here by hand from the numbers the spec prints (shared/labs/v1-03.md), never read back
from the engine: the plan E = [5, 5, 10, 20, 40, 80] person-days, the gates' costs and catch rates, the fleets.
"""

from __future__ import annotations

import math

import pytest

from labs.runtime import evaluate, reveal
from labs.schema import ChoicePrediction, NumericPrediction, validate_lab
from labs.v1_03 import LAB

HOME = "v1-00.home_context"
AXIS = "v1-01.binding_axis_home"
E = [5, 5, 10, 20, 40, 80]


def run(part, inputs=None, home="cloud", axis="capacity"):
    return evaluate(LAB, part, inputs or {}, {HOME: home, AXIS: axis})


def raw(part, inputs=None, home="cloud"):
    return run(part, inputs, home)["raw"]


def failure_ids(part, inputs=None):
    return [f["id"] for f in run(part, inputs)["failures"]]


def close(a, b, rel=1e-9):
    return math.isclose(a, b, rel_tol=rel)


# --- the lab as a whole ----------------------------------------------------------------------------------------


def test_lab_validates():
    """validate_lab finds no problem in v1-03."""
    assert [] == validate_lab(LAB)


def test_seed_questions_verbatim():
    """Each prediction prompt is the spec's seed question, word for word."""
    assert LAB.part("A").prediction.prompt == (
        "Rework if the constraint is found at stage 5, as a multiple of finding it at stage 1."
    )
    assert LAB.part("B").prediction.prompt == (
        "If the collected data is fully reusable (stage 2 not invalidated), what is the stage-5 multiplier?"
    )
    assert LAB.part("C").prediction.prompt == "Stage-6 multiplier is largest for…"
    assert LAB.part("D").prediction.prompt == "Which policy has the lowest expected cost?"
    assert LAB.part("D").scenario.text.startswith("For the next product, I'll fund checks after early stages.")


def test_prediction_forms():
    """A: log × over 1–1,000; B: linear × over 1–32; C and D: four-option choices."""
    a, b = LAB.part("A").prediction, LAB.part("B").prediction
    assert isinstance(a, NumericPrediction) and (a.unit, a.scale, a.min, a.max) == ("x", "log", 1, 1000)
    assert isinstance(b, NumericPrediction) and (b.unit, b.scale, b.min, b.max) == ("x", "linear", 1, 32)
    for pid in "CD":
        pred = LAB.part(pid).prediction
        assert isinstance(pred, ChoicePrediction) and [o.key for o in pred.options] == ["a", "b", "c", "d"]
    assert [o.label for o in LAB.part("D").prediction.options] == [
        "no gates", "all four gates", "envelope review + on-target prototype profiling", "pilot only",
    ]


def test_ledger_reads():
    """The lab reads the home context (preset cloud) and v1-01's binding axis (preset capacity)."""
    reads = {r.key: r for r in LAB.reads}
    assert reads[HOME].preset == "cloud" and reads[AXIS].preset == "capacity"


def test_ledger_writes_match_spec_and_reference_real_outputs():
    """The lab writes exactly the spec's seven keys, each from a real output, instrument or the prediction."""
    assert [w.key for w in LAB.writes] == [
        "v1-03.multiplier_prediction",
        "v1-03.stage5_multiplier",
        "v1-03.stage5_multiplier_data_reused",
        "v1-03.stage6_multiplier_by_context",
        "v1-03.gate_policy",
        "v1-03.expected_cost_pd",
        "v1-03.risk_budget_pd",
    ]
    for w in LAB.writes:
        if w.kind == "prediction":
            assert w.source == "prediction"
            continue
        part = LAB.part(w.part)
        names = {o.name for o in part.outputs} | {i.name for i in part.instruments}
        assert w.source in names
        assert w.source in raw(w.part) or w.source in run(w.part)["inputs"]


def test_written_values_at_defaults():
    """At the scenario's settings: 16×, 15×, the per-context multipliers, no gates, 40 person-days, budget 20."""
    assert raw("A")["stage5_multiplier"] == 16
    assert raw("B")["data_reused_multiplier"] == 15
    assert raw("C")["multipliers"] == "cloud: 32.1, edge: 52.4, mobile: 32.4, tiny: 432.4"
    assert raw("D")["gate_policy"] == "none"
    assert raw("D")["total"] == 0.5 * 80
    assert run("D")["inputs"]["risk_budget"] == 20


# --- Part A ----------------------------------------------------------------------------------------------------


def test_a_reveal_stage5_16x():
    """R(1) = 5; R(5) = 5 + 5 + 10 + 20 + 40 = 80 person-days; 80 / 5 = 16×."""
    r = raw("A")
    assert r["rework"] == 5 + 5 + 10 + 20 + 40
    assert r["stage1"] == 5
    assert r["multiplier"] == 80 / 5


def test_a_reveal_stage6_32x():
    """At stage 6: 160 / 5 = 32×."""
    r = raw("A", {"discovery_stage": 6})
    assert r["rework"] == sum(E)
    assert r["multiplier"] == 160 / 5


def test_a_reveal_calendar():
    """Calendar at 2.5 people: 80 / 2.5 = 32 working days = 6.4 weeks."""
    r = raw("A")
    assert r["calendar_days"] == 80 / 2.5
    assert r["calendar"].startswith("32 working days ≈ 6.40 weeks")


def test_a_artefacts_invalidated():
    """Found at stage 5: requirements, datasets, checkpoints, evaluation reports and integration builds are redone."""
    assert raw("A")["artefacts"] == (
        "requirements, datasets, trained checkpoints, evaluation reports, integration builds"
    )
    assert raw("A", {"discovery_stage": 1})["artefacts"] == "requirements"


def test_a_closed_form_any_r():
    """R(s) = E[1 + (r^(s−1) − 1)/(r − 1)]: r = 3, s = 5 → 5 × (1 + 80/2) = 205 → 41×."""
    r = raw("A", {"growth_r": 3.0})
    assert close(r["rework"], 5 * (1 + (3**4 - 1) / (3 - 1)))
    assert close(r["multiplier"], 41.0)


def test_a_direct_efforts_override_r():
    """With direct editing on, E₃ = 100 gives R(5) = 5 + 5 + 100 + 20 + 40 = 170 → 34×; off, r rules again."""
    r = raw("A", {"edit_efforts": True, "e3": 100, "growth_r": 3.0})
    assert r["rework"] == 5 + 5 + 100 + 20 + 40
    assert r["multiplier"] == 170 / 5
    assert raw("A", {"e3": 100})["rework"] == 80


def test_a_reveal_text():
    """A guess of 2× is off by 8× (under)."""
    out = reveal(LAB, "A", 2, {})
    assert out["text"] == "You predicted 2.00×. Actual: 16.0×. Off by 8.0× (under)."


def test_a_chart_doubles():
    """The bars are R(1…6) = 5, 10, 20, 40, 80, 160 with stage 5 highlighted."""
    chart = run("A")["charts"]["rework_by_stage"]
    assert chart["series"][0]["y"] == [5, 10, 20, 40, 80, 160]
    assert chart["series"][0]["status"][4] == "fail"


# --- Part B ----------------------------------------------------------------------------------------------------


def test_b_reveal_data_reused_15x():
    """f = [1, 0, 1, 1, 1]: R(5) = 5 + 0 + 10 + 20 + 40 = 75 → 15×."""
    r = raw("B")
    assert r["rework"] == 5 + 0 + 10 + 20 + 40
    assert r["multiplier"] == 75 / 5
    assert r["data_reused_multiplier"] == 15


def test_b_reveal_shares():
    """Stage 5 alone is 40 / 75 = 53 %; stages 4–5 are 60 / 75 = 80 %."""
    r = raw("B")
    assert close(r["last_share"], 40 / 75)
    assert close(r["last_two_share"], 60 / 75)


def test_b_data_rights_16x():
    """Data-rights constraint (all f = 1): 16×."""
    assert raw("B", {"constraint_type": "data_rights"})["multiplier"] == 16


def test_b_custom_fractions():
    """Custom: f₅ = 0.5 halves stage 5 → 5 + 0 + 10 + 20 + 20 = 55 → 11×; ignored for the named types."""
    assert raw("B", {"constraint_type": "custom", "f5": 0.5})["rework"] == 5 + 0 + 10 + 20 + 20
    assert raw("B", {"f5": 0.5})["rework"] == 75


def test_b_reveal_text():
    """A guess of 8× reads the actual 15.0×."""
    assert reveal(LAB, "B", 8, {})["text"] == "You predicted 8.00×. Actual: 15.0×. Off by 1.9× (under)."


def test_b_chart_contributions():
    """The bars are each stage's invalidated work up to stage 5."""
    assert run("B")["charts"]["contributions"]["series"][0]["y"] == [5, 0, 10, 20, 40]


# --- Part C ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("ctx", "total", "multiplier"), [
    ("cloud", 160 + 0.5 + 1 * 0, 32.1),
    ("mobile", 160 + 2 + 0, 32.4),
    ("edge", 160 + 2 + 400 * 0.25, 52.4),
    ("tiny", 160 + 2 + 20_000 * 0.1, 432.4),
])
def test_c_reveal_table(ctx, total, multiplier):
    """R₆ = R(6) + F_fixed + n·c per context, and its multiple of stage 1's 5 person-days."""
    r = raw("C")
    assert close(r[f"{ctx}_total"], total)
    assert close(r[f"{ctx}_multiplier"], total / 5)
    assert round(r[f"{ctx}_multiplier"], 1) == multiplier


def test_c_answer_tiny():
    """The tiny sensors' 432.4× is the largest: (d)."""
    assert raw("C")["largest_answer"] == "d"
    assert reveal(LAB, "C", "b", {})["text"] == (
        "You predicted (b) edge robots. Actual: (d) tiny sensors. Not this time."
    )


def test_c_calendar_weeks():
    """Tiny: 2,162 person-days / 2.5 people / 5 days = 172.96 weeks."""
    assert close(raw("C")["tiny_weeks"], 2162 / 2.5 / 5)


def test_c_home_marked_and_field_gaps():
    """The home context is marked on the chart; contexts that reach the field for free have no field bar."""
    chart = run("C", home="tiny")["charts"]["stage6_multiplier"]
    assert chart["x"][3] == "tiny sensors (home)"
    assert chart["series"][1]["y"][0] is None
    assert close(chart["series"][1]["y"][3], 20_000 * 0.1 / 5)


# --- Part D ----------------------------------------------------------------------------------------------------


def test_d_no_gates_fails():
    """No gates: 0.5 × 80 = 40.0 > 20 budget; the card names value, budget, factor, slip probability and first fix."""
    view = run("D")
    assert view["raw"]["total"] == 0.5 * 80
    assert [f["id"] for f in view["failures"]] == ["over_budget"]
    assert view["failures"][0]["message"] == (
        "Expected cost 40.0 person-days > 20.0 budget (2.00×); the constraint reaches deployment with probability "
        "1.00. First fix: add the cheap envelope review (G1) and on-target profiling (G3)."
    )


def test_d_reveal_g1_g3():
    """G1 + G3: 4 + 0.5 × (0.5 × 5 + 0.5 × 0.8 × 20 + 0.5 × 0.2 × 80) = 4 + 9.25 = 13.25; the card clears."""
    view = run("D", {"gate_g1": True, "gate_g3": True})
    r = view["raw"]
    assert r["gate_cost"] == 1 + 3
    assert close(r["expected_rework"], 0.5 * (0.5 * 5 + 0.5 * 0.8 * 20 + 0.5 * 0.2 * 80))
    assert close(r["total"], 13.25)
    assert close(r["slip_probability"], 0.5 * 0.2)
    assert view["failures"] == []
    assert r["gate_policy"] == "G1, G3"


def test_d_reveal_all_four():
    """All four: 11 + 0.5 × (2.5 + 1 + 6.4 + 2.88 + 0.64) = 11 + 6.71 = 17.71."""
    r = raw("D", {"gate_g1": True, "gate_g2": True, "gate_g3": True, "gate_g4": True})
    assert r["gate_cost"] == 1 + 2 + 3 + 5
    rework = 0.5 * (0.5 * 5 + 0.5 * 0.2 * 10 + 0.5 * 0.8 * 0.8 * 20 + 0.5 * 0.8 * 0.2 * 0.9 * 40
                    + 0.5 * 0.8 * 0.2 * 0.1 * 80)
    assert close(r["expected_rework"], rework)
    assert close(r["total"], 17.71)


@pytest.mark.parametrize(("gate", "total", "fails"), [
    ("gate_g3", 3 + 0.5 * (0.8 * 20 + 0.2 * 80), False),  # 19.0
    ("gate_g1", 1 + 0.5 * (0.5 * 5 + 0.5 * 80), True),  # 22.25
    ("gate_g4", 5 + 0.5 * (0.9 * 40 + 0.1 * 80), True),  # 27.0
])
def test_d_single_gates(gate, total, fails):
    """G3 alone 19.0 (passes); G1 alone 22.25 (fails); G4 alone 27.0 (fails)."""
    assert close(raw("D", {gate: True})["total"], total)
    assert (failure_ids("D", {gate: True}) == ["over_budget"]) is fails


def test_d_answer_and_recovery_by_prior():
    """The lowest named policy is (c); lowering q to 0.25 (20.0 ≤ 20) also clears the card."""
    assert raw("D")["best_policy_answer"] == "c"
    assert failure_ids("D", {"prior_q": 0.25}) == []


def test_d_first_fix_when_g1_g3_run():
    """With G1 and G3 on but a 10 person-day budget, the card suggests the next best gate instead of G1/G3."""
    fails = run("D", {"gate_g1": True, "gate_g3": True, "risk_budget": 10})["failures"]
    assert "First fix: add G2 (data audit), or raise the budget." in fails[0]["message"]


def test_d_chart_policies():
    """The chart prices six named policies and yours against the budget line."""
    chart = run("D")["charts"]["policies"]
    assert chart["x"] == ["none", "G1", "G3", "G4", "G1+G3", "all four", "yours"]
    assert close(chart["series"][0]["y"][4], 13.25)
    assert chart["lines"] == [{"y": 20.0, "label": "budget"}]


# --- synthesis -------------------------------------------------------------------------------------------------


def test_self_assessment_answers():
    """r = 3: 205 / 5 = 41×; G4 vs G3: R(4) = 40 vs R(3) = 20; 5,000 sensors: (160 + 2 + 500) / 5 = 132.4×."""
    (q1, a1), (_, a2), (_, a3) = LAB.synthesis.self_assessment
    assert "[5, 5, 15, 45, 135]" in q1 and "205 / 5 = 41×" in a1
    assert "R(4) = 40 vs R(3) = 20" in a2
    assert f"= {(160 + 2 + 5_000 * 0.1) / 5}×" in a3
