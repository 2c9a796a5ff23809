"""Lab v1-15 (No Free Safeguard): every reveal value against the spec's own arithmetic.

Expected values are computed here by hand from the numbers the spec prints (shared/labs/v1-15.md), never read back
from the engine. Φ is the standard normal CDF (statistics.NormalDist). One deliberate refinement: the single
thresholds that meet the 5-point target are t ≤ 0.637 or t ≥ 4.563 (the spec rounds them inward to 0.63 / 4.57).
"""

from __future__ import annotations

import math
from statistics import NormalDist

import pytest

from labs.runtime import evaluate, reveal
from labs.schema import ChoicePrediction, NumericPrediction, validate_lab
from labs.v1_15 import LAB

PHI = NormalDist().cdf
HOME = "v1-00.home_context"
SAFE = "v1-13.safe_utilization"
MON = "v1-14.monitors"

# the spec's constants, as printed
D_A, D_B, T = 3.0, 2.2, 2.0
M_A, M_B = 1 - 0.983, 3 * (1 - 0.983)  # non-private misread rates 1.7 % and 5.1 %
PARAMS = 60 * 1000 + 1000 + 1000 * 10 + 10  # 71,010
MIB = 1024 * 1024


def run(part: str, inputs: dict | None = None, ledger: dict | None = None) -> dict:
    return evaluate(LAB, part, inputs or {}, ledger if ledger is not None else {HOME: "cloud"})


def raw(part: str, inputs: dict | None = None, ledger: dict | None = None) -> dict:
    return run(part, inputs, ledger)["raw"]


def failure_ids(part: str, inputs: dict | None = None, ledger: dict | None = None) -> list[str]:
    return [f["id"] for f in run(part, inputs, ledger)["failures"]]


def close(a: float, b: float, rel: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel)


# --- the lab as a whole ----------------------------------------------------------------------------------------


def test_lab_validates():
    """validate_lab finds no problem in v1-15."""
    assert [] == validate_lab(LAB)


def test_seed_questions_verbatim():
    """Each prediction prompt is the spec's seed question, word for word."""
    assert LAB.part("A").prediction.prompt == (
        "Difference in delay rate (correct cheques sent to review) between group B and group A at the single "
        "threshold 2.0."
    )
    assert LAB.part("B").prediction.prompt == (
        "Lower B's threshold until its delay rate equals A's (15.9 %). Group B's false-accept (wrong credit) rate "
        "becomes?"
    )
    assert LAB.part("C").prediction.prompt == (
        "Where does DP-SGD fit with lots of 600 examples and per-example gradients held in memory?"
    )
    assert LAB.part("D").prediction.prompt == "Which policy passes every rule with the fewest wrong credits per day?"
    assert [o.label for o in LAB.part("C").prediction.options] == [
        "all four", "cloud, edge, mobile", "cloud and edge", "cloud only",
    ]
    assert [o.label for o in LAB.part("D").prediction.options] == [
        "single threshold, ε = 8 once a year",
        "group thresholds, ε = 8 once a year",
        "group thresholds, ε = 2 four times a year",
        "group thresholds, ε = 0.5 monthly",
    ]


def test_scenario_quotes_verbatim():
    """The stakeholders' quotes are the spec's, word for word."""
    assert LAB.part("A").scenario.text.startswith("We use a single confidence threshold, 2.0, for every customer.")
    assert LAB.part("B").scenario.text == (
        "Then give group B a lower threshold so their delays match group A's. Problem solved?"
    )
    assert LAB.part("C").scenario.text.endswith("Which of those can even hold it?")
    assert LAB.part("D").scenario.text.startswith("Four rules, all mandatory: DP on every retrain, total ε ≤ 10 per year")


def test_prediction_forms():
    """A: linear points up to 50; B: linear percent up to 40; C and D: four-option choices."""
    a, b = LAB.part("A").prediction, LAB.part("B").prediction
    assert isinstance(a, NumericPrediction) and (a.unit, a.scale, a.max) == ("points", "linear", 50)
    assert isinstance(b, NumericPrediction) and (b.unit, b.scale, b.max) == ("percent", "linear", 40)
    for pid in "CD":
        pred = LAB.part(pid).prediction
        assert isinstance(pred, ChoicePrediction) and [o.key for o in pred.options] == ["a", "b", "c", "d"]


