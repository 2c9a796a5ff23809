"""Lab v1-13 (The Hockey Stick): every reveal value against the spec's own arithmetic.

Expected values are computed here by hand from the numbers the spec prints (shared/labs/v1-13.md), never read back
from the engine. M/M/c tails (Part D) have no hand closed form beyond c = 1; there the spec's printed value is the
check. Deliberate differences from the spec: Part B's SLO slider steps by 5 ms (375 ms lies on the grid), M/G/1
pairs are labelled exact, utilisation sliders are in percent, Part B's prediction starts at 1 %.
"""

from __future__ import annotations

import math

import pytest

from labs.runtime import evaluate, reveal
from labs.schema import ChoicePrediction, NumericPrediction, validate_lab
from labs.v1_13 import LAB

HOME = "v1-00.home_context"
LN100 = math.log(100)
S = {"cloud": 0.020, "edge": 0.030, "mobile": 0.040, "tiny": 0.100}


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


# --- the lab as a whole ----------------------------------------------------------------------------------------


def test_lab_validates():
    """validate_lab finds no problem in v1-13."""
    assert [] == validate_lab(LAB)


def test_seed_questions_verbatim():
    """Each prediction prompt is the spec's seed question, word for word."""
    assert LAB.core_question == "Your server looks healthy at 50% utilization — why is it on fire at 80%?"
    assert LAB.part("A").prediction.prompt == "Mean response time at 80 % utilisation (S = 20 ms)."
    assert LAB.part("B").prediction.prompt == "Highest utilisation at which p99 stays within 250 ms (S = 20 ms)."
    assert LAB.part("C").prediction.prompt == (
        "At ρ = 0.8, which context waits longest relative to its own service time?"
    )
    assert LAB.part("D").prediction.prompt == "How does your home context survive a 2× burst?"


def test_scenario_quotes_verbatim():
    """The stakeholders' words are the spec's."""
    assert LAB.part("A").scenario.text.startswith("Last month the scanner sat at 50 % GPU and answered in about 40 ms.")
    assert LAB.part("B").scenario.text.startswith("Customers don't feel the mean; our contract is p99 ≤ 250 ms.")
    assert LAB.part("C").scenario.text.endswith("At the same 80 % busy, do they all queue the same?")
    assert "decide what to turn away." in LAB.part("D").scenario.text


def test_prediction_forms():
    """A: log ms 1–10,000; B: linear percent 1–100; C, D: four options a–d."""
    a, b = LAB.part("A").prediction, LAB.part("B").prediction
    assert isinstance(a, NumericPrediction) and (a.unit, a.scale, a.min, a.max) == ("ms", "log", 1, 10_000)
    assert isinstance(b, NumericPrediction) and (b.unit, b.scale, b.max) == ("percent", "linear", 100)
    for pid in "CD":
        pred = LAB.part(pid).prediction
        assert isinstance(pred, ChoicePrediction) and [o.key for o in pred.options] == ["a", "b", "c", "d"]


def test_ledger_writes_match_spec_and_reference_real_outputs():
    """The lab writes exactly the spec's thirteen keys, each from a real output or instrument of its part."""
    assert [w.key for w in LAB.writes] == [
        "v1-13.response_prediction_ms", "v1-13.response_at_80_ms", "v1-13.safe_utilization", "v1-13.replicas",
        "v1-13.admission_cap_rps", "v1-13.burst_shed_fraction", "v1-13.p99_forecast_ms", "v1-13.p99_burst_ms",
        "v1-13.slo_p99_ms", "v1-13.forecast_rps", "v1-13.service_ms", "v1-13.burst_factor",
        "v1-13.binding_constraint",
    ]
    for w in LAB.writes:
        if w.kind == "prediction":
            assert w.source == "prediction"
            continue
        part = LAB.part(w.part)
        outputs = {o.name: o for o in part.outputs}
        instruments = {i.name: i for i in part.instruments}
        assert w.source in outputs or w.source in instruments
        if w.source in outputs:
            assert w.source in raw(w.part)
            if outputs[w.source].kind == "number":
                assert outputs[w.source].unit == w.unit  # the page stores the value in the output's unit
        else:
            assert getattr(instruments[w.source], "unit", "none") == w.unit


