"""engine.roofline: ridge points, GEMM times, crossover batch, regimes, upgrades and decode steps."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import roofline as R
from engine.errors import EngineInputError


def test_ridge_points_fidelity_row_5():
    """H100 9.89e14/3.35e12 ≈ 295; TPU v5e 1.97e14/8.2e11 ≈ 240; A100 312e12/2.039e12 ≈ 153."""
    assert R.ridge_point(9.89e14, 3.35e12) == pytest.approx(295.2, abs=0.1)
    assert R.ridge_point(1.97e14, 8.2e11) == pytest.approx(240.2, abs=0.1)
    assert R.ridge_point(312e12, 2.039e12) == pytest.approx(153.0, abs=0.1)


def test_gemm_batch1_cloud_memory_bound():
    """v1-11 A: F = 90,177,536, D = 90,207,744 B, t = D/3.35e12 = 26.93 µs, memory-bound."""
    k = R.gemm_time(1, 4096, 11008, 2, 989e12, 3.35e12)
    assert k.flop == 2 * 4096 * 11008
    assert k.bytes_moved == 2 * (4096 * 11008 + 4096 + 11008)
    assert k.total_s == k.bytes_moved / 3.35e12
    assert k.bound == "memory"
    assert R.classify_regime(k.intensity, R.ridge_point(989e12, 3.35e12)) == "memory"


def test_gemm_tiny_compute_bound():
    """v1-11 A: tiny 256×256 INT8: 131,072 op / 1.92e9 = 68.3 µs, compute-bound (memory 34.4 µs)."""
    k = R.gemm_time(1, 256, 256, 1, 1.92e9, 1.92e9)
    assert k.compute_s == 131_072 / 1.92e9
    assert k.bound == "compute"


def test_crossover_batch_cloud_and_tiny():
    """v1-11 B: B* = R·b·KN/(2KN − R·b·(K + N)) = 327.6 on cloud; 0.50 on tiny."""
    r = 989e12 / 3.35e12
    expected = r * 2 * 4096 * 11008 / (2 * 4096 * 11008 - r * 2 * (4096 + 11008))
    assert R.crossover_batch(4096, 11008, 2, 989e12, 3.35e12) == pytest.approx(expected)
    assert expected == pytest.approx(327.6, abs=0.05)
    assert R.crossover_batch(256, 256, 1, 1.92e9, 1.92e9) == pytest.approx(65536 / (131072 - 512))


def test_upgrade_speedup_below_ridge():
    """v1-11 B: at B = 1, 2× compute buys nothing and 2× bandwidth buys 2×."""
    assert R.upgrade_speedup(1, 4096, 11008, 2, 989e12, 3.35e12, compute_scale=2) == 1.0
    assert R.upgrade_speedup(1, 4096, 11008, 2, 989e12, 3.35e12, bandwidth_scale=2) == pytest.approx(2.0)


def test_decode_step_cloud_4bit_batch64():
    """v1-11 D: 3.6 GiB + 64 × 2,048 × 524,288 B = 72.58 GB, 21.67 ms, 2,954 tok/s, feasible."""
    w = 3.6 * 2**30
    kv = 2048 * 524_288
    d = R.decode_step(64, w, kv, 6.738e9, 989e12, 3.35e12, 80e9, 0.05)
    assert d.total_bytes == w + 64 * kv
    assert d.step_s == (w + 64 * kv) / 3.35e12
    assert d.tokens_per_s == pytest.approx(2954, abs=1)
    assert d.feasible and d.bound == "memory"


def test_decode_step_batch96_capacity_binds():
    """v1-11 D: batch 96 needs 106.9 GB > 80 GB → capacity."""
    d = R.decode_step(96, 3.6 * 2**30, 2048 * 524_288, 6.738e9, 989e12, 3.35e12, 80e9, 0.05)
    assert d.binding == "capacity" and "Memory" in d.message()


def test_decode_step_edge_fp16_latency_binds():
    """v1-11 D: edge FP16 batch 1: 14.50 GB / 204.8 GB/s = 70.8 ms > 50 ms → bandwidth."""
    d = R.decode_step(1, 12.5 * 2**30, 2048 * 524_288, 6.738e9, 42.5e12, 204.8e9, 64e9, 0.05)
    assert d.step_s * 1e3 == pytest.approx(70.8, abs=0.05)
    assert d.binding == "bandwidth"


def test_attainable_is_min_of_roofs():
    """Below the ridge attainable = I·BW; above it = peak."""
    assert R.attainable(1.0, 989e12, 3.35e12) == 3.35e12
    assert R.attainable(1e4, 989e12, 3.35e12) == 989e12


def test_bad_bandwidth_raises():
    """Zero bandwidth raises the house error."""
    with pytest.raises(EngineInputError, match="`bandwidth_bytes_per_s` must be a positive number"):
        R.ridge_point(1e12, 0)


@given(st.integers(1, 4096), st.integers(1, 4096))
def test_time_per_token_never_rises_with_batch(b1, b2):
    """Time per token of a GEMM never increases with batch."""
    lo, hi = sorted((b1, b2))
    a = R.gemm_time(lo, 4096, 11008, 2, 989e12, 3.35e12)
    b = R.gemm_time(hi, 4096, 11008, 2, 989e12, 3.35e12)
    assert b.total_s / hi <= a.total_s / lo * (1 + 1e-12)