def test_ledger_reads():
    """Reads: home context (preset cloud, four choices), v1-13 safe utilisation (0.632), v1-14 monitors (display)."""
    reads = {r.key: r for r in LAB.reads}
    assert (reads[HOME].preset, reads[HOME].choices) == ("cloud", ("cloud", "edge", "mobile", "tiny"))
    assert reads[SAFE].preset == 0.632
    assert MON in reads


def test_ledger_writes_match_spec_and_reference_real_outputs():
    """The lab writes exactly the spec's keys, each from a real output or instrument of its part."""
    assert [w.key for w in LAB.writes] == [
        "v1-15.gap_prediction_pp", "v1-15.delay_gap_pp", "v1-15.far_b_equalized_pct", "v1-15.dp_fits_contexts",
        "v1-15.policy", "v1-15.privacy_epsilon", "v1-15.epsilon_budget", "v1-15.policy_gap_pp",
        "v1-15.fairness_gap_target", "v1-15.review_utilization", "v1-15.wrong_credits_per_day",
        "v1-15.harm_ratio_b_over_a", "v1-15.binding_constraint",
    ]
    for w in LAB.writes:
        part = LAB.part(w.part)
        if w.kind == "prediction":
            assert w.source == "prediction"
        else:
            names = {o.name for o in part.outputs} | {i.name for i in part.instruments}
            assert w.source in names
            assert w.source in raw(w.part) or w.source in {i.name for i in part.instruments}


def test_written_values_at_defaults():
    """At the scenario's settings the written numbers are the spec's: 26.2, 11.5 %, cloud/edge/mobile, 24, 10, 5."""
    assert round(raw("A")["delay_gap"] * 100, 1) == 26.2
    assert round(raw("B")["far_b_equalized"] * 100, 1) == 11.5
    assert raw("C")["fits_text"] == "cloud, edge, mobile"
    d = run("D")
    assert d["raw"]["epsilon_per_year"] == 12 * 2
    assert d["inputs"]["epsilon_budget"] == 10 and d["inputs"]["gap_target_pp"] == 5
    assert round(d["raw"]["delay_gap"] * 100, 1) == 26.2
    assert d["raw"]["policy_text"] == "policy: single, threshold_a: 2, epsilon: 2, retrains_per_year: 12"
    assert d["raw"]["binding_constraint"] == "fairness"


# --- Part A ----------------------------------------------------------------------------------------------------


def test_a_false_accept_equal():
    """FAR = 1 − Φ(2.0) = 2.28 % for both groups."""
    r = raw("A")
    assert close(r["far_a"], 1 - PHI(2.0)) and close(r["far_b"], 1 - PHI(2.0))


def test_a_delay_rates_and_gap():
    """FRR_A = Φ(−1) = 15.87 %, FRR_B = Φ(−0.2) = 42.07 %, gap 26.2 points."""
    r = raw("A")
    assert close(r["frr_a"], PHI(2.0 - 3.0)) and close(r["frr_b"], PHI(2.0 - 2.2))
    assert close(r["delay_gap"], PHI(-0.2) - PHI(-1.0))


def test_a_per_10k():
    """Delays A 1e4·0.983·Φ(−1) ≈ 1,560, B 1e4·0.949·Φ(−0.2) ≈ 3,993; wrong credits 3.9 and 11.6."""
    r = raw("A")
    assert close(r["delays_a"], 1e4 * (1 - M_A) * PHI(-1.0)) and round(r["delays_a"]) == 1560
    assert close(r["delays_b"], 1e4 * (1 - M_B) * PHI(-0.2)) and round(r["delays_b"]) == 3993
    assert close(r["wrong_a"], 1e4 * M_A * (1 - PHI(2.0))) and round(r["wrong_a"], 1) == 3.9
    assert close(r["wrong_b"], 1e4 * M_B * (1 - PHI(2.0))) and round(r["wrong_b"], 1) == 11.6


def test_a_reveal_text():
    """The reveal compares a 20-point guess with 26.2 points and names both delay rates."""
    rv = reveal(LAB, "A", 20, {HOME: "cloud"})
    assert rv["text"] == "You predicted 20.0 points. Actual: 26.2 points. Off by 1.3× (under)."
    assert "42.07%" in LAB.part("A").reveal.explanation and "15.87%" in LAB.part("A").reveal.explanation