def test_written_values_at_defaults_cloud():
    """At the scenario's settings: 100 ms at 80 %, ρ* 0.632, S 20 ms, binding constraint capacity."""
    assert close(raw("A")["response_at_80"], 0.020 / (1 - 0.8))
    assert close(raw("B")["safe_utilization"], 1 - 0.020 * LN100 / 0.250)
    d = raw("D")
    assert close(d["service_ms"], 0.020)
    assert d["binding_constraint"] == "capacity"
    assert d["burst_shed_fraction"] == 0.0


def test_ledger_reads():
    """Home context (preset cloud, four choices) and the optional S overrides from v1-11 and v1-12."""
    keys = {r.key: r for r in LAB.reads}
    assert keys[HOME].preset == "cloud" and keys[HOME].choices == ("cloud", "edge", "mobile", "tiny")
    assert "v1-11.decode_step_ms" in keys and "v1-12.frame_time_ms" in keys


def test_service_time_override_from_ledger():
    """'v1-11 decode step' with 12.5 ms recorded makes S = 12.5 ms: T at 80 % = 12.5 / 0.2 = 62.5 ms."""
    r = raw("A", {"service_source": "v1-11"}, **{"v1-11.decode_step_ms": 12.5})
    assert close(r["service_in_use"], 0.0125)
    assert close(r["response_at_80"], 0.0125 / 0.2)
    assert r["service_note"] == "v1-11 decode step from your ledger"


def test_service_time_override_missing_falls_back():
    """Without a v1-12 value the slider's S stays in use and the readout says so."""
    r = raw("A", {"service_source": "v1-12"})
    assert close(r["service_in_use"], 0.020)
    assert r["service_note"].startswith("v1-12 frame time not recorded yet")


# --- Part A ----------------------------------------------------------------------------------------------------


def test_a_reveal_cloud():
    """T = S/(1 − ρ) = 20 / 0.2 = 100 ms = 5S; at 50 %: 20 / 0.5 = 40 ms; 2.5× slower."""
    r = run("A")
    assert close(r["raw"]["response_at_80"], 0.020 / 0.2)
    assert close(r["raw"]["response_half"], 0.020 / 0.5)
    assert r["outputs"]["response"]["text"] == "100.0 ms"
    assert r["outputs"]["response_multiple"]["text"] == "5.00 S"
    assert r["outputs"]["slowdown"]["text"] == f"{(0.020 / 0.2) / (0.020 / 0.5):.2f}×"


def test_a_wait_and_little():
    """Waiting 0.8 × 20 / 0.2 = 80 ms; L = ρ/(1 − ρ) = 4, L_q = ρ²/(1 − ρ) = 3.2; λ = 0.8 / 0.02 = 40 req/s."""
    r = run("A")
    assert r["outputs"]["wait"]["text"] == "80.00 ms"
    assert r["outputs"]["in_system"]["text"] == f"{0.8 / 0.2:.2f}"
    assert r["outputs"]["in_queue"]["text"] == f"{0.8 ** 2 / 0.2:.2f}"
    assert close(r["raw"]["arrival_rate"], 0.8 / 0.020)


@pytest.mark.parametrize(("home", "expected"), [("edge", 0.030 / 0.2), ("mobile", 0.040 / 0.2), ("tiny", 0.100 / 0.2)])
def test_a_reveal_other_homes(home, expected):
    """Per context at 80 %: edge 150 ms, mobile 200 ms, tiny 500 ms."""
    assert close(raw("A", home=home)["response_at_80"], expected)


def test_a_reveal_text():
    """The reveal line reads the actual 100.0 ms and the off-by factor."""
    out = reveal(LAB, "A", 40, {HOME: "cloud"})
    assert "Actual: 100.0 ms" in out["text"]
    assert close(out["off_by"], (0.020 / 0.2) / 0.040)


