"""Lab v1-02 (The Iron Law): every reveal value against the spec's own arithmetic.

Expected values are computed here by hand from the numbers the spec prints (shared/labs/v1-02.md), never read back
from the engine. One deliberate difference: the H100's dense FP16 peak is 1,979 / 2 = 989.5 TFLOP/s (the spec rounds
to 989), so cloud T_c is 16.53 µs, not 16.54; every printed speedup agrees.
"""

from __future__ import annotations

import math

import pytest

from labs.runtime import evaluate, reveal
from labs.schema import ChoicePrediction, validate_lab
from labs.v1_02 import LAB

HOME = "v1-00.home_context"
AXIS = "v1-01.binding_axis_home"

# the spec's constants, as printed (workload derived from the layer list: 4,089,184,256 MAC)
O = 2 * 4_089_184_256  # 8.178e9 FLOP
P = 25_557_032
A = 28_404_712  # 28.40e6 activation elements
D = (P + A) * 2  # 107.92e6 B
R = {"cloud": 1979e12 / 2, "edge": 42.5e12, "mobile": 17.5e12}
BW = {"cloud": 3.35e12, "edge": 204.8e9, "mobile": 51.2e9}
LK = {"cloud": 56 * 0.875e-6, "edge": 56 * 0.875e-6, "mobile": 56 * 10e-6}
ETA = 0.5
S256 = (256 / 224) ** 2
SLO = {"cloud": 100e-6, "edge": 1000e-6, "mobile": 4000e-6}


def tc(ctx, s=1.0):
    return O * s / (R[ctx] * ETA)


def tm(ctx, s=1.0):
    return (P + A * s) * 2 / BW[ctx]


def total(ctx, s=1.0, kc=1.0, kb=1.0, kl=1.0):
    return tc(ctx, s) / kc + tm(ctx, s) / kb + LK[ctx] * kl


def run(part, inputs=None, home="cloud", axis="capacity"):
    return evaluate(LAB, part, inputs or {}, {HOME: home, AXIS: axis})


def raw(part, inputs=None, home="cloud"):
    return run(part, inputs, home)["raw"]


def failure_ids(part, inputs=None, home="cloud"):
    return [f["id"] for f in run(part, inputs, home)["failures"]]


def close(a, b, rel=1e-9):
    return math.isclose(a, b, rel_tol=rel)


# --- the lab as a whole ----------------------------------------------------------------------------------------


def test_lab_validates():
    """validate_lab finds no problem in v1-02."""
    assert [] == validate_lab(LAB)


def test_seed_questions_verbatim():
    """Each prediction prompt is the spec's seed question, word for word."""
    assert LAB.part("A").prediction.prompt.startswith(
        "With 2× peak compute on your home context, per-image latency improves by…"
    )
    assert LAB.part("B").prediction.prompt == "Which single 2× improvement helps most on your home context?"
    assert LAB.part("C").prediction.prompt == "On which context does 2× compute help most?"
    assert LAB.part("D").prediction.prompt == (
        "On the edge robot, does the cheap overhead project alone rescue the SLO?"
    )
    assert LAB.part("A").scenario.text.startswith("Finance will approve next-generation accelerators")
    assert [o.label for o in LAB.part("B").prediction.options] == [
        "2× compute", "2× bandwidth", "½ overhead", "all about equal",
    ]


def test_prediction_forms():
    """Every part is a choice; A–C have four options, D is yes/no."""
    for pid in "ABC":
        pred = LAB.part(pid).prediction
        assert isinstance(pred, ChoicePrediction)
        assert [o.key for o in pred.options] == ["a", "b", "c", "d"]
    assert [o.key for o in LAB.part("D").prediction.options] == ["yes", "no"]


def test_ledger_reads():
    """The lab reads the home context (preset cloud) and v1-01's binding axis (preset capacity)."""
    reads = {r.key: r for r in LAB.reads}
    assert (reads[HOME].preset, reads[HOME].choices) == ("cloud", ("cloud", "edge", "mobile", "tiny"))
    assert (reads[AXIS].preset, reads[AXIS].choices) == ("capacity", ("none", "capacity", "latency", "power"))


def test_ledger_writes_match_spec_and_reference_real_outputs():
    """The lab writes exactly the spec's seven keys, each from a real output (or the prediction) of its part."""
    assert [w.key for w in LAB.writes] == [
        "v1-02.speedup_prediction",
        "v1-02.speedup_2x_compute",
        "v1-02.compute_fraction",
        "v1-02.dominant_term",
        "v1-02.best_lever",
        "v1-02.upgrade_plan",
        "v1-02.upgrade_points",
    ]
    for w in LAB.writes:
        if w.kind == "prediction":
            assert w.source == "prediction"
        else:
            assert w.source in {o.name for o in LAB.part(w.part).outputs}
            assert w.source in raw(w.part)


