"""engine.training and engine.sustainability: 6ND, run time, MFU, bubbles, collectives, failures, energy; oracles."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import sustainability as Z
from engine import training as T


def test_6nd_and_run_time_v1_08():
    """v1-08 D: 6·7e9·1e9 / (8·989e12·0.4) = 3.69 h; full recompute × 4/3."""
    rt = T.run_time(7e9, 1e9, 8, 989e12, 0.4)
    assert rt.total_s == 6 * 7e9 * 1e9 / (8 * 989e12 * 0.4)
    assert rt.total_s / 3600 == pytest.approx(3.69, abs=0.005)
    assert T.run_time(7e9, 1e9, 8, 989e12, 0.4, True).total_s == pytest.approx(rt.total_s * 4 / 3)


def test_megatron_time_rule():
    """8·300e9·175e9 / (1,024·140e12) s = 33.9 days."""
    assert T.megatron_time(300e9, 175e9, 1024, 140e12) / 86400 == pytest.approx(33.9, abs=0.05)


def test_pipeline_bubble():
    """(p − 1)/m: p = 8, m = 32 → 21.9 %; interleaving v = 2 halves it."""
    assert T.pipeline_bubble_fraction(8, 32) == 7 / 32
    assert T.pipeline_bubble_fraction(8, 32, 2) == 7 / 64


def test_ring_factors():
    """2(N − 1)/N: 1.0 at 2, 1.75 at 8, 1.97 at 64; reduce-scatter (N − 1)/N."""
    assert [T.ring_factor(n) for n in (2, 8, 64)] == [1.0, 1.75, 2 * 63 / 64]
    assert T.ring_factor(8, "reduce_scatter") == 7 / 8


def test_collective_time_alpha_beta():
    """All-reduce of 1 GB over 8 ranks at 50 GB/s with α = 5 µs: 14α + 1.75 × 0.02 s."""
    assert T.collective_time(1e9, 8, 50e9, 5e-6) == pytest.approx(14 * 5e-6 + 1.75 * 1e9 / 50e9)


def test_mtbf_and_failure_shares():
    """Llama 3: 16,384 × 54 × 24 h / 419 = 50,678 GPU-h; faulty GPU 148/419 = 35.3 %."""
    assert T.mtbf_per_component(16384, 54 * 86400, 419) / 3600 == pytest.approx(16384 * 54 * 24 / 419)
    shares = T.failure_shares({"faulty_gpu": 148, "other": 271})
    assert shares["faulty_gpu"] == pytest.approx(148 / 419)


def test_energy_gpt3_patterson():
    """GPT-3: 10,000 × 14.8 × 24 h × 330 W × 1.1 = 1,289 MWh."""
    f = Z.training_energy(10000 * 14.8 * 24, 330, 1.1)
    assert f.total_energy_j / 3.6e9 == pytest.approx(10000 * 14.8 * 24 * 330 * 1.1 / 1e6)
    assert f.total_energy_j == f.it_energy_j + f.overhead_energy_j


def test_strubell_formula():
    """Strubell eq. 1–2: 1.58 × 79 h × 12,041.51 W / 1000 kWh × 0.954 lb/kWh."""
    kwh = Z.strubell_energy_kwh(79, 12041.51)
    assert kwh == pytest.approx(1.58 * 79 * 12041.51 / 1000)
    assert Z.strubell_co2_lbs(kwh) == pytest.approx(kwh * 0.954)


def test_p_no_failure_monte_carlo_oracle():
    """Simulated exponential lifetimes: P(no component fails in t) matches exp(−n·t/MTBF)."""
    rng = np.random.default_rng(4)
    n, mtbf, t = 64, 1000.0, 10.0
    first = rng.exponential(mtbf, size=(40_000, n)).min(axis=1)
    assert (first > t).mean() == pytest.approx(T.p_no_failure(n, mtbf, t), abs=0.01)


def test_young_daly_brute_force():
    """Brute-force minimum of the exact expected time per unit of work lies within 3 % of √(2δM) when δ ≪ M."""
    delta, mtbf = 60.0, 24 * 3600.0
    taus = np.linspace(100, 20000, 40_000)
    exact = mtbf * np.expm1((taus + delta) / mtbf) / taus  # Daly 2006, no restart cost
    best = taus[int(np.argmin(exact))]
    assert best == pytest.approx(T.young_daly_interval(delta, mtbf), rel=0.03)
    grid_best = taus[int(np.argmin([T.checkpoint_overhead(x, delta, mtbf) for x in taus[::100]])) * 100]
    assert grid_best == pytest.approx(T.young_daly_interval(delta, mtbf), rel=0.01)


@given(st.floats(1e6, 1e12), st.floats(1e6, 1e13), st.integers(1, 10000), st.floats(0.05, 0.9))
def test_run_time_scales_inversely_with_devices(n, d, g, m):
    """Doubling devices halves run time; parts add to the total."""
    a = T.run_time(n, d, g, 1e15, m)
    assert T.run_time(n, d, 2 * g, 1e15, m).total_s == pytest.approx(a.total_s / 2)
    assert a.total_s == a.compute_s + a.recompute_s


@given(st.integers(1, 10_000), st.floats(1, 1e7), st.floats(0, 1e5))
def test_p_no_failure_monotone(n, mtbf, t):
    """More components or longer runs never raise the chance of an uninterrupted run."""
    assert T.p_no_failure(n + 1, mtbf, t) <= T.p_no_failure(n, mtbf, t) + 1e-15
    assert 0 <= T.p_no_failure(n, mtbf, t) <= 1
    assert T.p_no_failure(n, mtbf, 0) == 1.0
    assert not math.isnan(T.p_no_failure(n, mtbf, t))
