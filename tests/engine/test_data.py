"""engine.data and engine.economics: exchange rates, placements, DataComp lookups, plan costs, source filtering."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import data as D
from engine import economics as E

C_OP = 2.50 / 3600 / (989e12 * 0.5)


def test_price_per_flop_cloud():
    """v1-04 A: 2.50/3600/(989e12 × 0.5) = 1.4043e-18 $/FLOP."""
    assert E.price_per_flop(2.5, 989e12, 0.5) == pytest.approx(C_OP)
    assert C_OP == pytest.approx(1.4043e-18, rel=1e-4)


def test_exchange_rate_cloud():
    """v1-04 A: 2e-11 / 1.4043e-18 = 1.424e7 FLOP/B."""
    assert D.exchange_rate(0.02 / 1e9, C_OP) == pytest.approx(1.424e7, rel=1e-3)


def test_radio_energy_per_byte():
    """v1-04 A: BLE 8 × 6.4 mA × 3.0 V / (1e6 × 0.5) = 307.2 nJ/B; LTE 8 × (438.39·6 + 1288.04) mW / 6e6 = 5.2245 µJ/B."""
    assert D.radio_energy_per_byte("ble") == pytest.approx(8 * 6.4e-3 * 3.0 / (1e6 * 0.5))
    assert D.radio_energy_per_byte("lte") == pytest.approx(8 * (438.39 * 6 + 1288.04) * 1e-3 / 6e6)


def test_device_exchange_rates():
    """v1-04 A: edge 5.2245 µJ / 1.4118 pJ = 3.70e6; mobile 1.83e7; tiny 307.2 nJ / 0.3125 nJ = 983."""
    lte = 8 * (438.39 * 6 + 1288.04) * 1e-3 / 6e6
    assert D.exchange_rate(lte, D.device_energy_per_op("edge")) == pytest.approx(lte / (60 / (85e12 * 0.5)))
    assert D.exchange_rate(lte, D.device_energy_per_op("mobile")) == pytest.approx(1.83e7, rel=2e-3)
    assert D.exchange_rate(D.radio_energy_per_byte("ble"), D.device_energy_per_op("tiny")) == pytest.approx(983.04)


def test_compare_placement_30tb():
    """v1-04 B: ship $600 (6.67 h), move $640, filter $0.13 + $198.00 = $198.13; break-even 6.36e6 FLOP/B."""
    p = D.compare_placement(30e12, 2e-11, C_OP, 0.33, 2000, 512, 2.5, 0.5, 10e9 / 8)
    assert p.ship_raw.total_usd == pytest.approx(600)
    assert p.ship_raw.link_s_per_day == pytest.approx(30e12 * 8 / 1e10)
    assert p.move_job.total_usd == pytest.approx(512 * 2.5 * 0.5)
    assert p.filter_ship.total_usd == pytest.approx(30e12 * 2000 * C_OP * 1.5 + 0.33 * 30e12 * 2e-11)
    assert p.cheapest.name == "filter + ship"
    assert p.break_even_flop_per_byte == pytest.approx(0.67 * 2e-11 / (C_OP * 1.5))


def test_compare_placement_120tb_failures():
    """v1-04 D: ship raw saturates the link (26.7 h); filter $792.51 > $700; move job $640 is the pick."""
    p = D.compare_placement(120e12, 2e-11, C_OP, 0.33, 2000, 512, 2.5, 0.5, 10e9 / 8, 700)
    assert "Link saturated" in p.message(p.ship_raw, 10e9 / 8)
    assert "Budget exceeded: $792.51/day" in p.message(p.filter_ship, 10e9 / 8)
    assert p.cheapest.name == "move job"


def test_crossover_volume():
    """v1-04 D: 640 / (0.33·2e-11 + 2000·1.4043e-18·1.5) = 9.69e13 B = 96.9 TB/day."""
    v = D.crossover_volume(640, 0.33, 2e-11, 2000, C_OP, 0.5)
    assert v == pytest.approx(640 / (0.33 * 2e-11 + 2000 * C_OP * 1.5))
    assert v / 1e12 == pytest.approx(96.9, abs=0.05)


def test_compare_local_tiny():
    """v1-04 C: 6,000 × 307.2 nJ = 1.843 mW vs 0.5e6 × 0.3125 nJ + 16 × 307.2 nJ = 0.161 mW → 11.4×."""
    r = D.compare_local(6000, 0.5e6, 16, 307.2e-9, 0.3125e-9)
    assert r.stream_raw == pytest.approx(6000 * 307.2e-9)
    assert r.compute_local == pytest.approx(0.5e6 * 0.3125e-9 + 16 * 307.2e-9)
    assert r.ratio == pytest.approx(11.44, abs=0.01)


def test_selection_accuracy_and_unmeasured():
    """v1-09 A: T[medium, CLIP30, ImageNet] = 27.25; image ∩ CLIP at small is not measured."""
    assert D.selection_accuracy("medium", "clip30").accuracy_pct == 27.25
    s = D.selection_accuracy("small", "image_clip")
    assert s.accuracy_pct is None and "not measured" in s.note


def test_repetition_factor():
    """v1-09 A: 128 M / (0.3 × 128 M) = 3.33."""
    assert D.repetition_factor(128e6, 128e6, 0.3) == pytest.approx(1 / 0.3)


def test_plan_costs_v1_09():
    """v1-09 B: baseline $15.94 + $103.50 = $119.44; image ∩ CLIP +$63.03; 1.28 B raw $1,478.17 (989 TFLOP/s)."""
    usd = 2.5 / 3600 / (989e12 * 0.25)
    base = D.plan_cost("medium", "none", peak_flop_per_s=989e12)
    assert base.training_usd == pytest.approx(3 * 14.78e9 * 128e6 * usd)
    assert base.storage_usd == pytest.approx(4.5 * 23)
    assert base.total_usd == pytest.approx(119.44, abs=0.01)
    cur = D.plan_cost("medium", "image_clip", peak_flop_per_s=989e12)
    assert cur.scoring_usd == pytest.approx(175.33e9 * 128e6 * usd)
    assert cur.total_usd == pytest.approx(182.47, abs=0.01)
    assert D.plan_cost("large", "none", peak_flop_per_s=989e12).total_usd == pytest.approx(1478.17, abs=0.01)
    shared = D.plan_cost("medium", "image_clip", runs_sharing_scores=4, peak_flop_per_s=989e12)
    assert shared.total_usd == pytest.approx(135.20, abs=0.01)


def test_curation_value_ratio_9x():
    """v1-09 B: (12.17/63.03) / (28.38/1,358.73) = 9.24×."""
    base = D.plan_cost("medium", "none", peak_flop_per_s=989e12).total_usd
    cur = D.plan_cost("medium", "image_clip", peak_flop_per_s=989e12).total_usd
    big = D.plan_cost("large", "none", peak_flop_per_s=989e12).total_usd
    ratio = D.marginal_accuracy_per_dollar(29.72 - 17.55, cur - base) / D.marginal_accuracy_per_dollar(
        45.93 - 17.55, big - base)
    assert ratio == pytest.approx(9.24, abs=0.01)


def test_source_filter_feasibility():
    """v1-09 C: 427.62e6 × 2 B = 855.2 MB; cloud 175.33e9/(989.5e12 × 0.25) s; tiny does not fit."""
    cloud = D.source_filter_feasibility("cloud", 427.62e6, 16, 175.33e9)
    assert cloud.fits and cloud.time_per_pair_s == pytest.approx(175.33e9 / (989.5e12 * 0.25))
    assert cloud.energy_per_pair_j == pytest.approx(700 * cloud.time_per_pair_s)
    tiny = D.source_filter_feasibility("tiny", 427.62e6, 16, 175.33e9)
    assert not tiny.fits and "408×" in tiny.message()


def test_plan_evaluate_default_fails_target():
    """v1-09 D: 128 M raw reaches 25.80 % < 31 % → target; image ∩ CLIP 32.81 % for ≤ $200 passes."""
    assert D.plan_evaluate("medium", "none", 200, 31).binding == "target"
    assert D.plan_evaluate("medium", "image_clip", 200, 31).feasible
    assert D.plan_evaluate("large", "none", 200, 31).binding == "budget"


def test_run_cost_v1_08():
    """v1-08 D: 8 GPUs × 3.69 h × $2.50 = $73.73."""
    t = 6 * 7e9 * 1e9 / (8 * 989e12 * 0.4)
    assert E.run_cost(t, 8, 2.5).total_usd == pytest.approx(8 * t / 3600 * 2.5)
    assert E.run_cost(t, 8, 2.5).total_usd == pytest.approx(73.73, abs=0.01)


@given(st.floats(1e9, 1e15), st.floats(0, 1), st.floats(10, 1e7))
def test_filter_cost_parts_add_and_grow_with_volume(v, k, i):
    """Placement totals are sums of compute and movement, and grow with volume."""
    a = D.compare_placement(v, 2e-11, C_OP, k, i, 512, 2.5, 0.5, 1.25e9)
    b = D.compare_placement(2 * v, 2e-11, C_OP, k, i, 512, 2.5, 0.5, 1.25e9)
    for o in a.options:
        assert o.total_usd == o.compute_usd + o.movement_usd
    assert b.filter_ship.total_usd >= a.filter_ship.total_usd


def test_pipeline_bound_by_slowest_stage():
    """Storage 2 GB/s ÷ 110 kB = 18,182/s; 16 workers ÷ 4 ms = 4,000/s; accelerator 3,000/s → accelerator-bound."""
    p = D.pipeline_throughput(110e3, 2e9, 4e-3, 16, 3000)
    assert (p.storage_per_s, p.preprocess_per_s, p.throughput_per_s, p.bound) == (2e9 / 110e3, 4000, 3000,
                                                                                 "accelerator")
    assert D.pipeline_throughput(110e3, 2e9, 4e-3, 8, 3000).bound == "preprocessing"


def test_cost_per_million_tokens():
    """$2.50/h at 2,954 tok/s: 2.5/3600/2,954 × 1e6 = $0.235 per million tokens."""
    assert E.cost_per_million_tokens(2.5, 2954) == pytest.approx(2.5 / 3600 / 2954 * 1e6)
