"""Lab v1-01 (Three Targets, Three Walls): every reveal value against the spec's own arithmetic.

Expected values are computed here by hand from the numbers the spec prints (shared/labs/v1-01.md), never read
back from the engine. One deliberate difference from the spec: tiny's model memory is its 2 MiB of flash on every
axis (the engine's envelope), so Part A's memory gap is 80e9 / 2,097,152, not 80e9 / 1,048,576.
"""

from __future__ import annotations

import math

import pytest

from labs.runtime import evaluate, reveal
from labs.schema import ChoicePrediction, NumericPrediction, validate_lab
from labs.v1_01 import LAB

HOME = "v1-00.home_context"
MIB = 1024 * 1024

# the spec's constants, as printed
CLOUD_INT8, EDGE_INT8, MOBILE_INT8, TINY_INT8 = 1979e12, 85e12, 35e12, 1.92e9
CLOUD_MEM, EDGE_MEM, MOBILE_MEM, TINY_FLASH = 80e9, 64e9, 4e9, 2 * MIB
CLOUD_BW, EDGE_BW, MOBILE_BW, TINY_BW = 3.35e12, 204.8e9, 51.2e9, 1.92e9
CLOUD_P, EDGE_P, MOBILE_P, TINY_P = 700.0, 60.0, 5.0, 0.3
BUDGET = {"cloud": 700.0, "edge": 20.0, "mobile": 5.0, "tiny": 0.3}
W7_4BIT = 7e9 * 4 / 8  # 3.5e9 B
T_BUDGET = 1 / 25  # 40 ms


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
    """validate_lab finds no problem in v1-01."""
    assert [] == validate_lab(LAB)


def test_seed_questions_verbatim():
    """Each prediction prompt is the spec's seed question, word for word."""
    assert LAB.part("A").prediction.prompt.startswith(
        "How many times more dense INT8 operations per second does your home context deliver than the STM32H743?"
    )
    assert LAB.part("B").prediction.prompt == (
        "As parameters grow (4-bit weights, 25 tokens/s required), which axis crosses 100 % first on your home "
        "context?"
    )
    assert LAB.part("D").prediction.prompt == (
        "Dropping from 4-bit to 3-bit weights (round-to-nearest) fixes which products?"
    )
    assert [o.label for o in LAB.part("C").prediction.options] == [
        "all three fail on memory capacity", "all three are too slow", "three different reasons", "two share a reason",
    ]


def test_prediction_forms():
    """Part A is a log-scale numeric prediction in × over 1–1e9; Parts B–D are four-option choices."""
    a = LAB.part("A").prediction
    assert isinstance(a, NumericPrediction)
    assert (a.unit, a.scale, a.min, a.max) == ("x", "log", 1, 1e9)
    for pid in "BCD":
        pred = LAB.part(pid).prediction
        assert isinstance(pred, ChoicePrediction)
        assert [o.key for o in pred.options] == ["a", "b", "c", "d"]


def test_ledger_writes_match_spec_and_reference_real_outputs():
    """The lab writes exactly the spec's seven keys, each from a real output (or the prediction) of its part."""
    keys = [w.key for w in LAB.writes]
    assert keys == [
        "v1-01.magnitude_prediction",
        "v1-01.compute_gap_home_vs_tiny",
        "v1-01.binding_axis_home",
        "v1-01.first_wall_params_home",
        "v1-01.binding_axes",
        "v1-01.fix_by_product",
        "v1-01.residual_risk",
    ]
    for w in LAB.writes:
        if w.kind == "prediction":
            assert w.source in ("prediction", "actual", "off_by")
        else:
            assert w.source in {o.name for o in LAB.part(w.part).outputs}
            assert w.source in raw(w.part)
    when = {w.key: w.when for w in LAB.writes}
    assert when["v1-01.fix_by_product"] == "change"
    assert when["v1-01.residual_risk"] == "change"


def test_ledger_read_home_context():
    """The lab reads v1-00.home_context with preset cloud and the four contexts as choices."""
    (r,) = LAB.reads
    assert (r.key, r.preset, r.choices) == (HOME, "cloud", ("cloud", "edge", "mobile", "tiny"))


