"""Lab v1-04 (Data Gravity): every reveal value against the spec's own arithmetic.

Expected values are computed here by hand from the numbers the spec prints (shared/labs/v1-04.md), never read
back from the engine. One deliberate difference: the H100's dense BF16 peak is the registry's 989.5 TFLOP/s (half
of 1,979), where the spec rounds to 989, so the cloud rate is 1.425e7 rather than 1.424e7 (same to 3 figures).
"""

from __future__ import annotations

import math

import pytest

from labs.runtime import evaluate, reveal
from labs.schema import ChoicePrediction, NumericPrediction, validate_lab
from labs.v1_04 import LAB

HOME = "v1-00.home_context"
DAY = 86_400.0

# the spec's constants, as printed (peak: the registry's 989.5 TFLOP/s)
PEAK = 1979e12 / 2
C_OP = 2.50 / 3600 / (PEAK * 0.5)  # $/FLOP
C_B = 0.02 / 1e9  # $/B
BLE_J_PER_B = 6.4e-3 * 3.0 / (1e6 / 8 * 0.5)  # 307.2 nJ/B
LTE_J_PER_B = (438.39e-3 * 6 + 1288.04e-3) / (6e6 / 8)  # 5.2245 µJ/B
EDGE_J_PER_OP = 60 / (85e12 * 0.5)
MOBILE_J_PER_OP = 5 / (35e12 * 0.5)
TINY_J_PER_OP = 0.3 / (1.92e9 * 0.5)
LINK_B_PER_S = 10e9 / 8


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
    """validate_lab finds no problem in v1-04."""
    assert [] == validate_lab(LAB)


def test_seed_questions_verbatim():
    """Scenario quotes and prediction prompts keep the spec's seed questions word for word."""
    assert LAB.part("A").scenario.text.endswith(
        "Gut check for the team: how much GPU arithmetic costs the same as moving a single byte between regions?")
    assert LAB.part("A").prediction.prompt.startswith(
        "How much GPU arithmetic costs the same as moving a single byte between regions?")
    assert "the same energy as sending one byte over the device's radio" in LAB.part("A").prediction.prompt
    assert LAB.part("B").prediction.prompt == "Cheapest per day?"
    assert LAB.part("C").prediction.prompt == (
        "Where is local computation the least lopsided winner (lowest exchange rate)?")
    assert LAB.part("D").prediction.prompt == "Above what daily volume does moving the job beat filter-then-ship?"
    assert LAB.part("D").scenario.text == (
        "A new constellation brings us to 120 TB a day. Keep data movement under $700/day and the link under 24 h/day.")


def test_prediction_forms():
    """A: log 1–1e12 op/B; B: three options; C: four contexts; D: linear TB/day up to 200 (min 1, see model note)."""
    a, d = LAB.part("A").prediction, LAB.part("D").prediction
    assert isinstance(a, NumericPrediction) and (a.unit, a.scale, a.min, a.max) == ("OP/B", "log", 1, 1e12)
    assert isinstance(d, NumericPrediction) and (d.unit, d.scale, d.min, d.max) == ("TB/day", "linear", 1, 200)
    b, c = LAB.part("B").prediction, LAB.part("C").prediction
    assert isinstance(b, ChoicePrediction) and [o.key for o in b.options] == ["a", "b", "c"]
    assert isinstance(c, ChoicePrediction) and [o.label for o in c.options] == ["cloud", "edge", "mobile", "tiny"]


def test_ledger_writes_match_spec_and_reference_real_outputs():
    """The lab writes exactly the spec's seven keys, each from a real output, instrument or the prediction."""
    assert [w.key for w in LAB.writes] == [
        "v1-04.exchange_rate_prediction", "v1-04.exchange_rate_home", "v1-04.placement_default_volume",
        "v1-04.placement_plan", "v1-04.daily_cost_usd", "v1-04.link_hours_day", "v1-04.crossover_volume_tb_day",
    ]
    for w in LAB.writes:
        part = LAB.part(w.part)
        if w.kind == "prediction":
            assert w.source == "prediction"
        else:
            assert w.source in {o.name for o in part.outputs} | {i.name for i in part.instruments}
    assert [r.key for r in LAB.reads] == [HOME] and LAB.reads[0].preset == "cloud"


def test_written_values_at_defaults():
    """At the scenario's settings the number writes hold the spec's values (home cloud)."""
    assert close(raw("A")["exchange_rate"], C_B / C_OP)
    assert raw("B")["cheapest_plan"] == "filter_ship"
    d = raw("D")
    assert close(d["crossover_volume"] * DAY, 640 / (0.33 * C_B + 2000 * C_OP * 1.5))
    assert close(d["plan_usd"], 120_000 * 0.02) and close(d["plan_link_h"], 120e12 / LINK_B_PER_S)


