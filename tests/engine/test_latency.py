"""engine.latency: iron law, Amdahl, Gustafson, transformer FLOPs, prefill, frame time, USL, frame plans."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import latency as L
from engine.errors import EngineInputError

R50_FLOP = 2 * 4_089_184_256
R50_BYTES = (25_557_032 + 28_404_712) * 2
P_L = 4 * 4096**2 + 3 * 4096 * 11008


def test_stream_time_mobile_default():
    """v1-00: 2.0e9 B / 51.2e9 B/s = 39.0625 ms."""
    assert L.stream_time(2.0e9, 51.2e9) == 2.0e9 / 51.2e9


def test_iron_law_cloud_resnet50():
    """v1-02 A: T_c = 8.178e9/(989e12·0.5) = 16.54 µs, T_m = 107.92e6/3.35e12 = 32.22 µs, L = 49 µs, T = 97.75 µs."""
    il = L.iron_law(R50_FLOP, 989e12, 0.5, R50_BYTES, 3.35e12, 56 * 0.875e-6)
    assert il.compute_s == R50_FLOP / (989e12 * 0.5)
    assert il.memory_s == R50_BYTES / 3.35e12
    assert il.total_s * 1e6 == pytest.approx(97.75, abs=0.01)
    assert il.bound == "overhead"


def test_iron_law_2x_compute_speedup_1_09():
    """v1-02 A: 97.75 / 89.49 = 1.09×, and Amdahl with f_c = 0.169 agrees."""
    a = L.iron_law(R50_FLOP, 989e12, 0.5, R50_BYTES, 3.35e12, 49e-6)
    b = L.iron_law(R50_FLOP, 2 * 989e12, 0.5, R50_BYTES, 3.35e12, 49e-6)
    assert a.total_s / b.total_s == pytest.approx(1.092, abs=0.001)
    assert L.amdahl_speedup(1 - a.compute_fraction, 2) == pytest.approx(a.total_s / b.total_s)


def test_iron_law_edge_and_mobile():
    """v1-02 C: edge 384.85 + 526.97 + 49 = 960.82 µs; mobile 934.63 + 2,107.88 + 560 = 3,602.51 µs."""
    edge = L.iron_law(R50_FLOP, 42.5e12, 0.5, R50_BYTES, 204.8e9, 49e-6)
    mob = L.iron_law(R50_FLOP, 17.5e12, 0.5, R50_BYTES, 51.2e9, 560e-6)
    # the spec rounds O to 8.178e9 FLOP; the exact layer count (8.178368e9) moves edge by 0.015 µs
    assert edge.total_s * 1e6 == pytest.approx(960.82, abs=0.05)
    assert mob.total_s * 1e6 == pytest.approx(3602.51, abs=0.05)


def test_iron_law_perfect_overlap_hides_compute():
    """v1-02 A: overlap gives max(16.54, 32.22) + 49 = 81.22 µs and 2× compute buys exactly 1.00×."""
    a = L.iron_law(R50_FLOP, 989e12, 0.5, R50_BYTES, 3.35e12, 49e-6, overlap=True)
    b = L.iron_law(R50_FLOP, 2 * 989e12, 0.5, R50_BYTES, 3.35e12, 49e-6, overlap=True)
    assert a.total_s == R50_BYTES / 3.35e12 + 49e-6
    assert a.total_s == b.total_s


def test_iron_law_resolution_256_edge_half_overhead_fails():
    """v1-02 D: edge at 256 px with ½ overhead is 1,139.04 µs > 1,000 µs."""
    s = (256 / 224) ** 2
    t = L.iron_law(R50_FLOP * s, 42.5e12, 0.5, (25_557_032 + 28_404_712 * s) * 2, 204.8e9, 24.5e-6)
    assert t.total_s * 1e6 == pytest.approx(1139.04, abs=0.05)  # spec rounds O to 8.178e9


def test_amdahl_fidelity_anchors():
    """Fidelity row 43: f = 0.05 → 5.93× at 8, 19.64× at 1,024, limit 20×."""
    assert L.amdahl_speedup(0.05, 8) == 1 / (0.05 + 0.95 / 8)
    assert L.amdahl_speedup(0.05, 1024) == pytest.approx(19.64, abs=0.005)
    assert L.amdahl_limit(0.05) == pytest.approx(20)
    assert L.amdahl_limit(0) == math.inf


def test_gustafson_and_conversion_agree():
    """v1-12 B: 1,024 − 0.05·1,023 = 972.85; Amdahl with f = s/(s + (1 − s)N) gives the same."""
    assert L.gustafson_speedup(0.05, 1024) == 1024 - 0.05 * 1023
    f = L.serial_fraction_convert(0.05, 1024)
    assert f == pytest.approx(0.05 / (0.05 + 0.95 * 1024))
    assert L.amdahl_speedup(f, 1024) == pytest.approx(972.85)


def test_transformer_flops_4k_and_ratio():
    """v1-06 A: at 4,096 tokens F = 5.3051e13 + 8.7961e12 + 1.0737e12; 8K/4K = 2.28×."""
    f4 = L.transformer_flops(4096, 32, 4096, P_L, 32000)
    assert f4.linear_flop == 32 * 2 * 4096 * 202_375_168
    assert f4.attention_flop == 32 * 4 * 4096**2 * 4096
    assert f4.head_flop == 2 * 4096 * 32000 * 4096
    f8 = L.transformer_flops(8192, 32, 4096, P_L, 32000)
    assert f8.total_flop / f4.total_flop == pytest.approx(2.28, abs=0.005)


def test_layer_params_and_crossover():
    """v1-06: P_l = 4·4096² + 3·4096·11,008 = 202,375,168; n* = P_l/(2d) = 24,704."""
    assert L.layer_matrix_params(4096, 11008, 3) == 202_375_168
    assert L.attention_crossover_tokens(202_375_168, 4096) == 24_704


def test_prefill_32k_causal_skip():
    """v1-06 D: 9.9595e14 / 4.945e14 = 2.014 s; causal skip 7.1448e14 → 1.445 s."""
    full = L.transformer_flops(32768, 32, 4096, P_L, 32000)
    skip = L.transformer_flops(32768, 32, 4096, P_L, 32000, causal_skip=True)
    assert L.prefill_time(full.total_flop, 989e12, 0.5) == pytest.approx(2.014, abs=0.001)
    assert L.prefill_time(skip.total_flop, 989e12, 0.5) == pytest.approx(1.445, abs=0.001)


def test_window_attention_passes():
    """v1-06 D: a 4,096-token window gives 1.018 s."""
    w = L.transformer_flops(32768, 32, 4096, P_L, 32000, window=4096)
    assert L.prefill_time(w.total_flop, 989e12, 0.5) == pytest.approx(1.018, abs=0.001)


def test_max_prefill_tokens_time_wall():
    """v1-06 C: 10 s budgets give cloud 85,329, edge 11,149, mobile 5,445 tokens."""
    got = [L.max_prefill_tokens(10, p, 0.5, 32, 4096, P_L, 32000) for p in (989e12, 42.5e12, 17.5e12)]
    assert got == [85_329, 11_149, 5_445]


def test_frame_time_cloud_retrograde():
    """v1-12 C: T(132) = 5 + 95/132 + 0.01·131 = 7.030 ms → 14.23×; N* = 97 → 14.41×."""
    t = L.frame_time(5e-3, 95e-3, 132, 10e-6)
    assert t.total_s == pytest.approx(5e-3 + 95e-3 / 132 + 10e-6 * 131)
    assert 0.1 / t.total_s == pytest.approx(14.23, abs=0.005)
    assert L.optimal_lanes(95e-3, 10e-6, 132) == 97
    assert 0.1 / L.frame_time(5e-3, 95e-3, 97, 10e-6).total_s == pytest.approx(14.41, abs=0.005)


def test_usl_equals_frame_time_model():
    """Gunther's USL with σ = T_s/T₁ and κ = c/T₁ equals T(1)/T(N) of the frame model."""
    for n in (1, 2, 16, 97, 132):
        t = L.frame_time(5e-3, 95e-3, n, 10e-6).total_s
        assert L.usl_speedup(n, 0.05, 1e-4) == pytest.approx(0.1 / t, rel=1e-12)


