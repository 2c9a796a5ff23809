"""engine.responsible: binormal rates, equalising thresholds, DP-SGD memory, accuracy lookup, guardrails."""

from statistics import NormalDist

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import responsible as P

PHI = NormalDist().cdf


def test_single_threshold_gap():
    """v1-15 A: FAR 1 − Φ(2) = 2.28 % for both; delays Φ(−1) = 15.87 % vs Φ(−0.2) = 42.07 % → 26.2 points."""
    a, b = P.binormal_rates(2.0, 3.0), P.binormal_rates(2.0, 2.2)
    assert a.far == b.far == pytest.approx(1 - PHI(2.0))
    assert (b.frr - a.frr) * 100 == pytest.approx((PHI(-0.2) - PHI(-1.0)) * 100)
    assert round((b.frr - a.frr) * 100, 1) == 26.2


def test_equalize_delay_rates():
    """v1-15 B: t_B = 2.2 − (3.0 − 2.0) = 1.2 and FAR_B = 1 − Φ(1.2) = 11.51 %."""
    t_b = P.equalize_rate(2.0, 3.0, 2.2)
    assert t_b == pytest.approx(1.2)
    assert P.binormal_rates(t_b, 2.2).far == pytest.approx(1 - PHI(1.2))


def test_dpsgd_memory_and_lookup():
    """v1-15 C: 600 × 71,010 × 4 B = 170.4 MB; ε = 2 → 95 %; ε = 4 is not in the table."""
    assert P.dpsgd_memory(600, 71_010) == 600 * 71_010 * 4
    assert P.dp_accuracy_lookup("2").accuracy == pytest.approx(0.95)
    assert P.dp_accuracy_lookup("4").accuracy is None


def test_policy_guardrails_default_and_b():
    """v1-15 D: default ε/yr 24, reviews 5,210/day; policy (b) ε/yr 8, gap 0, 3,827/day, 52.3 wrong credits, 15.2×."""
    d = P.policy_guardrails()
    assert d.epsilon_per_year == 24 and round(d.reviews_per_day) == 5210 and not d.passes
    b = P.policy_guardrails("equal_delay", 2.0, "8", 1)
    assert b.epsilon_per_year == 8 and b.delay_gap_points == pytest.approx(0, abs=1e-9)
    assert round(b.reviews_per_day) == 3827 and round(b.wrong_credits_per_day, 1) == 52.3
    assert round(b.harm_ratio_b_over_a, 1) == 15.2 and b.passes


def test_policy_d_overloads_review():
    """v1-15 D: ε = 0.5 monthly with group thresholds needs 5,354 reviews/day ≥ 4,500."""
    g = P.policy_guardrails("equal_delay", 2.0, "0.5", 12)
    assert round(g.reviews_per_day) == 5354 and g.binding == "review capacity" and "backlog" in g.message()


@given(st.floats(-3, 6), st.floats(-3, 6), st.floats(0, 4))
def test_threshold_trades_errors(t1, t2, d):
    """Raising the threshold never raises false accepts and never lowers false rejects."""
    lo, hi = sorted((t1, t2))
    a, b = P.binormal_rates(lo, d), P.binormal_rates(hi, d)
    assert b.far <= a.far + 1e-15 and b.frr >= a.frr - 1e-15
