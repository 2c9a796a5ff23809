"""engine.serving: M/M/1, M/D/1, Kingman, Erlang C, M/M/c tails, admission caps; numpy Monte-Carlo oracles."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import serving as Q


def _lindley_waits(inter, service):
    """Waiting times of a FCFS single server by Lindley's recursion, vectorised: W_n = C_n − min(0, min_k≤n C_k)."""
    x = service[:-1] - inter[1:]
    c = np.concatenate(([0.0], np.cumsum(x)))
    return c - np.minimum.accumulate(np.minimum(c, 0.0))


def _mmc_sim(lam, s, c, n, rng):
    """FCFS M/M/c: waits and response times of n arrivals (a small explicit loop over free-server times)."""
    arrivals = np.cumsum(rng.exponential(1 / lam, n))
    services = rng.exponential(s, n)
    free = np.zeros(c)
    waits = np.empty(n)
    for i in range(n):
        j = int(np.argmin(free))
        start = max(arrivals[i], free[j])
        waits[i] = start - arrivals[i]
        free[j] = start + services[i]
    return waits, waits + services


def test_mm1_multiples_of_s_fidelity_row_38():
    """T = S/(1 − ρ): 2S, 5S, 10S at ρ = 0.5, 0.8, 0.9; waits 1S, 4S, 9S."""
    for rho, t in ((0.5, 2), (0.8, 5), (0.9, 10)):
        r = Q.mm1_response_time(rho, 1.0)
        assert r.response_s == pytest.approx(t) and r.wait_s == pytest.approx(t - 1)


def test_mm1_p99_fidelity_row_38():
    """p99 = ln(100)·S/(1 − ρ): 9.2S at 0.5, 23S at 0.8."""
    assert Q.mm1_quantile(0.5, 1.0) == pytest.approx(math.log(100) / 0.5)
    assert Q.mm1_quantile(0.8, 1.0) == pytest.approx(math.log(100) / 0.2)


def test_mm1_little_and_safe_utilisation():
    """v1-13: at ρ = 0.8, L = 4 and L_q = 3.2; ρ* = 1 − 20·ln 100/250 = 0.632."""
    r = Q.mm1_response_time(0.8, 0.02)
    assert r.in_system == pytest.approx(4.0) and r.in_queue == pytest.approx(3.2)
    assert Q.littles_law(40.0, 0.1) == pytest.approx(4.0)
    assert Q.mm1_safe_utilization(0.02, 0.25) == pytest.approx(1 - 0.02 * math.log(100) / 0.25)


def test_mm1_unstable_is_a_value_with_a_sentence():
    """v1-13 A: ρ = 1.2 with S = 20 ms: arrivals 60 ≥ capacity 50 req/s, wait ∞, a sentence with the fix."""
    r = Q.mm1_response_time(1.2, 0.02)
    assert not r.stable and r.wait_s == math.inf
    assert r.message().startswith("Unstable queue: arrivals 60.0 req/s ≥ capacity 50.0 req/s (ρ = 1.20)")


def test_md1_is_half_mm1():
    """Pollaczek–Khinchine: deterministic service halves the wait (4S → 2S at ρ = 0.8)."""
    assert Q.md1_wait(0.8, 1.0) == pytest.approx(2.0)


def test_kingman_per_context():
    """v1-13 C: W_q/S = 4(c_a² + c_s²)/2: cloud 4.0, edge 0.5, mobile 2.08, tiny 0."""
    assert [Q.kingman_wait(0.8, 1.0, a, s) for a, s in ((1, 1), (0, 0.25), (1, 0.04), (0, 0))] == pytest.approx(
        [4.0, 0.5, 2.08, 0.0])


def test_erlang_c_fidelity_row_40():
    """ρ = 0.8: c = 1 → 0.80, W_q 4.0S; c = 4 → 0.596, 0.746S; c = 8 → 0.458, 0.286S."""
    got = [Q.mmc(0.8 * c, 1.0, c) for c in (1, 4, 8)]
    assert [round(q.p_wait, 3) for q in got] == [0.8, 0.596, 0.458]
    assert [round(q.wait_s, 3) for q in got] == [4.0, 0.746, 0.286]


def test_mmc_p99_v1_13():
    """v1-13 D: c = 4, 150 req/s, S = 20 ms → 120.1 ms; c = 7 at 300 req/s → 123.4 ms; mobile 307.0 ms."""
    assert Q.mmc_response_quantile(150, 0.02, 4) * 1e3 == pytest.approx(120.1, abs=0.05)
    assert Q.mmc_response_quantile(300, 0.02, 7) * 1e3 == pytest.approx(123.4, abs=0.05)
    assert Q.mmc_response_quantile(10, 0.04, 1) == pytest.approx(0.04 * math.log(100) / 0.6)