# --- Part A ----------------------------------------------------------------------------------------------------


def test_a_cloud_rate():
    """Cloud: c_op = 2.50/3600/(989.5e12 × 0.5), c_B = 2e-11, rate = 1.425e7 FLOP/B (spec 1.424e7 with 989)."""
    r = raw("A")
    assert close(r["cost_per_op"], 2.50 / 3600 / (989.5e12 * 0.5))
    assert close(r["cost_per_byte"], 2e-11)
    assert close(r["exchange_rate"], 2e-11 / (2.50 / 3600 / (989.5e12 * 0.5)))
    assert math.isclose(r["exchange_rate"], 1.424e7, rel_tol=1e-3)


def test_a_edge_rate():
    """Edge over LTE: 5.2245 µJ/B ÷ 1.4118 pJ/op = 3.70e6."""
    r = raw("A", home="edge")
    assert close(r["cost_per_byte"], 5.2245066666e-6, 1e-9)
    assert close(r["exchange_rate"], LTE_J_PER_B / EDGE_J_PER_OP)
    assert math.isclose(r["exchange_rate"], 3.70e6, rel_tol=1e-3)


def test_a_mobile_rate():
    """Mobile over LTE: 5.2245 µJ/B ÷ 0.2857 pJ/op = 1.83e7."""
    r = raw("A", home="mobile")
    assert close(r["exchange_rate"], LTE_J_PER_B / MOBILE_J_PER_OP)
    assert math.isclose(r["exchange_rate"], 1.83e7, rel_tol=2e-3)


def test_a_tiny_rate():
    """Tiny over BLE: 307.2 nJ/B ÷ 0.3125 nJ/op = 983."""
    r = raw("A", home="tiny")
    assert close(r["cost_per_byte"], 307.2e-9) and close(r["cost_per_op"], 0.3125e-9)
    assert close(r["exchange_rate"], 307.2e-9 / 0.3125e-9)


def test_a_link_default_follows_home():
    """The radio defaults to BLE on tiny and LTE elsewhere."""
    assert run("A", home="tiny")["inputs"]["link"] == "ble"
    assert run("A", home="mobile")["inputs"]["link"] == "lte"


def test_a_self_assessment_half_egress():
    """Egress $0.01/GB halves the cloud rate: 1e-11 / c_op = 7.12e6."""
    r = raw("A", {"egress_usd_per_gb": 0.01})
    assert close(r["cloud_exchange_rate"], 1e-11 / C_OP)
    assert "7.12 × 10⁶" in LAB.synthesis.self_assessment[0][1]


def test_a_chart_one_mb():
    """The chart prices 1 MB moved (1e6 × c_B) and 1 MB of work at 2,000 op/B (2e9 × c_op)."""
    ys = run("A")["charts"]["one_mb"]["series"][0]["y"]
    assert close(ys[0], 1e6 * C_B) and close(ys[1], 1e6 * 2000 * C_OP)


def test_a_reveal_text():
    """Reveal: numeric comparison with the home rate, and the explanation names all four rates."""
    out = reveal(LAB, "A", 1e7, {HOME: "cloud"})
    assert out["text"] == "You predicted 1.00 × 10⁷ op/B. Actual: 1.42 × 10⁷ op/B. Off by 1.4× (under)."
    text = LAB.part("A").reveal.explanation
    for s in ("1.425 × 10⁷", "3.70 × 10⁶", "1.83 × 10⁷", "983"):
        assert s in text


# --- Part B ----------------------------------------------------------------------------------------------------


def test_b_ship_raw():
    """Ship raw: 30,000 GB × $0.02 = $600; link 30e12 × 8 / 1e10 = 24,000 s = 6.67 h."""
    r = raw("B")
    assert close(r["ship_raw_usd"], 30_000 * 0.02)
    assert close(r["ship_raw_link_h"], 30e12 * 8 / 1e10)


def test_b_move_job():
    """Move job: 512 × 2.50 × 0.5 = $640."""
    assert close(raw("B")["move_job_usd"], 512 * 2.50 * 0.5)


def test_b_filter_ship():
    """Filter: 30e12 × 2,000 / (989.5e12 × 0.5) GPU-s × $3.75/h + 0.33 × 30,000 × $0.02 = $198.13."""
    r = raw("B")
    gpu_s = 30e12 * 2000 / (PEAK * 0.5)
    assert math.isclose(gpu_s, 121.3, rel_tol=1e-3)
    assert close(r["filter_gpu_h"], gpu_s)  # SI: GPU-seconds
    assert close(r["filter_compute_usd"], gpu_s / 3600 * 3.75)
    assert close(r["filter_ship_usd"], gpu_s / 3600 * 3.75 + 0.33 * 30_000 * 0.02)
    assert round(r["filter_ship_usd"], 2) == 198.13