def test_written_values_at_defaults_cloud():
    """At the scenario's settings: 1.09×, f_c 0.169, overhead dominant, ½ overhead best, no plan yet (0 points)."""
    assert close(raw("A")["speedup_home"], total("cloud") / total("cloud", kc=2))
    assert round(raw("A")["speedup_home"], 2) == 1.09
    assert close(raw("B")["compute_fraction"], tc("cloud") / total("cloud"))
    assert raw("B")["dominant_term"] == "overhead"
    assert raw("B")["best_lever"] == "½ overhead"
    assert raw("D")["upgrade_plan"] == "cloud: none, edge: none, mobile: none"
    assert raw("D")["points"] == 0


# --- Part A ----------------------------------------------------------------------------------------------------


def test_a_reveal_cloud_terms():
    """Cloud: T_c = 8.178e9/(989.5e12 × 0.5) = 16.53 µs; T_m = 107.92e6/3.35e12 = 32.22 µs; L = 49 µs; T = 97.75 µs."""
    r = raw("A")
    assert close(r["tc_before"], 8_178_368_512 / (989.5e12 * 0.5))
    assert close(r["tm_before"], 107_923_488 / 3.35e12)
    assert close(r["l_before"], 56 * 0.875e-6)
    assert close(r["t_before"], tc("cloud") + tm("cloud") + 49e-6)
    assert round(r["tm_before"] * 1e6, 2) == 32.22
    assert round(r["t_before"] * 1e6, 2) == 97.75


def test_a_reveal_cloud_after_2x():
    """After 2×: 8.27 + 32.22 + 49.00 = 89.49 µs (89.48 with 989.5); speedup 1.09× → answer (d)."""
    r = raw("A")
    assert close(r["t_after"], tc("cloud") / 2 + tm("cloud") + 49e-6)
    assert close(r["speedup"], total("cloud") / total("cloud", kc=2))
    assert round(r["speedup"], 2) == 1.09
    assert r["speedup_answer"] == "d"


@pytest.mark.parametrize(("home", "before_us", "after_us", "speedup", "answer"), [
    ("edge", 960.8, 768.4, 1.25, "c"),
    ("mobile", 3602.5, 3135.2, 1.15, "d"),
])
def test_a_reveal_other_homes(home, before_us, after_us, speedup, answer):
    """Edge 960.8 → 768.4 µs = 1.25× (c); mobile 3,602.5 → 3,135.2 µs = 1.15× (d)."""
    r = raw("A", home=home)
    assert close(r["t_before"], tc(home) + tm(home) + LK[home])
    assert abs(r["t_before"] * 1e6 - before_us) < 0.1
    assert abs(r["t_after"] * 1e6 - after_us) < 0.1
    assert close(r["speedup_home"], total(home) / total(home, kc=2))
    assert round(r["speedup_home"], 2) == speedup
    assert r["speedup_answer"] == answer


def test_a_tiny_home_uses_cloud():
    """Home tiny: ResNet-50 (25.6 MB at INT8) cannot load in 2 MiB, so the question and the instruments use cloud."""
    view = run("A", home="tiny")
    assert view["inputs"]["context"] == "cloud"
    assert close(view["raw"]["speedup_home"], total("cloud") / total("cloud", kc=2))
    assert "Parts A and B use cloud" in view["raw"]["v1_01_context"]


def test_a_defaults_follow_home():
    """The context select opens in the home context."""
    for home in ("cloud", "edge", "mobile"):
        assert run("A", home=home)["inputs"]["context"] == home


def test_a_perfect_overlap_gives_1_00():
    """Overlap on (cloud): max(16.54, 32.22) + 49.00 = 81.22 µs and 2× compute gives exactly 1.00×."""
    r = raw("A", {"overlap": True})
    assert close(r["t_before"], max(tc("cloud"), tm("cloud")) + 49e-6)
    assert round(r["t_before"] * 1e6, 2) == 81.22
    assert r["speedup"] == 1.0


def test_a_efficiency_slider():
    """η = 1.0 halves T_c: 8.178e9 / 989.5e12."""
    assert close(raw("A", {"eta": 1.0})["tc_before"], O / R["cloud"])