def test_a_failure_fires_and_clears():
    """The fairness failure holds at t = 2.0 and clears at t = 0.60 or 4.60 (gap ≤ 5 points) or a 30-point target."""
    assert failure_ids("A") == ["fairness_gap"]
    msg = run("A")["failures"][0]["message"]
    assert msg.startswith("Fairness gap 26.2 points > target 5.0 points (group B delayed 42.1 % vs A 15.9 %)")
    assert PHI(0.60 - 2.2) - PHI(0.60 - 3.0) < 0.05 and PHI(4.60 - 2.2) - PHI(4.60 - 3.0) < 0.05
    assert failure_ids("A", {"threshold": 0.6}) == [] and failure_ids("A", {"threshold": 4.6}) == []
    assert failure_ids("A", {"gap_target_pp": 30}) == []
    assert failure_ids("A", {"threshold": 0.65}) == ["fairness_gap"]  # Φ(−1.55) − Φ(−2.35) > 5 %


def test_a_monitor_display():
    """v1-14's monitors are displayed: per_source counts as a per-group monitor, the preset says not recorded."""
    assert raw("A")["monitor"].startswith("unknown")
    assert raw("A", ledger={HOME: "cloud", MON: "source_share, per_source"})["monitor"].startswith("yes")
    assert raw("A", ledger={HOME: "cloud", MON: "aggregate"})["monitor"].startswith("no")


# --- Part B ----------------------------------------------------------------------------------------------------


def test_b_equal_delay_threshold():
    """t_B − 2.2 = 2.0 − 3.0 → t_B = 1.2, and both delay rates become Φ(−1)."""
    r = raw("B")
    assert close(r["t_b"], 2.2 - (3.0 - 2.0)) and close(r["frr_b"], PHI(-1.0)) and close(r["frr_a"], PHI(-1.0))


def test_b_far_b_and_ratio():
    """FAR_B = 1 − Φ(1.2) = 11.51 %, 5.06× A's 2.28 %."""
    r = raw("B")
    assert close(r["far_b_equalized"], 1 - PHI(1.2)) and close(r["far_b"], 1 - PHI(1.2))
    assert close(r["far_ratio"], (1 - PHI(1.2)) / (1 - PHI(2.0))) and round(r["far_ratio"], 2) == 5.06


def test_b_per_10k_group_b():
    """Per 10,000 group-B cheques: delays 3,993 → 1,506; wrong credits 11.6 → 58.7."""
    r = raw("B")
    assert close(r["delays_b_single"], 1e4 * (1 - M_B) * PHI(-0.2))
    assert close(r["delays_b"], 1e4 * (1 - M_B) * PHI(-1.0)) and round(r["delays_b"]) == 1506
    assert close(r["wrong_b_single"], 1e4 * M_B * (1 - PHI(2.0)))
    assert close(r["wrong_b"], 1e4 * M_B * (1 - PHI(1.2))) and round(r["wrong_b"], 1) == 58.7


def test_b_precision():
    """Precision_B = 0.949(1 − Φ(−1)) / [0.949(1 − Φ(−1)) + 0.051(1 − Φ(1.2))]."""
    r = raw("B")
    good, bad = (1 - M_B) * (1 - PHI(-1.0)), M_B * (1 - PHI(1.2))
    assert close(r["precision_b"], good / (good + bad))


def test_b_policies():
    """Single and equal wrong-credit rates both give t_B = t_A; manual uses the t_B slider."""
    assert close(raw("B", {"policy": "single"})["t_b"], 2.0)
    assert close(raw("B", {"policy": "equal_far"})["t_b"], 2.0)
    assert close(raw("B", {"policy": "manual", "threshold_b": 3.5})["t_b"], 3.5)


def test_b_fair_band_in_reveal():
    """A single threshold meets 5 points only at t ≤ 0.637 (26 % of misreads credited) or t ≥ 4.563 (94 %)."""
    text = LAB.part("B").reveal.explanation
    assert "t ≤ 0.637 (26% of misreads" in text and "t ≥ 4.563 (94% of group A" in text
    assert round(1 - PHI(0.637), 2) == 0.26 and round(PHI(4.563 - 3.0), 2) == 0.94


def test_b_reveal_text():
    """The reveal compares a 5 % guess with 11.5 %."""
    assert reveal(LAB, "B", 5, {HOME: "cloud"})["text"] == "You predicted 5.00%. Actual: 11.5%. Off by 2.3× (under)."


# --- Part C ----------------------------------------------------------------------------------------------------


def test_c_parameters_and_gradient_memory():
    """71,010 parameters; gradients 600 × 71,010 × 4 B = 170.4 MB."""
    r = raw("C")
    assert r["params"] == PARAMS == 71_010
    assert r["grad_mem"] == 600 * PARAMS * 4