def test_b_break_even():
    """Break-even: 0.67 × 2e-11 / (c_op × 1.5) = 6.36e6 FLOP/B, 3,180× the filter's 2,000."""
    r = raw("B")
    assert close(r["break_even"], 0.67 * 2e-11 / (C_OP * 1.5))
    assert close(r["break_even_margin"], 0.67 * 2e-11 / (C_OP * 1.5) / 2000)
    assert math.isclose(r["break_even_margin"], 3180, rel_tol=2e-3)


def test_b_answer_filter():
    """The cheapest placement at the scenario's settings is (c) filter + ship."""
    assert raw("B")["cheapest_answer"] == "c"
    assert reveal(LAB, "B", "c")["correct"] is True


def test_b_failure_fires_at_120_and_clears():
    """Ship raw at 120 TB/day needs 120e12 × 8 / 1e10 = 96,000 s = 26.7 h (1.11×), backlog 12.0 TB/day."""
    assert failure_ids("B") == []
    view = run("B", {"volume_tb_day": 120})
    [f] = view["failures"]
    assert f["id"] == "link_saturated"
    assert "26.7 h" in f["message"] and "(1.11×)" in f["message"] and "12.0 TB/day" in f["message"]
    assert "First fix: reduce before shipping, or move the job." in f["message"]
    assert close(view["raw"]["ship_raw_link_h"], 120e12 * 8 / 1e10)
    assert failure_ids("B", {"volume_tb_day": 30}) == []
    assert failure_ids("B", {"volume_tb_day": 120, "link_gbps": 20}) == []


def test_b_chart_bill():
    """The bill chart has movement and compute bars per placement that add to each total."""
    chart = run("B")["charts"]["bill"]
    mv, cp = chart["series"][0]["y"], chart["series"][1]["y"]
    assert close(mv[0] + cp[0], 600) and close(mv[1] + cp[1], 640)
    assert close(mv[2], 0.33 * 30_000 * 0.02)


# --- Part C ----------------------------------------------------------------------------------------------------


def test_c_tiny_row():
    """Tiny: 6,000 × 307.2 nJ = 1.843 mJ; 0.5e6 × 0.3125 nJ + 16 × 307.2 nJ = 0.161 mJ; 11.4×."""
    r = raw("C")
    assert close(r["stream_tiny"], 6000 * 307.2e-9)
    assert close(r["local_tiny"], 0.5e6 * 0.3125e-9 + 16 * 307.2e-9)
    assert close(r["ratio_tiny"], 6000 * 307.2e-9 / (0.5e6 * 0.3125e-9 + 16 * 307.2e-9))
    assert round(r["ratio_tiny"], 1) == 11.4


def test_c_mobile_row():
    """Mobile: 3e6 × 5.2245 µJ = 15.67 J; 0.6e9 × 0.2857 pJ + 200 × 5.2245 µJ = 1.22 mJ; ≈1.3e4×."""
    r = raw("C")
    assert close(r["stream_mobile"], 3e6 * LTE_J_PER_B)
    assert close(r["local_mobile"], 0.6e9 * MOBILE_J_PER_OP + 200 * LTE_J_PER_B)
    assert math.isclose(r["ratio_mobile"], 1.3e4, rel_tol=0.01)


def test_c_edge_row():
    """Edge: 8.7e9 × 30 × 1.4118 pJ = 0.368 J/s plus 1,000 B × 5.2245 µJ = 0.374 W (spec omitted the verdict)."""
    r = raw("C")
    assert close(r["local_compute_edge"], 8.7e9 * 30 * EDGE_J_PER_OP)
    assert close(r["local_edge"], 8.7e9 * 30 * EDGE_J_PER_OP + 1000 * LTE_J_PER_B)
    assert close(r["util_edge"], 1e6 / (6e6 / 8))


def test_c_cloud_row():
    """Cloud: $600 vs $198.13 = 3.0×."""
    assert close(raw("C")["ratio_cloud"], 600 / (30e12 * 2000 * C_OP * 1.5 + 198.0))


def test_c_answer_tiny():
    """The lowest exchange rate is tiny's 983 op/B: option (d)."""
    r = raw("C")
    assert r["lowest_rate_answer"] == "d"
    assert close(r["rate_tiny"], BLE_J_PER_B / TINY_J_PER_OP)


def test_c_edge_failure_at_defaults_and_clears():
    """Edge: 8.0 Mb/s > 6.0 Mb/s LTE (1.33×) at defaults; 0.7 MB/s clears it."""
    [f] = run("C")["failures"]
    assert f["id"] == "uplink_saturated_edge"
    assert f["message"] == ("Uplink saturated: 8.0 Mb/s video > 6.0 Mb/s LTE uplink (1.33×). First fix: run the "
                            "detector on the robot.")
    assert failure_ids("C", {"raw_rate_edge": 7e5}) == []