def test_a_reveal_text():
    """A wrong choice reads the actual (d) under 1.2×."""
    out = reveal(LAB, "A", "a", {HOME: "cloud"})
    assert out["text"] == "You predicted (a) ≈2× (≥1.8×). Actual: (d) under 1.2×. Not this time."
    assert reveal(LAB, "A", "c", {HOME: "edge"})["correct"] is True


def test_a_chart_before_after():
    """The grouped bars hold T_c, T_m, L and T before and after, in µs."""
    chart = run("A")["charts"]["before_after"]
    before, after = chart["series"][0]["y"], chart["series"][1]["y"]
    assert all(close(a, b) for a, b in zip(before, [tc("cloud") * 1e6, tm("cloud") * 1e6, 49.0, total("cloud") * 1e6]))
    assert close(after[0], tc("cloud") / 2 * 1e6)
    assert close(after[3], total("cloud", kc=2) * 1e6)


def test_a_binding_axis_shown():
    """v1-01's binding axis is shown as context."""
    assert "power" in run("A", home="edge", axis="power")["raw"]["v1_01_context"]


# --- Part B ----------------------------------------------------------------------------------------------------


def test_b_reveal_cloud_levers():
    """Cloud: f_c = 0.169; 2× compute 1.092×; 2× bandwidth 1.197×; ½ overhead 1.334× (spec 1.335); ceiling 1.204×."""
    r = raw("B")
    fc = tc("cloud") / total("cloud")
    assert close(r["compute_fraction"], fc)
    assert round(r["compute_fraction"], 3) == 0.169
    assert close(r["speedup_compute"], 1 / ((1 - fc) + fc / 2))
    assert round(r["speedup_compute"], 3) == 1.092
    assert close(r["speedup_bandwidth"], total("cloud") / (tc("cloud") + tm("cloud") / 2 + 49e-6))
    assert round(r["speedup_bandwidth"], 3) == 1.197
    assert close(r["speedup_overhead"], total("cloud") / (tc("cloud") + tm("cloud") + 24.5e-6))
    assert round(r["speedup_overhead"], 2) == 1.33
    assert close(r["ceiling"], 1 / (1 - fc))
    assert close(r["ceiling"], total("cloud") / (tm("cloud") + 49e-6))  # 97.75 / 81.22
    assert round(r["ceiling"], 3) == 1.204
    assert r["lever_answer"] == "c"


def test_b_reveal_edge_and_mobile():
    """Edge: best lever 2× bandwidth 1.378×; mobile: 2× bandwidth 1.413× (b)."""
    e = raw("B", home="edge")
    assert close(e["speedup_bandwidth"], total("edge") / (tc("edge") + tm("edge") / 2 + LK["edge"]))
    assert round(e["speedup_bandwidth"], 3) == 1.378
    assert e["lever_answer"] == "b"
    m = raw("B", home="mobile")
    assert close(m["speedup_bandwidth"], total("mobile") / (tc("mobile") + tm("mobile") / 2 + LK["mobile"]))
    assert abs(m["speedup_bandwidth"] - 1.413) < 0.001
    assert m["lever_answer"] == "b"


def test_b_slo_default_follows_home():
    """The budget opens at 100 µs (cloud and tiny), 1,000 µs (edge) and 4,000 µs (mobile)."""
    for home, us in (("cloud", 100), ("edge", 1000), ("mobile", 4000), ("tiny", 100)):
        assert run("B", home=home)["inputs"]["slo_us"] == us


def test_b_failure_cloud_resolution_256():
    """Cloud at 256 px: 108.0 µs > 100 µs; the sentence names the budget's rate and overhead as the first fix."""
    fails = run("B", {"resolution": 256})["failures"]
    assert [f["id"] for f in fails] == ["slo_missed"]
    expected_t = tc("cloud", S256) + tm("cloud", S256) + 49e-6
    assert close(raw("B", {"resolution": 256})["t"], expected_t)
    assert fails[0]["message"] == (
        "SLO missed: 108.0 µs per image > 100 µs budget (10,000 images/s). First fix: cut fixed overhead (49.0 µs) "
        "before buying FLOP/s."
    )
    assert failure_ids("B", {"resolution": 224}) == []


def test_b_failure_clears_with_a_lever():
    """At 256 px the card clears when overhead is halved: 21.59 + 37.41 + 24.5 = 83.5 µs."""
    assert failure_ids("B", {"resolution": 256, "overhead_x": 0.5}) == []