def test_a_unstable_fires_and_clears():
    """At ρ = 1.20: arrivals 1.2 / 0.02 = 60 req/s ≥ capacity 50 req/s; back at 80 % the card clears."""
    assert message("A", "unstable", {"utilization": 120}) == (
        "Unstable queue: arrivals 60.0 req/s ≥ capacity 50.0 req/s (ρ = 1.20); the backlog grows without bound. "
        "First fix: add a replica or shed load."
    )
    assert failure_ids("A", {"utilization": 100}) == ["unstable"]
    assert failure_ids("A", {"utilization": 99}) == []
    assert failure_ids("A", {"utilization": 80}) == []


def test_a_chart_hockey_stick():
    """T/S = 1/(1 − ρ): 2 at 0.5, 5 at 0.8, 10 at 0.9; no value at ρ ≥ 1."""
    chart = run("A")["charts"]["hockey_stick"]
    points = dict(zip(chart["x"], chart["series"][0]["y"]))
    assert close(points[0.5], 1 / 0.5) and close(points[0.8], 1 / 0.2) and close(points[0.9], 1 / 0.1)
    assert points[1.0] is None and points[1.2] is None
    assert [ln["y"] for ln in chart["lines"]] == pytest.approx([2.0, 5.0])


# --- Part B ----------------------------------------------------------------------------------------------------


def test_b_reveal_p99():
    """p99 = S·ln 100/(1 − ρ): 20 × 4.6052 / 0.2 = 460.5 ms at 80 %, 184.2 ms at 50 %."""
    assert run("B")["outputs"]["p99"]["text"] == f"{0.020 * LN100 / 0.2 * 1000:.1f} ms"
    assert run("B", {"utilization": 50})["outputs"]["p99"]["text"] == f"{0.020 * LN100 / 0.5 * 1000:.1f} ms"


@pytest.mark.parametrize("home", ["cloud", "edge", "mobile", "tiny"])
def test_b_reveal_safe_utilization_every_home(home):
    """ρ* = 1 − S·ln 100 / (12.5 S) = 1 − 4.6052 / 12.5 = 0.632 on every context."""
    assert close(raw("B", home=home)["safe_utilization"], 1 - 0.020 * LN100 / 0.250)
    assert round(raw("B", home=home)["safe_utilization"], 3) == 0.632


def test_b_slo_defaults_follow_home():
    """The SLO defaults to 12.5 S: 250, 375, 500 and 1,250 ms."""
    for home, slo in (("cloud", 250), ("edge", 375), ("mobile", 500), ("tiny", 1250)):
        assert run("B", home=home)["inputs"]["slo_p99_ms"] == slo


def test_b_reveal_text():
    """Predicting 80 % against 63.2 %: off by 80 / 63.16."""
    out = reveal(LAB, "B", 80, {HOME: "cloud"})
    assert "Actual: 63.2%" in out["text"]
    assert close(out["off_by"], 0.80 / (1 - 0.020 * LN100 / 0.250))


def test_b_deterministic_service_halves_the_wait():
    """c_s² = 0 at 80 %: W_q = 0.8/0.2 × (1 + 0)/2 × 20 ms = 40 ms = 2S, half of the M/M/1 4S."""
    r = run("B", {"service_cv2": 0})
    assert r["outputs"]["mean_wait"]["text"] == "40.00 ms"
    assert r["outputs"]["wait_vs_mm1"]["text"] == "0.500× the M/M/1 wait"
    assert r["outputs"]["p99"]["text"].startswith("mean only")


def test_b_slo_failure_message():
    """The SLO card reads the spec's sentence at the defaults."""
    assert message("B", "p99_over_slo") == (
        "p99 460.5 ms > SLO 250 ms at ρ = 0.80. First fix: hold utilisation ≤ 63% (more capacity) or shorten "
        "service time."
    )