def test_c_fits_per_context():
    """Cloud 80 GB ✓, edge 64 GB ✓, mobile 4 GB ✓, tiny 1 MiB ✗ (163× over) → (b)."""
    r = raw("C")
    assert r["row_cloud"].endswith("fits") and r["row_edge"].endswith("fits") and r["row_mobile"].endswith("fits")
    assert round(600 * PARAMS * 4 / MIB) == 163 and r["row_tiny"].endswith("(163× over)")
    assert r["answer"] == "b"
    assert reveal(LAB, "C", "b", {HOME: "cloud"})["correct"] is True


def test_c_accuracy_and_time():
    """ε = 2 → 95 % on every context; 4.5× epoch time (180 s / 40 s); non-private 98.30 % at 1×; ε = 0.5 → 90 %."""
    r = raw("C")
    assert close(r["accuracy"], 0.95) and close(r["epoch_multiplier"], 180 / 40)
    none = raw("C", {"epsilon": "none"})
    assert close(none["accuracy"], 0.983) and none["epoch_multiplier"] == 1.0
    assert close(raw("C", {"epsilon": "0.5"})["accuracy"], 0.90)
    assert all(close(raw("C", {"context": k})["accuracy"], 0.95) for k in ("cloud", "edge", "mobile", "tiny"))


def test_c_failure_tiny():
    """Tiny: out of memory with the spec's sentence; clears at lot size 1 or on another context."""
    ledger = {HOME: "tiny"}
    assert failure_ids("C", ledger=ledger) == ["out_of_memory"]
    assert run("C", ledger=ledger)["failures"][0]["message"] == (
        "Out of memory: 170.4 MB of per-example gradients > 1.05 MB (1 MiB) SRAM. First fix: stream one example at a "
        "time (weights 0.28 MB + two gradient buffers 0.57 MB, spread across SRAM banks) or train centrally."
    )
    assert failure_ids("C", {"lot_size": 1}, ledger) == []
    assert failure_ids("C", {"context": "mobile"}, ledger) == []
    assert failure_ids("C") == [] and failure_ids("C", {"context": "tiny"}) == ["out_of_memory"]


def test_c_context_follows_home():
    """Part C opens on the home context."""
    for home in ("cloud", "edge", "mobile", "tiny"):
        assert run("C", ledger={HOME: home})["inputs"]["context"] == home


# --- Part D ----------------------------------------------------------------------------------------------------


def _reviews(m_a: float, m_b: float, frr_a: float, far_a: float, frr_b: float, far_b: float) -> float:
    return 16000 * ((1 - m_a) * frr_a + m_a * (1 - far_a)) + 4000 * ((1 - m_b) * frr_b + m_b * (1 - far_b))


def test_d_defaults_fail_all_three():
    """Default (single, ε = 2, 12/yr): ε/yr 24 ✗, gap 26.2 ✗, reviews 5,210/day ✗."""
    r = raw("D")
    far, frr_a, frr_b = 1 - PHI(2.0), PHI(-1.0), PHI(-0.2)
    reviews = _reviews(0.05, 0.15, frr_a, far, frr_b, far)
    assert r["epsilon_per_year"] == 24
    assert close(r["delay_gap"], frr_b - frr_a)
    assert close(r["reviews_per_day"], reviews) and round(reviews) == 5210
    assert sorted(failure_ids("D")) == ["fairness", "privacy", "review_queue"]


def test_d_failure_messages():
    """Privacy and review-queue sentences are the spec's."""
    msgs = {f["id"]: f["message"] for f in run("D")["failures"]}
    assert msgs["privacy"] == "ε per year 24 > budget 10 (12 retrains × ε 2). First fix: retrain 4× a year or use ε = 8 once."
    assert msgs["review_queue"] == (
        "Reviews 5,210/day ≥ capacity 4,500/day (ρ = 1.16): the backlog grows without bound (v1-13). First fix: "
        "per-group thresholds, or less noise (ε = 8)."
    )
    assert msgs["fairness"].startswith("Fairness gap 26.2 points > target 5.0 points")


def test_d_each_failure_clears_by_one_control():
    """Privacy clears at 4 retrains (8 ≤ 10), fairness under group thresholds, review at capacity 5,300."""
    assert "privacy" not in failure_ids("D", {"retrains_per_year": "4"})
    assert "fairness" not in failure_ids("D", {"policy": "equal_delay"})
    assert "review_queue" not in failure_ids("D", {"review_capacity": 5300})