def test_b_failure_reachable_by_budget():
    """A 70 µs budget at 224 px misses (97.75 µs > 70 µs)."""
    assert failure_ids("B", {"slo_us": 70}) == ["slo_missed"]


def test_b_chart_levers():
    """The bars are T as set, after each lever, and T_m + L with infinitely fast compute; the line is the SLO."""
    chart = run("B")["charts"]["levers"]
    ys = chart["series"][0]["y"]
    assert close(ys[0], total("cloud") * 1e6)
    assert close(ys[1], total("cloud", kc=2) * 1e6)
    assert close(ys[2], total("cloud", kb=2) * 1e6)
    assert close(ys[3], total("cloud", kl=0.5) * 1e6)
    assert close(ys[4], (tm("cloud") + 49e-6) * 1e6)
    assert chart["lines"] == [{"y": 100.0, "label": "SLO"}]


def test_b_multipliers_stack():
    """With 2× bandwidth already bought, the overhead lever is measured on top of it."""
    r = raw("B", {"bw_x": 2.0})
    now = tc("cloud") + tm("cloud") / 2 + 49e-6
    assert close(r["t"], now)
    assert close(r["speedup_overhead"], now / (tc("cloud") + tm("cloud") / 2 + 24.5e-6))


# --- Part C ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("ctx", "t_c", "t_m", "l", "t", "fc", "s2"), [
    ("cloud", 16.54, 32.22, 49.00, 97.75, 0.169, 1.09),
    ("edge", 384.85, 526.97, 49.00, 960.82, 0.401, 1.25),
    ("mobile", 934.63, 2107.88, 560.00, 3602.51, 0.259, 1.15),
])
def test_c_table(ctx, t_c, t_m, l, t, fc, s2):
    """Each row of the Part C table (spec values within 0.05 µs; 989.5 vs 989 TFLOP/s explains the last digit)."""
    r = raw("C")
    assert close(r[f"{ctx}_tc"], tc(ctx))
    assert close(r[f"{ctx}_tm"], tm(ctx))
    assert close(r[f"{ctx}_l"], LK[ctx])
    assert close(r[f"{ctx}_t"], total(ctx))
    assert abs(r[f"{ctx}_tc"] * 1e6 - t_c) < 0.05
    assert abs(r[f"{ctx}_tm"] * 1e6 - t_m) < 0.005
    assert abs(r[f"{ctx}_t"] * 1e6 - t) < 0.05
    assert round(r[f"{ctx}_fc"], 3) == fc
    assert close(r[f"{ctx}_speedup"], total(ctx) / total(ctx, kc=2))
    assert round(r[f"{ctx}_speedup"], 2) == s2


def test_c_answer_edge():
    """Edge gains most from 2× compute: (b), 1.25×."""
    assert raw("C")["most_helped_answer"] == "b"
    assert reveal(LAB, "C", "b", {})["correct"] is True


def test_c_tiny_failure_and_toggle():
    """Tiny is shown greyed with the capacity failure (25.6 MB > 2 MiB); hiding it clears the card."""
    view = run("C")
    assert [f["id"] for f in view["failures"]] == ["tiny_does_not_fit"]
    assert "25.6 MB > 2.10 MB flash" in view["failures"][0]["message"]
    assert f"({25_557_032 * 8 / 8 / 2_097_152:.1f}×)" in view["raw"]["tiny_row"]  # 12.2× over the flash
    assert failure_ids("C", {"show_tiny": False}) == []
    chart = view["charts"]["shares"]
    assert chart["series"][0]["y"][-1] is None and chart["series"][0]["labels"][-1] == "does not fit"


def test_c_chart_shares_add_to_100():
    """Each context's compute, memory and overhead shares add to 100 %; edge's compute share is 40.1 %."""
    chart = run("C", {"show_tiny": False})["charts"]["shares"]
    for i in range(3):
        assert close(sum(s["y"][i] for s in chart["series"]), 100.0)
    assert close(chart["series"][0]["y"][1], 100 * tc("edge") / total("edge"))


def test_c_home_marked():
    """The home context's bar is marked (home)."""
    assert run("C", home="edge")["charts"]["shares"]["x"][1].endswith("(home)")


# --- Part D ----------------------------------------------------------------------------------------------------


def test_d_all_fail_at_start():
    """No upgrade at 256 px: cloud 108.01, edge 1,163.54, mobile 4,228.28 µs all miss (within 0.1 µs)."""
    r = raw("D")
    for ctx, us in (("cloud", 108.01), ("edge", 1163.54), ("mobile", 4228.28)):
        assert close(r[f"{ctx}_t"], total(ctx, S256))
        assert abs(r[f"{ctx}_t"] * 1e6 - us) < 0.1
    assert failure_ids("D") == ["slo_cloud", "slo_edge", "slo_mobile"]