def test_b_slo_failure_clears_below_rho_star():
    """ρ* = 0.632: the card clears at 63 % and returns at 64 % and at the default 80 %."""
    assert failure_ids("B", {"utilization": 63}) == []
    assert failure_ids("B", {"utilization": 64}) == ["p99_over_slo"]
    assert failure_ids("B", {"utilization": 80}) == ["p99_over_slo"]


def test_b_slo_failure_clears_with_larger_slo():
    """At 80 % p99 is 460.5 ms: an SLO of 465 ms clears the card, 460 ms does not."""
    assert failure_ids("B", {"slo_p99_ms": 465}) == []
    assert failure_ids("B", {"slo_p99_ms": 460}) == ["p99_over_slo"]


def test_b_unstable_card():
    """ρ ≥ 1 shows the unstable-queue card instead of a p99."""
    r = run("B", {"utilization": 100})
    assert [f["id"] for f in r["failures"]] == ["unstable"]
    assert r["outputs"]["p99"]["text"] == "unbounded (ρ ≥ 1)"


# --- Part C ----------------------------------------------------------------------------------------------------


def test_c_reveal_wait_multiples():
    """W_q/S = 4 × (c_a² + c_s²)/2: cloud 4.0, edge 0.5, mobile 2.08, tiny 0."""
    r = raw("C")
    assert close(r["cloud_wait_multiple"], 4 * (1 + 1) / 2)
    assert close(r["edge_wait_multiple"], 4 * (0 + 0.25) / 2)
    assert close(r["mobile_wait_multiple"], 4 * (1 + 0.04) / 2)
    assert r["tiny_wait_multiple"] == 0.0


def test_c_reveal_response_times():
    """T = (1 + W_q/S)·S: cloud 100 ms, edge 45 ms, mobile 123.2 ms, tiny 100 ms."""
    r = raw("C")
    assert close(r["cloud_response"], 0.020 * 5)
    assert close(r["edge_response"], 0.030 * 1.5)
    assert close(r["mobile_response"], 0.040 * (1 + 2.08))
    assert close(r["tiny_response"], 0.100)


def test_c_reveal_answer():
    """Cloud waits longest relative to S: (a)."""
    assert raw("C")["answer"] == "a"
    assert reveal(LAB, "C", "d", {})["text"] == (
        "You predicted (d) tiny (timer, fixed kernel). Actual: (a) cloud (random requests, variable work). "
        "Not this time."
    )


def test_c_exactness_labels():
    """Exact for M/M/1, M/G/1 and D/D/1; an approximation for edge's (0, 0.25)."""
    r = raw("C")
    assert r["cloud_model"] == "exact (M/M/1)"
    assert r["mobile_model"].startswith("exact (M/G/1")
    assert r["tiny_model"].startswith("exact (D/D/1")
    assert r["edge_model"].startswith("approximation")


def test_c_pacing_removes_the_queue():
    """Setting cloud's arrivals periodic and service fixed (0, 0) leaves W_q = 0."""
    assert raw("C", {"arrival_cv2_cloud": 0, "service_cv2_cloud": 0})["cloud_wait_multiple"] == 0.0


# --- Part D ----------------------------------------------------------------------------------------------------


def test_d_cloud_forecast_and_burst():
    """Cloud c = 4: forecast ρ = 150 × 0.020 / 4 = 0.75, p99 120.1 ms; burst ρ = 300 × 0.02 / 4 = 1.5, unstable."""
    r = run("D")
    assert close(r["raw"]["forecast_utilization"], 150 * 0.020 / 4)
    assert r["outputs"]["p99_forecast_ms"]["text"] == "120.1 ms"
    assert close(r["raw"]["burst_utilization"], 300 * 0.020 / 4)
    assert r["outputs"]["p99_burst_ms"]["text"] == "unbounded (ρ ≥ 1)"


def test_d_cloud_seven_replicas():
    """c = 6 gives burst ρ = 300 × 0.02 / 6 = 1.0 (unstable); c = 7: ρ = 0.857, p99 123.4 ms, no card."""
    assert failure_ids("D", {"replicas": 6}) == ["unstable"]
    r = run("D", {"replicas": 7})
    assert close(r["raw"]["burst_utilization"], 300 * 0.020 / 7)
    assert r["outputs"]["p99_burst_ms"]["text"] == "123.4 ms"
    assert r["failures"] == []
    assert r["raw"]["plan"] == "7 replicas of 8 meet the SLO in the burst"