def test_d_policy_b():
    """Policy (b): ε/yr 8, gap 0, reviews 3,827/day (ρ 0.85), wrong credits 52.3/day (A 10.9, B 41.4), 15.2×."""
    r = raw("D", {"policy": "equal_delay", "epsilon": "8", "retrains_per_year": "1"})
    far_a, far_b, frr = 1 - PHI(2.0), 1 - PHI(1.2), PHI(-1.0)
    reviews = _reviews(0.03, 0.09, frr, far_a, frr, far_b)
    assert r["epsilon_per_year"] == 8 and abs(r["delay_gap"]) < 1e-12
    assert close(r["reviews_per_day"], reviews) and round(reviews) == 3827
    assert close(r["review_utilization"], reviews / 4500) and round(reviews / 4500, 2) == 0.85
    assert close(r["wrong_a"], 16000 * 0.03 * far_a) and round(r["wrong_a"], 1) == 10.9
    assert close(r["wrong_b"], 4000 * 0.09 * far_b) and round(r["wrong_b"], 1) == 41.4
    assert round(r["wrong_credits_per_day"], 1) == 52.3
    assert close(r["harm_ratio"], (0.09 * far_b) / (0.03 * far_a)) and round(r["harm_ratio"], 1) == 15.2
    assert r["binding_constraint"] == "none"
    assert run("D", {"policy": "equal_delay", "epsilon": "8", "retrains_per_year": "1"})["failures"] == []


def test_d_policies_c_and_d():
    """(c) passes with ρ 0.95 and 87.2/day; (d) ε/yr 6 but 5,354 reviews/day overloads review."""
    far_a, far_b, frr = 1 - PHI(2.0), 1 - PHI(1.2), PHI(-1.0)
    c = raw("D", {"policy": "equal_delay", "epsilon": "2", "retrains_per_year": "4"})
    assert round(_reviews(0.05, 0.15, frr, far_a, frr, far_b) / 4500, 2) == 0.95
    assert close(c["wrong_credits_per_day"], 16000 * 0.05 * far_a + 4000 * 0.15 * far_b)
    assert round(c["wrong_credits_per_day"], 1) == 87.2 and c["binding_constraint"] == "none"
    d = raw("D", {"policy": "equal_delay", "epsilon": "0.5", "retrains_per_year": "12"})
    assert d["epsilon_per_year"] == 6
    assert close(d["reviews_per_day"], _reviews(0.10, 0.30, frr, far_a, frr, far_b))
    assert round(d["reviews_per_day"]) == 5354 and d["binding_constraint"] == "review capacity"


def test_d_answer_and_reveal():
    """The engine's answer is (b); the reveal marks (b) correct and (a) not."""
    assert raw("D")["answer"] == "b"
    assert reveal(LAB, "D", "b", {HOME: "cloud"})["correct"] is True
    assert reveal(LAB, "D", "a", {HOME: "cloud"})["correct"] is False


def test_d_safe_utilisation_read():
    """v1-13's safe utilisation is shown against ρ and drawn as a second line; a recorded value replaces 0.632."""
    r = run("D", {"policy": "equal_delay", "epsilon": "8", "retrains_per_year": "1"})
    assert r["raw"]["safe_util_note"] == "ρ 0.85 > safe 0.632: stable, long waits"
    assert [ln["y"] for ln in r["charts"]["guardrails"]["lines"]] == [1.0, 0.632]
    r = run("D", {"policy": "equal_delay", "epsilon": "8", "retrains_per_year": "1"},
            {HOME: "cloud", SAFE: 0.9})
    assert r["raw"]["safe_util"] == 0.9 and r["raw"]["safe_util_note"] == "ρ 0.85 ≤ safe 0.900: short queue"


def test_self_assessment_answers():
    """12 retrains at ε = 0.5: ε/yr 6 within 10, but 5,354 reviews/day; ε = 4 has no measured row."""
    answers = [a for _, a in LAB.synthesis.self_assessment]
    assert answers[1] == "Yes, 6; but review load 5,354/day breaks capacity."
    assert "No measured row" in answers[2]


@pytest.mark.parametrize("home", ["cloud", "edge", "mobile", "tiny"])
def test_reveals_same_for_every_home(home):
    """Parts A, B and D do not depend on hardware: the actual values are the same for every home context."""
    assert reveal(LAB, "A", 20, {HOME: home})["actual"]["text"] == "26.2 points"
    assert reveal(LAB, "B", 5, {HOME: home})["actual"]["text"] == "11.5%"
    assert reveal(LAB, "C", "b", {HOME: home})["correct"] is True
    assert reveal(LAB, "D", "b", {HOME: home})["correct"] is True