def test_written_values_at_defaults_cloud():
    """At the scenario's settings (home = cloud) the number writes hold the spec's values."""
    assert close(raw("A")["compute_gap_home"], CLOUD_INT8 / TINY_INT8)
    assert raw("B")["binding"] == "none"
    assert close(raw("B")["first_wall_params"], 1.6e11)
    assert raw("C")["binding_axes"] == "cloud: none, edge: power, mobile: latency, tiny: capacity"
    assert raw("D")["fix_by_product"] == "robot: none, phone: none, button: none"


# --- Part A ----------------------------------------------------------------------------------------------------


def test_a_reveal_cloud():
    """Home cloud: 1,979e12 / 1.92e9 = 1,030,729×."""
    assert close(raw("A", home="cloud")["compute_gap_home"], 1979e12 / 1.92e9)
    assert round(raw("A", home="cloud")["compute_gap_home"]) == 1_030_729


def test_a_reveal_edge():
    """Home edge: 85e12 / 1.92e9 = 44,271×."""
    assert close(raw("A", home="edge")["compute_gap_home"], 85e12 / 1.92e9)
    assert round(raw("A", home="edge")["compute_gap_home"]) == 44_271


def test_a_reveal_mobile():
    """Home mobile: 35e12 / 1.92e9 = 18,229×."""
    assert close(raw("A", home="mobile")["compute_gap_home"], 35e12 / 1.92e9)
    assert round(raw("A", home="mobile")["compute_gap_home"]) == 18_229


def test_a_reveal_tiny_compares_cloud():
    """Home tiny: the question compares cloud with tiny, 1,979e12 / 1.92e9."""
    assert close(raw("A", home="tiny")["compute_gap_home"], 1979e12 / 1.92e9)


def test_a_answer_ignores_instruments():
    """The reveal value stays at the scenario's comparison whatever the instruments show."""
    r = raw("A", {"context_a": "mobile", "context_b": "edge", "axis": "power"}, home="cloud")
    assert close(r["compute_gap_home"], 1979e12 / 1.92e9)
    assert close(r["gap"], 5.0 / 60.0)


def test_a_defaults_follow_home():
    """Compare defaults to the home context, Against to tiny (cloud when the home context is tiny)."""
    for home in ("cloud", "edge", "mobile", "tiny"):
        inputs = run("A", home=home)["inputs"]
        against = "cloud" if home == "tiny" else "tiny"
        assert (inputs["context_a"], inputs["context_b"], inputs["axis"]) == (home, against, "compute")


def test_a_companion_rows_cloud_vs_tiny():
    """Cloud vs tiny: memory 80e9 / 2 MiB flash = 38,147×, bandwidth 1,745×, power 2,333×."""
    r = raw("A")
    assert close(r["gap_compute"], 1979e12 / 1.92e9)
    assert close(r["gap_memory"], 80e9 / 2_097_152)
    assert round(r["gap_memory"]) == 38_147
    assert not close(r["gap_memory"], 80e9 / 1_048_576, rel=1e-3)  # the spec's SRAM figure is not used
    assert close(r["gap_bandwidth"], 3.35e12 / 1.92e9)
    assert round(r["gap_bandwidth"]) == 1_745
    assert close(r["gap_power"], 700 / 0.3)
    assert round(r["gap_power"]) == 2_333


def test_a_spread_590():
    """The four gaps differ by up to 1.03e6 / 1,745 ≈ 590×."""
    assert close(raw("A")["spread"], (1979e12 / 1.92e9) / (3.35e12 / 1.92e9))
    assert 590 <= raw("A")["spread"] < 591


def test_a_selected_axis_and_values():
    """The axis select picks the highlighted gap and its raw values with units."""
    r = raw("A", {"axis": "memory"})
    assert close(r["gap"], 80e9 / 2_097_152)
    assert r["value_a"] == "80.0 GB HBM3"
    assert r["value_b"] == "2.10 MB flash"
    assert raw("A")["values_compute"] == "1,979 TOP/s ÷ 1.920 GOP/s"