def test_mmc_one_server_tail_is_mm1():
    """With c = 1 the M/M/c tail is the M/M/1 exponential with rate (1 − ρ)/S."""
    for t in (0.0, 0.05, 0.3):
        assert Q.mmc_response_tail(t, 30, 0.02, 1) == pytest.approx(math.exp(-(1 - 0.6) * t / 0.02))


def test_admission_caps():
    """v1-13 D / v1-16 R1: c = 7 → 330.3 req/s; edge 83.5 req/s (shed 30.4 %); mobile 13.49 req/s (32.6 %)."""
    assert Q.admission_cap_for_slo(0.02, 7, 0.25).cap_per_s == pytest.approx(330.3, abs=0.05)
    edge = Q.admission_cap_for_slo(0.03, 3, 0.3, offered_per_s=120)
    assert edge.cap_per_s == pytest.approx(83.5, abs=0.05) and edge.shed_fraction == pytest.approx(0.304, abs=0.001)
    mob = Q.admission_cap_for_slo(0.04, 1, 0.4, offered_per_s=20)
    assert mob.cap_per_s == pytest.approx((1 - 0.04 * math.log(100) / 0.4) / 0.04)


def test_periodic_shed():
    """v1-13 D: tiny at ρ = 1.6 sheds 1 − 1/1.6 = 37.5 %."""
    assert Q.periodic_shed_fraction(16, 0.1) == pytest.approx(0.375)


def test_batching_amortises_fixed_cost():
    """Throughput of static batching tends to 1/t₁."""
    assert Q.batch_throughput(64, 1e-3, 1e-5).throughput_per_s == pytest.approx(64 / (1e-3 + 64e-5))


def test_mm1_monte_carlo_oracle():
    """Simulated M/M/1 mean wait and p99 response match ρS/(1 − ρ) and S·ln100/(1 − ρ) within a few %."""
    rng = np.random.default_rng(1)
    rho, s, n = 0.7, 1.0, 400_000
    inter = rng.exponential(s / rho, n)
    service = rng.exponential(s, n)
    w = _lindley_waits(inter, service)[20_000:]
    t = w + service[20_000:]
    assert w.mean() == pytest.approx(Q.mm1_response_time(rho, s).wait_s, rel=0.05)
    assert np.quantile(t, 0.99) == pytest.approx(Q.mm1_quantile(rho, s), rel=0.05)


def test_md1_monte_carlo_oracle():
    """Simulated M/D/1 mean wait matches ρS/(2(1 − ρ))."""
    rng = np.random.default_rng(2)
    rho, n = 0.8, 400_000
    w = _lindley_waits(rng.exponential(1 / rho, n), np.ones(n))[20_000:]
    assert w.mean() == pytest.approx(Q.md1_wait(rho, 1.0), rel=0.06)


def test_mmc_monte_carlo_oracle():
    """Simulated M/M/4 at ρ = 0.8: P(wait), mean wait and p99 response match Erlang C and the tail formula."""
    rng = np.random.default_rng(3)
    waits, resp = _mmc_sim(3.2, 1.0, 4, 120_000, rng)
    waits, resp = waits[5_000:], resp[5_000:]
    q = Q.mmc(3.2, 1.0, 4)
    assert (waits > 0).mean() == pytest.approx(q.p_wait, abs=0.03)
    assert waits.mean() == pytest.approx(q.wait_s, rel=0.1)
    assert np.quantile(resp, 0.99) == pytest.approx(Q.mmc_response_quantile(3.2, 1.0, 4), rel=0.06)


@given(st.floats(0.01, 0.98), st.floats(0.01, 0.98))
def test_mm1_monotone_in_utilisation(r1, r2):
    """Higher utilisation never shortens response time or its p99."""
    lo, hi = sorted((r1, r2))
    assert Q.mm1_response_time(lo, 1).response_s <= Q.mm1_response_time(hi, 1).response_s
    assert Q.mm1_quantile(lo, 1) <= Q.mm1_quantile(hi, 1)


@given(st.integers(1, 30), st.floats(0.05, 0.95))
def test_pooling_never_hurts(c, rho):
    """At equal per-server utilisation, more pooled servers never wait longer on average."""
    assert Q.mmc(rho * (c + 1), 1, c + 1).wait_s <= Q.mmc(rho * c, 1, c).wait_s + 1e-12


@given(st.integers(1, 20), st.floats(0.0, 0.99))
def test_erlang_c_is_a_probability(c, rho):
    """Erlang C lies in [0, 1] and is zero with no load."""
    p = Q.erlang_c(c, rho * c)
    assert 0.0 <= p <= 1.0
    assert Q.erlang_c(c, 0.0) == 0.0
