"""Lab v1-12 (The Serial Tax): every reveal value against the spec's own arithmetic.

Expected values are computed here by hand from the numbers the spec prints (shared/labs/v1-12.md): T₁ = 100 ms,
T_s = 5 ms, T_p = 95 ms, c = 10 µs, lanes 132 / 16 / 16 / 2, deadlines 5 / 10 / 10 / 50 ms; never read back from the
engine.
"""

from __future__ import annotations

import math

from labs.runtime import evaluate, reveal
from labs.schema import ChoicePrediction, NumericPrediction, validate_lab
from labs.v1_12 import LAB

HOME = "v1-00.home_context"


def run(part: str, inputs: dict | None = None, home: str = "cloud") -> dict:
    return evaluate(LAB, part, inputs or {}, {HOME: home})


def raw(part: str, inputs: dict | None = None, home: str = "cloud") -> dict:
    return run(part, inputs, home)["raw"]


def failure_ids(part: str, inputs: dict | None = None, home: str = "cloud") -> list[str]:
    return [f["id"] for f in run(part, inputs, home)["failures"]]


def close(a: float, b: float, rel: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel)


def t_ms(ts: float, tp: float, n: int, c_ms: float) -> float:
    """T(N) = T_s + T_p/N + c(N − 1), in ms."""
    return ts + tp / n + c_ms * (n - 1)


# --- the lab as a whole ----------------------------------------------------------------------------------------


def test_lab_validates():
    """validate_lab finds no problem in v1-12."""
    assert [] == validate_lab(LAB)


def test_seed_questions_verbatim():
    """Each prediction prompt and the opening scenario are the spec's, word for word."""
    assert LAB.part("A").prediction.prompt == "Speedup of the frame pipeline on 1,024 lanes?"
    assert LAB.part("B").prediction.prompt == (
        "Work per 100 ms tick on 1,024 lanes, relative to one lane, when the serial part is 5 % of the scaled run."
    )
    assert LAB.part("C").prediction.prompt == (
        "Speedup on your home context using all of its lanes, with coordination on."
    )
    assert LAB.part("D").prediction.prompt == "Cheapest change that meets your home context's deadline?"
    assert LAB.core_question == (
        "Amdahl's Law says 5% sequential code limits speedup to 20× regardless of parallelism. Is that right?"
    )
    assert LAB.part("A").scenario.text.endswith("Do we go a thousand times faster?")


def test_prediction_forms():
    """A and D: four-option choices; B: log × over 1–10,000; C: linear × over 1–50."""
    for pid in "AD":
        assert isinstance(LAB.part(pid).prediction, ChoicePrediction)
    b, c = LAB.part("B").prediction, LAB.part("C").prediction
    assert isinstance(b, NumericPrediction) and (b.unit, b.scale, b.min, b.max) == ("x", "log", 1, 1e4)
    assert isinstance(c, NumericPrediction) and (c.unit, c.scale, c.min, c.max) == ("x", "linear", 1, 50)


# --- Part A ----------------------------------------------------------------------------------------------------


def test_a_amdahl_at_1024():
    """S = 1 / (0.05 + 0.95/1,024) = 19.64×; efficiency 19.64/1,024 = 1.9 %."""
    r = raw("A")
    assert close(r["speedup"], 1 / (0.05 + 0.95 / 1024))
    assert round(r["speedup"], 2) == 19.64
    assert close(r["efficiency"], 1 / (0.05 + 0.95 / 1024) / 1024)
    assert r["ceiling_text"] == "20.00×"


def test_a_frame_time_and_serial_share():
    """Frame 5 + 95/1,024 = 5.093 ms, of which the serial 5 ms is 98.2 %."""
    r = raw("A")
    assert close(r["frame_time"], (5 + 95 / 1024) * 1e-3)
    assert close(r["serial_share"], 5 / (5 + 95 / 1024))
    assert round(100 * r["serial_share"], 1) == 98.2


def test_a_anchor_at_8_lanes():
    """At N = 8: 1 / (0.05 + 0.95/8) = 5.93×."""
    assert close(raw("A", {"lanes": "8"})["speedup"], 1 / (0.05 + 0.95 / 8))
    assert round(raw("A")["speedup_at_8"], 2) == 5.93


def test_a_answer_and_reveal():
    """19.64× is nearest to (c) ≈ 20×."""
    assert raw("A")["amdahl_answer"] == "c"
    out = reveal(LAB, "A", "a", {HOME: "cloud"})
    assert out["correct"] is False and out["text"].endswith("Actual: (c) ≈ 20×. Not this time.")


def test_a_no_serial_part_has_no_ceiling():
    """f = 0: S = N and no finite ceiling."""
    r = raw("A", {"serial_fraction": 0.0})
    assert close(r["speedup"], 1024.0)
    assert r["ceiling_text"].startswith("none")


# --- Part B ----------------------------------------------------------------------------------------------------


def test_b_gustafson():
    """S = 1,024 − 0.05 × 1,023 = 972.85×."""
    assert close(raw("B")["gustafson"], 1024 - 0.05 * 1023)