def test_a_chart_normalised_to_tiny():
    """The grouped bars are each context's value ÷ tiny's, tiny being 1× on every axis."""
    chart = run("A")["charts"]["normalised_to_tiny"]
    series = {s["name"]: s["y"] for s in chart["series"]}
    assert series["Tiny"] == [1.0, 1.0, 1.0, 1.0]
    expected_cloud = [1979e12 / 1.92e9, 80e9 / 2_097_152, 3.35e12 / 1.92e9, 700 / 0.3]
    assert all(close(a, b) for a, b in zip(series["Cloud"], expected_cloud))


def test_a_reveal_text():
    """The reveal line reads the actual 1.03 × 10⁶× and the off-by factor."""
    out = reveal(LAB, "A", 1000, {HOME: "cloud"})
    assert "Actual: 1.03 × 10⁶×" in out["text"]
    assert close(out["off_by"], (1979e12 / 1.92e9) / 1000)
    assert out["direction"] == "under"


# --- Part B ----------------------------------------------------------------------------------------------------


def test_b_reveal_cloud_ratios():
    """Cloud at defaults: capacity 4.4 %, latency 2.6 %, power 2.6 %."""
    r = raw("B", home="cloud")
    assert close(r["capacity_ratio"], 3.5e9 / 80e9)
    assert close(r["latency_ratio"], 3.5e9 / 3.35e12 * 25)
    assert close(r["token_time"], 3.5e9 / 3.35e12)  # 1.045 ms
    assert close(r["power_ratio"], 700 * (3.5e9 / 3.35e12 * 25) / 700)
    assert r["binding"] == "none"


def test_b_reveal_cloud_first_wall():
    """Cloud: capacity first at N = 80e9 / 0.5 = 1.6e11 (latency would need 2.68e11)."""
    r = raw("B", home="cloud")
    assert (r["first_wall_axis"], r["first_wall_answer"]) == ("capacity", "a")
    assert close(r["first_wall_params"], 80e9 / 0.5)
    assert "2.68 × 10¹¹" in LAB.part("B").reveal.explanation


def test_b_reveal_edge():
    """Edge: power first at 20/60 × 0.04 × 204.8e9 / 0.5 = 5.46e9."""
    r = raw("B", home="edge")
    assert (r["first_wall_axis"], r["first_wall_answer"]) == ("power", "c")
    assert close(r["first_wall_params"], 20 / 60 * 0.04 * 204.8e9 / 0.5)
    assert r["binding"] == "power"


def test_b_reveal_mobile():
    """Mobile: latency first at 0.04 × 51.2e9 / 0.5 = 4.10e9."""
    r = raw("B", home="mobile")
    assert (r["first_wall_axis"], r["first_wall_answer"]) == ("latency", "b")
    assert close(r["first_wall_params"], 0.04 * 51.2e9 / 0.5)
    assert r["binding"] == "latency"


def test_b_reveal_tiny():
    """Tiny: capacity first at 2,097,152 / 0.5 = 4.19e6."""
    r = raw("B", home="tiny")
    assert (r["first_wall_axis"], r["first_wall_answer"]) == ("capacity", "a")
    assert close(r["first_wall_params"], 2_097_152 / 0.5)
    assert r["binding"] == "capacity"


def test_b_answer_ignores_instruments():
    """The answer stays at the scenario's settings when the student moves the instruments."""
    r = raw("B", {"rate": 100}, home="cloud")
    assert r["first_wall_axis"] == "latency"  # 8 × 3.35e12 / (4 × 100) = 6.7e10 < 1.6e11
    assert close(r["first_wall_params"], 8 * 3.35e12 / (4 * 100))
    assert r["first_wall_answer"] == "a"


def test_b_reveal_text():
    """A wrong choice on cloud reads the actual (a) memory capacity."""
    out = reveal(LAB, "B", "b", {HOME: "cloud"})
    assert out["text"] == (
        "You predicted (b) bandwidth → token latency. Actual: (a) memory capacity. Not this time."
    )
    assert reveal(LAB, "B", "c", {HOME: "edge"})["correct"] is True