def test_d_cloud_floor():
    """The p99 floor S·ln 100 = 20 × 4.6052 = 92.1 ms."""
    assert close(raw("D")["floor"], 0.020 * LN100, rel=1e-9)


def test_d_unstable_message_cloud():
    """The unstable card reads the spec's sentence and clears at 7 replicas."""
    assert message("D", "unstable") == (
        "Burst load 300 req/s ≥ capacity 200 req/s with 4 replicas (ρ = 1.50). First fix: 7 replicas, or an "
        "admission cap."
    )
    assert "unstable" not in failure_ids("D", {"replicas": 7})


def test_d_edge_cap_and_shed():
    """Edge, 3 engines: forecast ρ = 60 × 0.03 / 3 = 0.6 (p99 161.4 ms); burst ρ = 1.2 → cap 83.5, shed 30.4 %."""
    r = run("D", home="edge")
    assert close(r["raw"]["forecast_utilization"], 60 * 0.030 / 3)
    assert r["outputs"]["p99_forecast_ms"]["text"] == "161.4 ms"
    assert close(r["raw"]["burst_utilization"], 120 * 0.030 / 3)
    assert round(r["raw"]["cap_for_slo"], 1) == 83.5
    capped = raw("D", {"admission_cap_rps": 83}, home="edge")
    assert close(capped["burst_shed_fraction"], 1 - 83 / 120)
    assert failure_ids("D", {"admission_cap_rps": 83}, home="edge") == []
    assert failure_ids("D", {"admission_cap_rps": 84}, home="edge") == ["slo_missed"]
    assert round(1 - raw("D", home="edge")["cap_for_slo"] / 120, 3) == 0.304


def test_d_mobile_reveal():
    """Mobile: forecast p99 = 40 × 4.6052 / 0.6 = 307.0 ms; burst p99 = 40 × 4.6052 / 0.2 = 921.0 ms."""
    r = run("D", home="mobile")
    assert r["outputs"]["p99_forecast_ms"]["text"] == f"{0.040 * LN100 / (1 - 10 * 0.040) * 1000:.1f} ms"
    assert r["outputs"]["p99_burst_ms"]["text"] == f"{0.040 * LN100 / (1 - 20 * 0.040) * 1000:.1f} ms"


def test_d_mobile_cap():
    """Cap = (1 − 40 × 4.6052 / 400) / 0.040 = 13.49 req/s → shed 1 − 13.49 / 20 = 32.6 %."""
    cap = (1 - 0.040 * LN100 / 0.400) / 0.040
    r = raw("D", home="mobile")
    assert close(r["cap_for_slo"], cap, rel=1e-9)
    assert round(1 - cap / 20, 3) == 0.326


def test_d_mobile_slo_message_and_recovery():
    """The SLA card reads the spec's sentence; a 13 req/s cap clears it and removing the cap brings it back."""
    assert message("D", "slo_missed", home="mobile") == (
        "p99 921 ms > SLO 400 ms in the burst (mobile, ρ = 0.80). First fix: cap admissions at 13.5 req/s."
    )
    assert failure_ids("D", {"admission_cap_rps": 13}, home="mobile") == []
    assert failure_ids("D", {"admission_cap_rps": 0}, home="mobile") == ["slo_missed"]


def test_d_tiny_periodic():
    """Tiny: burst ρ = 16 × 0.1 = 1.6 → cap at 10 Hz sheds 1 − 10/16 = 37.5 %; T = S = 100 ms while ρ ≤ 1."""
    r = run("D", home="tiny")
    assert close(r["raw"]["burst_utilization"], 16 * 0.100)
    assert r["outputs"]["p99_forecast_ms"]["text"] == "100.0 ms"
    assert failure_ids("D", home="tiny") == ["unstable"]
    capped = run("D", {"admission_cap_rps": 10}, home="tiny")
    assert close(capped["raw"]["burst_shed_fraction"], 1 - 10 / 16)
    assert capped["failures"] == []
    assert capped["outputs"]["p99_burst_ms"]["text"] == "100.0 ms"