def test_b_equivalent_fraction_and_agreement():
    """f = 0.05 / (0.05 + 0.95 × 1,024) = 5.14e-5; Amdahl with that f gives 972.85× too."""
    r = raw("B")
    f = 0.05 / (0.05 + 0.95 * 1024)
    assert close(r["equivalent_f"], f)
    assert close(r["amdahl_converted"], 1 / (f + (1 - f) / 1024))
    assert close(r["amdahl_converted"], 1024 - 0.05 * 1023)
    assert r["cameras"] == 972


def test_b_anchor_at_8_lanes():
    """At N = 8: 8 − 0.05 × 7 = 7.65× (Gustafson) vs 5.93× (Amdahl)."""
    r = raw("B", {"lanes": "8"})
    assert close(r["gustafson"], 8 - 0.05 * 7)
    assert close(r["amdahl_fixed"], 1 / (0.05 + 0.95 / 8))


def test_b_reveal_text():
    """The reveal compares the prediction with 972.85×."""
    assert reveal(LAB, "B", 20, {HOME: "cloud"})["text"].startswith("You predicted 20.0×. Actual: 972.85×.")


def test_b_view_selects_series():
    """'both' draws two laws; each single view draws one."""
    assert len(run("B")["charts"]["two_laws"]["series"]) == 2
    assert len(run("B", {"view": "gustafson"})["charts"]["two_laws"]["series"]) == 1


# --- Part C ----------------------------------------------------------------------------------------------------


def test_c_cloud_all_lanes():
    """T(132) = 5 + 0.720 + 1.310 = 7.030 ms → 100/7.030 = 14.23× (Amdahl alone 17.48×)."""
    r = raw("C")
    assert close(r["home_frame"], t_ms(5, 95, 132, 0.01) * 1e-3)
    assert close(r["home_speedup"], 100 / t_ms(5, 95, 132, 0.01))
    assert round(r["home_speedup"], 2) == 14.23
    assert close(r["home_amdahl"], 1 / (0.05 + 0.95 / 132))


def test_c_optimum_lanes():
    """N* = √(95/0.01) = 97.5 → T(97) = 6.939 ms, 14.41×."""
    r = raw("C")
    assert r["home_nstar"] == 97
    assert close(r["speedup_star_cloud"], 100 / t_ms(5, 95, 97, 0.01))
    assert round(r["speedup_star_cloud"], 2) == 14.41


def test_c_other_homes():
    """Edge and mobile, N = 16: 11.09 ms → 9.02×; tiny, N = 2: 52.51 ms → 1.90×."""
    for home in ("edge", "mobile"):
        r = raw("C", home=home)
        assert close(r["home_frame"], t_ms(5, 95, 16, 0.01) * 1e-3)
        assert close(r["home_speedup"], 100 / t_ms(5, 95, 16, 0.01))
    t = raw("C", home="tiny")
    assert close(t["home_speedup"], 100 / t_ms(5, 95, 2, 0.01))
    assert round(t["home_speedup"], 2) == 1.90


def test_c_reveal_per_home():
    """The numeric reveal uses the home context's own lanes."""
    assert reveal(LAB, "C", 20, {HOME: "cloud"})["text"].startswith("You predicted 20.0×. Actual: 14.23×.")
    assert reveal(LAB, "C", 20, {HOME: "tiny"})["text"].startswith("You predicted 20.0×. Actual: 1.904×.")


def test_c_retrograde_fires_and_clears():
    """132 lanes on cloud is past N* = 97 (spec's message); 97 lanes or 5 µs coordination clears it."""
    view = run("C")
    assert view["failures"][0]["message"] == (
        "Retrograde scaling: 132 lanes give 14.23×, below 14.41× at 97 lanes; each extra lane adds more coordination "
        "than it removes work. First fix: cap at 97 lanes or halve coordination."
    )
    assert failure_ids("C", {"lanes": 97}) == []
    assert failure_ids("C", {"coordination": 5}) == []  # N* = √(95/0.005) = 137.8 > 132


def test_c_lanes_capped_at_context():
    """On tiny the slider cannot use more than its 2 lanes."""
    assert raw("C", {"lanes": 132}, home="tiny")["home_lanes"] == 2


# --- Part D ----------------------------------------------------------------------------------------------------


def test_d_cloud_as_built_misses():
    """Cloud as-is on 132 lanes: 7.03 ms; best N = 97 → 6.94 ms ✗ (deadline 5 ms)."""
    r = raw("D")
    assert close(r["frame_time"], t_ms(5, 95, 132, 0.01) * 1e-3)
    assert close(r["best_frame"], t_ms(5, 95, 97, 0.01) * 1e-3)
    assert failure_ids("D")[0] == "deadline"
    assert run("D")["failures"][0]["message"] == (
        "Frame 7.03 ms > deadline 5.00 ms at 132 lanes (best lane count 97: 6.94 ms). First fix: shorten the serial path."
    )