def test_b_failure_cloud_capacity_at_1_7e11():
    """Cloud at 1.7e11 parameters: 85.0 GB exceed 80 GB (1.06×); clears back at 7e9."""
    fails = run("B", {"params": 1.7e11}, home="cloud")["failures"]
    assert [f["id"] for f in fails] == ["over_limit"]
    assert "85.0 GB" in fails[0]["message"] and "1.06×" in fails[0]["message"]
    assert "fewer bytes per weight or a smaller model" in fails[0]["message"]
    assert failure_ids("B", {"params": 7e9}, home="cloud") == []


def test_b_failure_edge_power_at_defaults():
    """Edge at defaults: 25.6 W exceeds the 20 W budget (1.28×); clears at 30 W or 5e9 parameters."""
    fails = run("B", home="edge")["failures"]
    assert [f["id"] for f in fails] == ["over_limit"]
    assert "25.6 W" in fails[0]["message"] and "1.28×" in fails[0]["message"]
    assert "move fewer bytes per token" in fails[0]["message"]
    assert failure_ids("B", {"power_budget": 30}, home="edge") == []
    assert failure_ids("B", {"params": 5e9}, home="edge") == []
    assert failure_ids("B", {"power_budget": 20}, home="edge") == ["over_limit"]


def test_b_budget_default_follows_home():
    """Part B's one budget slider starts at the home context's budget: 700, 20, 5 or 0.3 W."""
    for home, watts in BUDGET.items():
        assert watts == run("B", home=home)["inputs"]["power_budget"]


def test_b_chart_crosses_one_at_first_wall():
    """The capacity line crosses 1.0 between the grid points around 1.6e11 on cloud."""
    chart = run("B")["charts"]["ratio_vs_params"]
    cap = next(s for s in chart["series"] if s["name"] == "capacity")["y"]
    below = [x for x, y in zip(chart["x"], cap) if y <= 1]
    above = [x for x, y in zip(chart["x"], cap) if y > 1]
    assert max(below) < 1.6e11 < min(above)
    assert chart["lines"] == [{"y": 1.0, "label": "limit"}]


# --- Part C ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ctx", "capacity", "latency", "power", "binding"),
    [
        ("cloud", 3.5e9 / 80e9, (3.5e9 / 3.35e12) / 0.04, 700 * ((3.5e9 / 3.35e12) / 0.04) / 700, "none"),
        ("edge", 3.5e9 / 64e9, (3.5e9 / 204.8e9) / 0.04, 60 * ((3.5e9 / 204.8e9) / 0.04) / 20, "power"),
        ("mobile", 3.5e9 / 4e9, (3.5e9 / 51.2e9) / 0.04, 5 * 1.0 / 5, "latency"),
    ],
)
def test_c_table_loadable_rows(ctx, capacity, latency, power, binding):
    """Each loadable row of the Part C table: capacity, latency and power ratios and the binding axis."""
    r = raw("C")
    assert close(r[f"{ctx}_capacity"], capacity)
    assert close(r[f"{ctx}_latency"], latency)
    assert close(r[f"{ctx}_power"], power)
    assert r[f"binding_{ctx}"] == binding


def test_c_table_printed_values():
    """The table's printed values: 0.044, 0.026, 18.3 W, 0.055, 0.427, 25.6 W, 1.28, 0.875, 1.709, 1.00, 1,669."""
    r = raw("C")
    assert round(r["cloud_capacity"], 3) == 0.044
    assert round(r["cloud_latency"], 3) == 0.026
    assert round(700 * r["cloud_latency"], 1) == 18.3
    assert round(r["edge_capacity"], 3) == 0.055
    assert round(r["edge_latency"], 3) == 0.427
    assert round(60 * r["edge_latency"], 1) == 25.6
    assert round(r["edge_power"], 2) == 1.28
    assert round(r["mobile_capacity"], 3) == 0.875
    assert round(r["mobile_latency"], 3) == 1.709
    assert round(r["mobile_power"], 2) == 1.00
    assert round(r["tiny_capacity"]) == 1669