def test_d_reveal_edge_overhead_no():
    """Edge with ½ overhead: 1,139.04 µs > 1,000 µs, so the answer is no."""
    r = raw("D", {"upgrade_edge": "overhead"})
    assert close(r["edge_t"], total("edge", S256, kl=0.5))
    assert abs(r["edge_t"] * 1e6 - 1139.04) < 0.1
    assert not r["edge_ok"]
    assert r["edge_overhead_answer"] == "no"
    assert reveal(LAB, "D", "yes", {})["text"] == "You predicted (yes) yes. Actual: (no) no. Not this time."


def test_d_reveal_edge_bandwidth_and_compute_pass():
    """Edge: 2× bandwidth → 857.60 µs (pass), 2× compute → 912.21 µs (pass)."""
    b = raw("D", {"upgrade_edge": "bandwidth"})
    c = raw("D", {"upgrade_edge": "compute"})
    assert close(b["edge_t"], total("edge", S256, kb=2)) and b["edge_ok"]
    assert close(c["edge_t"], total("edge", S256, kc=2)) and c["edge_ok"]
    assert abs(b["edge_t"] * 1e6 - 857.60) < 0.1
    assert abs(c["edge_t"] * 1e6 - 912.21) < 0.1


def test_d_reveal_cheapest_plan_8_points():
    """Cloud ½ overhead 83.51 µs, edge 2× bandwidth, mobile ½ overhead 3,948.28 µs: 2 + 4 + 2 = 8 points, no card."""
    inputs = {"upgrade_cloud": "overhead", "upgrade_edge": "bandwidth", "upgrade_mobile": "overhead"}
    view = run("D", inputs)
    r = view["raw"]
    assert view["failures"] == []
    assert close(r["cloud_t"], total("cloud", S256, kl=0.5))
    assert abs(r["cloud_t"] * 1e6 - 83.51) < 0.02
    assert close(r["mobile_t"], total("mobile", S256, kl=0.5))
    assert abs(r["mobile_t"] * 1e6 - 3948.28) < 0.1
    assert r["points"] == 2 + 4 + 2
    assert r["upgrade_plan"] == "cloud: overhead, edge: bandwidth, mobile: overhead"
    assert r["cheapest_plan"] == "cloud: overhead, edge: bandwidth, mobile: overhead"
    assert r["cheapest_points"] == 8


def test_d_failure_message_and_recovery():
    """The edge card names 1,164 µs > 1,000 µs and bandwidth first; it clears with 2× bandwidth and returns at none."""
    msg = next(f["message"] for f in run("D")["failures"] if f["id"] == "slo_edge")
    assert msg.startswith("SLO missed: 1,164 µs per frame > 1,000 µs budget")
    assert "buy bandwidth" in msg
    assert "slo_edge" not in failure_ids("D", {"upgrade_edge": "bandwidth"})
    assert "slo_edge" in failure_ids("D", {"upgrade_edge": "none"})


def test_d_chart_ratio_to_slo():
    """The chart shows T ÷ SLO in percent with the SLO line at 100 %."""
    chart = run("D")["charts"]["t_vs_slo"]
    assert close(chart["series"][0]["y"][0], 100 * total("cloud", S256) / SLO["cloud"])
    assert chart["lines"] == [{"y": 100.0, "label": "SLO"}]


# --- synthesis -------------------------------------------------------------------------------------------------


def test_self_assessment_answers():
    """Overlap + 2× bandwidth: 81.22 / 65.54 = 1.24×; phone ceiling 1 / (1 − 0.259) = 1.35×; edge share 40 %."""
    (_, a1), (_, a2), (_, a3) = LAB.synthesis.self_assessment
    overlap = max(tc("cloud"), tm("cloud")) + 49e-6
    overlap_bw = max(tc("cloud"), tm("cloud") / 2) + 49e-6
    assert f"{overlap / overlap_bw:.2f}×" in a1
    assert f"{1 / (1 - tc('mobile') / total('mobile')):.2f}×" in a2
    assert "40%" in a3


def test_model_note_states_changes():
    """The model note explains 989.5 vs 989 TFLOP/s and the grouped-bar stand-in for stacked bars."""
    assert "989.5" in LAB.model_note and "grouped bars" in LAB.model_note