def test_d_cloud_serial_fix():
    """Serial 2 ms (3 wk) on 97 lanes: 2 + 95/97 + 0.96 = 3.94 ms ✓, 25.4× over one lane as built."""
    r = raw("D", {"serial_path": "2", "lanes": 97})
    assert close(r["frame_time"], t_ms(2, 95, 97, 0.01) * 1e-3)
    assert close(r["speedup"], 100 / t_ms(2, 95, 97, 0.01))
    assert round(r["speedup"], 1) == 25.4
    assert r["weeks"] == 3
    assert close(r["serial_fraction"], 2 / (2 + 95))
    assert failure_ids("D", {"serial_path": "2", "lanes": 97}) == []


def test_d_cloud_other_levers_fail():
    """Detector × 0.6 alone gives 6.50 ms ✗; halving coordination gives 6.37 ms ✗ (each at its best lanes)."""
    d = raw("D", {"detector": "0.6"})
    n_d = 75  # √(57/0.01) = 75.5
    assert close(d["best_frame"], t_ms(5, 57, n_d, 0.01) * 1e-3)
    c = raw("D", {"coordination": "5"})
    assert close(c["best_frame"], t_ms(5, 95, 132, 0.005) * 1e-3)  # √(95/0.005) = 137.8, capped at 132


def test_d_answers_per_home():
    """Cheapest change: cloud (b), edge (c), mobile (c), tiny (c)."""
    assert [raw("D", home=h)["cheapest_answer"] for h in ("cloud", "edge", "mobile", "tiny")] == ["b", "c", "c", "c"]
    assert reveal(LAB, "D", "b", {HOME: "cloud"})["correct"] is True


def test_d_edge_detector_fix():
    """Edge: detector × 0.6: 5 + 57/16 + 0.15 = 8.71 ms ✓ (2 wk, flagged); serial 2 ms: 8.09 ms ✓."""
    r = raw("D", {"detector": "0.6"}, home="edge")
    assert close(r["frame_time"], t_ms(5, 57, 16, 0.01) * 1e-3)
    assert r["weeks"] == 2 and r["quality_flag"].startswith("quality must be re-validated (v1-10)")
    assert close(raw("D", {"serial_path": "2"}, home="edge")["frame_time"], t_ms(2, 95, 16, 0.01) * 1e-3)
    assert failure_ids("D", home="edge") == ["deadline"]
    assert failure_ids("D", {"detector": "0.6"}, home="edge") == []


def test_d_tiny_detector_fix():
    """Tiny: as-is 52.51 ms ✗; detector × 0.6: 5 + 28.5 + 0.01 = 33.51 ms ✓."""
    assert close(raw("D", home="tiny")["frame_time"], t_ms(5, 95, 2, 0.01) * 1e-3)
    r = raw("D", {"detector": "0.6"}, home="tiny")
    assert close(r["frame_time"], t_ms(5, 57, 2, 0.01) * 1e-3)
    assert failure_ids("D", {"detector": "0.6"}, home="tiny") == []


def test_d_budget_fires_and_clears():
    """Serial 1 ms costs 8 weeks > 6 (spec's message); back to 2 ms clears it."""
    view = run("D", {"serial_path": "1"})
    msg = [f["message"] for f in view["failures"] if f["id"] == "budget"]
    assert msg == ["Plan needs 8 engineer-weeks > 6. First fix: serial path to 2 ms instead of 1 ms."]
    assert "budget" not in failure_ids("D", {"serial_path": "2"})


def test_d_retrograde_fires_and_clears():
    """132 lanes with the as-built plan is retrograde; 97 lanes clears it."""
    assert "retrograde" in failure_ids("D")
    assert "retrograde" not in failure_ids("D", {"lanes": 97})


# --- ledger ----------------------------------------------------------------------------------------------------


def test_ledger_writes_reference_real_outputs():
    """Every write names an output or instrument of its part; the spec's ten keys are all written."""
    for w in LAB.writes:
        if w.kind != "prediction":
            part = LAB.part(w.part)
            assert w.source in {o.name for o in part.outputs} | {i.name for i in part.instruments}, w.key
    assert {w.key.split(".")[1] for w in LAB.writes} == {
        "amdahl_prediction", "amdahl_speedup", "serial_fraction", "gustafson_speedup", "optimal_lanes", "plan",
        "frame_time_ms", "deadline_ms", "engineer_weeks", "binding_constraint",
    }


def test_ledger_values_at_defaults():
    """Serial fraction 0.05, plan text, frame time in ms, binding 'serial' on cloud as built."""
    d = run("D")
    assert close(d["raw"]["serial_fraction"], 5 / 100)
    assert d["raw"]["plan"] == "serial_ms: 5, detector_scale: 1, coordination_us: 10, lanes: 132"
    assert math.isclose(d["outputs"]["frame_time"]["value"], t_ms(5, 95, 132, 0.01), rel_tol=1e-9)
    assert d["raw"]["binding"] == "serial"
    assert d["inputs"]["deadline"] == 5


def test_reads_v1_11_layer_time():
    """A recorded v1-11 layer time is shown; the preset says it is not recorded."""
    assert "not recorded" in raw("C")["v111_note"]
    r = evaluate(LAB, "C", {}, {HOME: "cloud", "v1-11.layer_time_us": 26.93})["raw"]
    assert r["v111_note"].startswith("layer 26.93 µs per call")