def test_c_table_tiny_row():
    """Tiny: capacity 3.5e9 / 2,097,152 binds; latency and power are shown as — (cannot load)."""
    r = raw("C")
    assert close(r["tiny_capacity"], 3.5e9 / 2_097_152)
    assert r["binding_tiny"] == "capacity"
    assert r["row_tiny"] == "capacity 1,669 · latency — (cannot load) · power — → fails: capacity"
    chart = run("C")["charts"]["ratios_by_context"]
    tiny = chart["x"].index("Pip (tiny)")
    ys = {s["name"]: s["y"][tiny] for s in chart["series"]}
    assert ys["latency"] is None and ys["power"] is None
    assert close(ys["capacity"], 3.5e9 / 2_097_152)


def test_c_rows_text():
    """The shown rows carry the ratios and the pass/fail badge."""
    r = raw("C")
    assert r["row_cloud"].endswith("→ passes")
    assert r["row_edge"] == "capacity 0.0547 · latency 0.427 · power 1.28 → fails: power"
    assert r["row_mobile"] == "capacity 0.875 · latency 1.71 · power 1.00 → fails: latency"


def test_c_reveal_answer():
    """Three different reasons: (c)."""
    assert raw("C")["diagnosis_answer"] == "c"
    out = reveal(LAB, "C", "c", {HOME: "mobile"})
    assert out["text"] == "You predicted (c) three different reasons. Actual: (c) three different reasons. Correct."


def test_c_failures_one_per_failing_context():
    """At defaults exactly edge, mobile and tiny fail, each with its own first fix."""
    fails = run("C")["failures"]
    assert [f["id"] for f in fails] == ["fails_edge", "fails_mobile", "fails_tiny"]
    fixes = [f["message"].split("First fix:")[1] for f in fails]
    assert len(set(fixes)) == 3
    assert "25.6 W" in fails[0]["message"]
    assert "68.4 ms" in fails[1]["message"] and "1.71×" in fails[1]["message"]
    assert "2.10 MB flash" in fails[2]["message"]


def test_c_failures_clear_and_return():
    """Raising Lumi's budget to 30 W clears only its card; 20 W brings it back; 14 tokens/s clears the phone."""
    assert failure_ids("C", {"power_budget_edge": 30}) == ["fails_mobile", "fails_tiny"]
    assert failure_ids("C", {"power_budget_edge": 20}) == ["fails_edge", "fails_mobile", "fails_tiny"]
    # 51.2e9 / 3.5e9 = 14.6 tokens/s is the phone's limit
    assert "fails_mobile" not in failure_ids("C", {"rate": 14})
    assert "fails_mobile" in failure_ids("C", {"rate": 15})


def test_c_highlight_follows_home():
    """The expanded context defaults to the home context and its math shows that context's numbers."""
    view = run("C", home="edge")
    assert view["inputs"]["highlight"] == "edge"
    assert close(view["raw"]["hl_power"], 60 * ((3.5e9 / 204.8e9) / 0.04) / 20)
    assert view["raw"]["hl_binding"] == "power"


# --- Part D ----------------------------------------------------------------------------------------------------

GATE = 1.15 * 5.67


def test_d_reveal_three_bit_rtn():
    """3-bit RTN: robot 19.2 W / 20 = 0.96 passes, phone 51.27 ms / 40 = 1.28 fails, perplexity 25.66 > 6.52."""
    r = raw("D", {"fix_robot": "rtn_3bit", "fix_phone": "rtn_3bit"})
    w3 = 7e9 * 3 / 8
    assert close(r["robot_power"], 60 * (w3 / 204.8e9 * 25) / 20)
    assert round(r["robot_power"], 2) == 0.96
    assert r["robot_binding"] == "none"
    assert close(r["phone_latency"], w3 / 51.2e9 * 25)
    assert round(r["phone_latency"], 2) == 1.28
    assert r["phone_binding"] == "latency"
    assert close(r["quality_gate"], GATE)
    assert r["robot_quality"] == "3-bit RTN perplexity 25.66 > 6.52 (fails)"
    assert r["robot_quality_fails"] and r["phone_quality_fails"]