def test_c_tiny_failure_above_ble_goodput():
    """Tiny saturates BLE above 62,500 B/s: 70,000 B/s fails, back to 6,000 clears."""
    assert "uplink_saturated_tiny" in failure_ids("C", {"raw_rate_tiny": 7e4})
    assert "uplink_saturated_tiny" not in failure_ids("C", {"raw_rate_tiny": 6000})


def test_c_chart_pairs():
    """The chart pairs stream and local energy per device context; edge's stream bar is marked failing."""
    chart = run("C")["charts"]["per_decision"]
    assert chart["series"][0]["status"] == ["ok", "ok", "fail"]
    assert close(chart["series"][1]["y"][0], 0.5e6 * 0.3125e-9 + 16 * 307.2e-9)


# --- Part D ----------------------------------------------------------------------------------------------------


def test_d_plans_at_120():
    """120 TB/day: ship $2,400 / 26.7 h; filter 0.51 + 792.00 = $792.51 / 8.8 h; move $640."""
    r = raw("D")
    assert close(r["ship_raw_usd"], 120_000 * 0.02)
    assert close(r["filter_ship_usd"], 120e12 * 2000 * C_OP * 1.5 + 0.33 * 120_000 * 0.02)
    assert round(r["filter_ship_usd"], 2) == 792.51
    assert close(r["move_job_usd"], 640.0)


def test_d_crossover():
    """V = 640 / (0.33 × 2e-11 + 2000 × c_op × 1.5) = 9.69e13 B = 96.9 TB/day."""
    v = raw("D")["crossover_volume"] * DAY
    assert close(v, 640 / (0.33 * 2e-11 + 2000 * C_OP * 1.5))
    assert round(v / 1e12, 1) == 96.9
    assert reveal(LAB, "D", 96.9)["text"].startswith("You predicted 96.9 TB/day. Actual: 96.9 TB/day.")


def test_d_failures_at_defaults():
    """Ship raw at 120 TB/day fails the link (26.7 h) and the budget ($2,400 > $700, 3.43×)."""
    fs = {f["id"]: f["message"] for f in run("D")["failures"]}
    assert set(fs) == {"link_saturated", "over_budget"}
    assert "Budget exceeded: $2,400.00/day > $700 (3.43×). First fix: move the job to the data." in fs["over_budget"]


def test_d_filter_budget_message():
    """Filter + ship: 'Budget exceeded: $792.51/day > $700 (1.13×)', link 8.8 h passes."""
    view = run("D", {"plan": "filter_ship"})
    [f] = view["failures"]
    assert f["id"] == "over_budget"
    assert f["message"].startswith("Budget exceeded: $792.51/day > $700 (1.13×). First fix: move the job to the data.")
    assert close(view["raw"]["plan_link_h"], 0.33 * 120e12 / LINK_B_PER_S)


def test_d_move_job_passes():
    """Moving the job clears both failures: $640 ≤ $700, no link time."""
    view = run("D", {"plan": "move_job"})
    assert view["failures"] == [] and close(view["raw"]["plan_usd"], 640.0)


def test_d_chart_lines():
    """Cost-vs-volume lines: move job flat at $640, ship raw 0.02 $/GB × volume, budget line at $700."""
    chart = run("D")["charts"]["cost_vs_volume"]
    ship, _, move = chart["series"]
    assert [s["name"] for s in chart["series"]] == ["ship raw", "filter + ship", "move job"]
    assert close(ship["y"][-1], 200_000 * 0.02) and all(close(y, 640.0) for y in move["y"])
    assert chart["lines"][0]["y"] == 700 and chart["x"][-1] == pytest.approx(200.0)


def test_self_assessment_keep_fraction():
    """k = (640 − 0.13) / 600 > 1: filtering wins for any k ≤ 1."""
    k = (640 - 30e12 * 2000 * C_OP * 1.5) / 600
    assert k > 1
    assert f"= {k:.2f} > 1" in LAB.synthesis.self_assessment[2][1]


def test_instrument_defaults_on_grid():
    """Part B/D log sliders carry the spec's defaults (2,000 FLOP/B, 512 GPU-h, 10 Gb/s); Part C's edge ops 2.61e11."""
    b = {i.name: i for i in LAB.part("B").instruments}
    assert 2000 in b["filter_flop_per_byte"].steps and 512 in b["job_gpu_h_day"].steps
    assert 10 in b["link_gbps"].steps
    c = {i.name: i for i in LAB.part("C").instruments}
    assert c["model_ops_edge"].default == 8.7e9 * 30 and c["model_ops_edge"].max == 1e12