@pytest.mark.parametrize(("home", "answer"), [("cloud", "b"), ("edge", "c"), ("mobile", "c"), ("tiny", "c")])
def test_d_answer_per_home(home, answer):
    """Cloud survives with more replicas (b); edge, mobile and tiny shed 30–40 % (c)."""
    assert raw("D", home=home)["burst_answer"] == answer


@pytest.mark.parametrize(("home", "binding"), [("cloud", "capacity"), ("edge", "tail"), ("mobile", "tail"),
                                               ("tiny", "capacity")])
def test_d_binding_constraint(home, binding):
    """Cloud and tiny are held by capacity (ρ = 1 decides); edge and mobile by the tail (the SLO cap < capacity)."""
    assert raw("D", home=home)["binding_constraint"] == binding


def test_d_binding_variability_below_floor():
    """An SLO of 90 ms is under the 92.1 ms floor of exponential service: variability binds."""
    assert raw("D", {"slo_p99_ms": 90})["binding_constraint"] == "variability"


def test_d_over_hardware():
    """Edge with 4 replicas exceeds its 3 engines; back at 3 the card clears."""
    assert "over_hardware" in failure_ids("D", {"replicas": 4}, home="edge")
    assert "over_hardware" not in failure_ids("D", {"replicas": 3}, home="edge")


def test_d_defaults_follow_home():
    """Replicas, forecast and SLO default to 4/3/1/1, 150/60/10/8 and 250/300/400/150."""
    expected = {"cloud": (4, 150, 250), "edge": (3, 60, 300), "mobile": (1, 10, 400), "tiny": (1, 8, 150)}
    for home, (c, lam, slo) in expected.items():
        inputs = run("D", home=home)["inputs"]
        assert (inputs["replicas"], inputs["forecast_rps"], inputs["slo_p99_ms"]) == (c, lam, slo)
        assert inputs["burst_factor"] == 2.0 and inputs["admission_cap_rps"] == 0


def test_d_chart_infinite_bars():
    """Cloud chart: burst bars for c ≤ 6 are missing (∞) and c = 7 is 123.4 ms."""
    chart = run("D")["charts"]["p99_vs_replicas"]
    burst = chart["series"][1]
    assert burst["y"][:6] == [None] * 6 and burst["labels"][:6] == ["∞"] * 6
    assert round(burst["y"][6], 1) == 123.4
    assert chart["lines"][0]["y"] == 250


# --- synthesis -------------------------------------------------------------------------------------------------


def test_self_assessment_answers():
    """ρ = 0.9: 20 / 0.1 = 200 ms (10S); the floor 20·ln 100 = 92.1 ms."""
    (q1, a1), _, (q3, a3) = LAB.synthesis.self_assessment
    assert a1 == f"{0.020 / 0.1 * 1000:.0f} ms (10S)."
    assert "≈ 92 ms" in q3 and f"{0.020 * LN100 * 1000:.1f} ms" in a3


def test_model_note_states_changes():
    """The model note names the spec changes: the 5 ms SLO step, M/G/1 exactness and the replica slider."""
    note = LAB.model_note
    assert "5 ms" in note and "M/G/1" in note and "1–8" in note


def test_safe_utilization_preset_is_what_part_b_writes():
    """The preset v1-14 and v1-15 use is Part B's ρ* at its settings: 1 − ln 100 / 12.5 = 0.6316 → 0.632."""
    from labs.v1_13 import SAFE_UTILIZATION_PRESET

    assert SAFE_UTILIZATION_PRESET == round(1 - math.log(100) / 12.5, 3) == 0.632
    assert round(evaluate(LAB, "B")["raw"]["safe_utilization"], 3) == SAFE_UTILIZATION_PRESET