def test_d_reveal_answer():
    """Neither product is fixed by 3-bit RTN once quality is checked: (d)."""
    assert raw("D")["three_bit_answer"] == "d"
    assert reveal(LAB, "D", "b", {})["text"] == (
        "You predicted (b) robot only. Actual: (d) neither once quality is checked. Not this time."
    )


def test_d_alternative_3b():
    """3B at 4 bit: phone 29.30 ms / 40 = 0.73, robot 11.0 W / 20 = 0.55; quality requires evaluation."""
    r = raw("D", {"fix_robot": "small_3b", "fix_phone": "small_3b"})
    w = 3e9 * 4 / 8
    assert close(r["phone_latency"], w / 51.2e9 * 25)
    assert round(r["phone_latency"], 2) == 0.73
    assert close(r["robot_power"], 60 * (w / 204.8e9 * 25) / 20)
    assert round(r["robot_power"], 2) == 0.55
    assert r["phone_quality"] == "not in table: requires evaluation"
    assert "3B quality not in table: requires evaluation" in r["residual_risk"]
    assert failure_ids("D", {"fix_robot": "small_3b", "fix_phone": "small_3b"}) == ["button_envelope"]


def test_d_alternative_12_tokens():
    """12 tokens/s: phone 68.36 / 83.33 = 0.82, robot 12.3 W / 20 = 0.62."""
    r = raw("D", {"fix_robot": "rate_12", "fix_phone": "rate_12"})
    assert close(r["phone_latency"], (3.5e9 / 51.2e9) / (1 / 12))
    assert round(r["phone_latency"], 2) == 0.82
    assert close(r["robot_power"], 60 * (3.5e9 / 204.8e9 * 12) / 20)
    assert round(r["robot_power"], 2) == 0.62
    assert "replies at 12 tokens/s" in r["residual_risk"]


@pytest.mark.parametrize("fix", ["none", "small_3b", "rtn_3bit", "gptq_3bit_g64", "rate_12", "change_feature"])
def test_d_button_only_change_feature_passes(fix):
    """Pip passes only with the change of feature (keyword spotting on device, assistant relayed)."""
    r = raw("D", {"fix_button": fix})
    passes = r["button_binding"] == "none" and not r["button_quality_fails"]
    assert passes == (fix == "change_feature")
    if fix == "change_feature":
        assert close(r["button_capacity"], 38.6e3 * 8 / 8 / 2_097_152)


def test_d_quality_failure_message():
    """The quality card reads the spec's sentence, fires with 3-bit RTN and clears when the fix moves back."""
    fails = run("D", {"fix_robot": "rtn_3bit"})["failures"]
    assert [f["id"] for f in fails] == ["phone_envelope", "button_envelope", "robot_quality"]
    assert fails[2]["message"] == (
        "Quality gate: 3-bit RTN perplexity 25.66 > 6.52 limit (3.9×). First fix: keep 4-bit weights and shrink the "
        "model instead."
    )
    assert failure_ids("D", {"fix_robot": "none"}) == ["robot_envelope", "phone_envelope", "button_envelope"]


def test_d_gptq_fails_quality():
    """3-bit GPTQ g64 (12.24) also fails the 6.52 gate, by 1.9×."""
    fails = run("D", {"fix_phone": "gptq_3bit_g64"})["failures"]
    msg = next(f["message"] for f in fails if f["id"] == "phone_quality")
    assert "12.24 > 6.52" in msg and f"({12.24 / GATE:.1f}×)" in msg


def test_d_all_fixed():
    """3B on the robot, 12 tokens/s on the phone and the feature change on Pip: no card remains."""
    inputs = {"fix_robot": "small_3b", "fix_phone": "rate_12", "fix_button": "change_feature"}
    view = run("D", inputs)
    assert view["failures"] == []
    assert view["raw"]["fix_by_product"] == "robot: small_3b, phone: rate_12, button: change_feature"
    assert "phone currently passes" in view["raw"]["residual_risk"]