def test_plan_frame_budget_per_context():
    """v1-12 D: cloud serial 2 ms (3 wk, 3.94 ms); edge detector × 0.6 (2 wk, 8.71 ms); tiny 33.51 ms."""
    cloud = L.plan_frame_budget(132, 5e-3)
    assert (cloud.serial_s, cloud.weeks, cloud.lanes) == (2e-3, 3.0, 97)
    assert cloud.frame.total_s * 1e3 == pytest.approx(3.94, abs=0.005)
    edge = L.plan_frame_budget(16, 10e-3)
    assert (edge.detector_scale, edge.weeks) == (0.6, 2.0)
    assert edge.frame.total_s == pytest.approx(5e-3 + 57e-3 / 16 + 0.15e-3)
    tiny = L.plan_frame_budget(2, 50e-3)
    assert tiny.frame.total_s == pytest.approx(33.51e-3)


def test_plan_frame_budget_infeasible_is_a_value():
    """An impossible deadline returns feasible False, not an exception."""
    assert not L.plan_frame_budget(1, 1e-3).feasible


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan")])
def test_amdahl_rejects_bad_fraction(bad):
    """A serial fraction outside [0, 1] raises the house error."""
    with pytest.raises(EngineInputError, match="`serial_fraction` must be a fraction"):
        L.amdahl_speedup(bad, 8)


@given(st.floats(0, 1), st.floats(1, 1e6), st.floats(1, 1e6))
def test_amdahl_monotone_and_bounded(f, n1, n2):
    """More lanes never slow Amdahl down, and it never beats N or 1/f."""
    lo, hi = sorted((n1, n2))
    assert L.amdahl_speedup(f, lo) <= L.amdahl_speedup(f, hi) * (1 + 1e-12)
    assert L.amdahl_speedup(f, hi) <= hi * (1 + 1e-12)
    if f > 0:
        assert L.amdahl_speedup(f, hi) <= 1 / f * (1 + 1e-12)


@given(st.floats(1e6, 1e15), st.floats(1e12, 1e16), st.floats(0.01, 1), st.floats(1e3, 1e12), st.floats(1e9, 1e13),
       st.floats(0, 1e-3), st.booleans())
def test_iron_law_parts_add_up(o, r, eta, d, bw, lat, overlap):
    """Exposed compute + exposed memory + overhead is the total; overlap never makes it slower."""
    il = L.iron_law(o, r, eta, d, bw, lat, overlap)
    assert il.total_s == pytest.approx(il.exposed_compute_s + il.exposed_memory_s + il.overhead_s)
    assert L.iron_law(o, r, eta, d, bw, lat, True).total_s <= L.iron_law(o, r, eta, d, bw, lat, False).total_s


@given(st.integers(1, 200_000), st.integers(1, 200_000))
def test_transformer_flops_monotone(n1, n2):
    """More tokens never cost fewer FLOPs, and parts add up."""
    lo, hi = sorted((n1, n2))
    a = L.transformer_flops(lo, 32, 4096, P_L, 32000)
    assert a.total_flop == a.linear_flop + a.attention_flop + a.head_flop
    assert a.total_flop <= L.transformer_flops(hi, 32, 4096, P_L, 32000).total_flop