def test_d_chart_before_after():
    """Before bars are the binding ratios 1.28, 1.709 and 1,669; after follows the chosen fix."""
    chart = run("D", {"fix_robot": "rtn_3bit"})["charts"]["binding_before_after"]
    before, after = chart["series"][0]["y"], chart["series"][1]["y"]
    assert close(before[0], 60 * (3.5e9 / 204.8e9 * 25) / 20)
    assert close(before[1], 3.5e9 / 51.2e9 * 25)
    assert close(before[2], 3.5e9 / 2_097_152)
    assert close(after[0], 60 * (7e9 * 3 / 8 / 204.8e9 * 25) / 20)
    assert chart["series"][1]["status"][0] == "fail"  # envelope passes, quality fails
    assert chart["series"][1]["labels"][0] == "quality fails"


# --- synthesis -------------------------------------------------------------------------------------------------


def test_self_assessment_answers():
    """Self-assessment: 51.2e9 / 3.5e9 = 14.6 tokens/s; 25.6 W / 30 W = 0.85, yes."""
    (_, a1), _, (_, a3) = LAB.synthesis.self_assessment
    assert f"{51.2e9 / 3.5e9:.1f} tokens/s" in a1
    assert f"{60 * (3.5e9 / 204.8e9 * 25) / 30:.2f}" in a3 and "yes" in a3


def test_model_note_states_flash_fix():
    """The model note explains tiny's 2 MiB flash model memory and the 38,147× gap."""
    assert "2 MiB of flash" in LAB.model_note and "38,147×" in LAB.model_note


# --- declarations and the range changes against the spec -----------------------------------------------------


def test_instrument_declarations():
    """Model size is log-stepped over 1e6–1e12 (default 7e9); budgets default to 700, 20, 5 and 0.3 W."""
    for pid in "BC":
        ins = {i.name: i for i in LAB.part(pid).instruments}
        params = ins["params"]
        assert (params.min, params.max, params.default, params.is_log) == (1e6, 1e12, 7e9, True)
        assert (ins["rate"].min, ins["rate"].max, ins["rate"].default, ins["rate"].step) == (1, 100, 25, 1)
        assert ins["bits"].default == "4" and [o.key for o in ins["bits"].options] == ["16", "8", "4", "3"]
        if pid == "B":
            assert dict(ins["power_budget"].default_by) == BUDGET and ins["power_budget"].is_log
            continue
        for ctx, watts in BUDGET.items():
            s = ins[f"power_budget_{ctx}"]
            assert s.default == watts and s.unit == "W"
            assert s.step == (0.01 if ctx == "tiny" else 1.0)


def test_b_tiny_card_clears_below_first_wall():
    """Home tiny: the capacity card clears at 3e6 parameters (1.5 MB ≤ 2 MiB) and returns at 5e6 (2.5 MB)."""
    assert failure_ids("B", {"params": 3e6}, home="tiny") == []
    assert failure_ids("B", {"params": 5e6}, home="tiny") == ["over_limit"]
    assert close(raw("B", {"params": 3e6}, home="tiny")["capacity_ratio"], 3e6 * 0.5 / 2_097_152)


def test_c_tiny_card_clears_below_first_wall():
    """Pip's card clears only when the weights fit in 2 MiB of flash (3e6 parameters at 4 bit)."""
    assert "fails_tiny" not in failure_ids("C", {"params": 3e6})
    assert "fails_tiny" in failure_ids("C", {"params": 7e9})


def test_d_no_fix_quality_passes():
    """The unfixed 4-bit RTN build is inside the gate (6.28 ≤ 6.52): it fails on the envelope only."""
    r = raw("D")
    assert r["robot_quality"] == "4-bit RTN perplexity 6.28 ≤ 6.52 (passes)"
    assert not r["robot_quality_fails"]
