"""engine.ops: mixture accuracy, drift timeline, labelled view, sample sizes, detection days, policy cost."""

import math
from statistics import NormalDist

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import ops as O


def test_mixture_accuracy_friday():
    """v1-14 A: 93.2 − 0.131 × 22.9 = 90.2 %."""
    assert O.mixture_accuracy(0.131) == pytest.approx(0.932 - 0.131 * (0.932 - 0.703))


def test_tile_shows_validation_on_friday():
    """v1-14 A: labels lag 5 days, so on day 4 the tile shows the validated 93.2 %."""
    assert O.labelled_view(O.mixture_drift(10), 4, 5) == pytest.approx(0.932)


def test_sample_size_aggregate_and_per_source():
    """v1-14 B: n = [(1.960·√(.932·.068) + 0.842·√(.902·.098))/0.030]² → 615; per-source → 15."""
    z_a, z_b = NormalDist().inv_cdf(0.975), NormalDist().inv_cdf(0.8)
    n = ((z_a * math.sqrt(0.932 * 0.068) + z_b * math.sqrt(0.902 * 0.098)) / 0.030) ** 2
    assert O.sample_size_one_proportion(0.932, 0.902) == math.ceil(n) == 615
    assert O.sample_size_one_proportion(0.932, 0.703) == 15


def test_detection_days():
    """v1-14 B/C: aggregate day 11, per-source day 7, source share day 2; mobile (1 %, 14 d) day 40."""
    assert O.detection_day("aggregate", 0.1, 5) == 11
    assert O.detection_day("per_source", 0.1, 5) == 7
    assert O.detection_day("source_share", 0.1, 5) == 2
    assert O.detection_day("aggregate", 0.01, 14) == 40
    assert O.detection_day("aggregate", 0.01, 14, horizon_days=28) is None


def test_undetected_errors():
    """v1-14 B: day 2 → (81.26 + 168.2) × 0.229 = 57.1; day 7 → 448.4; day 11 → 779.8."""
    v = [2400 * s / (1 - s) for s in (0.0, 0.03275, 0.0655)]
    assert O.undetected_errors(2) == pytest.approx(sum(v) * (0.932 - 0.703))
    assert O.undetected_errors(7) == pytest.approx(448.4, abs=0.05)
    assert O.undetected_errors(11) == pytest.approx(779.8, abs=0.05)


def test_policy_costs_v1_14_d():
    """v1-14 D: aggregate 10 % $470,337.27; share + per-source 2 % $259,088.21 (compliant)."""
    agg = O.monitoring_policy_cost(["aggregate"], 0.1)
    assert agg.total_usd == pytest.approx(470_337.27, abs=0.01) and not agg.compliant
    assert "779.8" in agg.message()
    best = O.monitoring_policy_cost(["source_share", "per_source"], 0.02)
    assert best.total_usd == pytest.approx(259_088.21, abs=0.01) and best.compliant
    share = O.monitoring_policy_cost(["source_share"], 0.0)
    assert share.bound == "evidence"


@given(st.floats(0, 1), st.floats(0, 1))
def test_mixture_monotone(s1, s2):
    """A larger shifted share never raises accuracy."""
    lo, hi = sorted((s1, s2))
    assert O.mixture_accuracy(hi) <= O.mixture_accuracy(lo) + 1e-15


@given(st.floats(0.5, 0.99), st.floats(0.005, 0.2))
def test_sample_size_shrinks_with_effect(p0, gap):
    """A larger drop needs no more samples than a smaller one."""
    p1 = p0 - gap
    if p1 <= 0.01:
        return
    assert O.sample_size_one_proportion(p0, p1) <= O.sample_size_one_proportion(p0, p0 - gap / 2)


def test_retraining_cadence_balances_terms():
    """T* = √(2·5,000/(2,400·0.001·300)) = 3.73 days, where retrain and decay costs per day are equal."""
    r = O.retraining_cadence(5000, 2400, 0.001, 300)
    assert r.interval_days == pytest.approx(math.sqrt(2 * 5000 / (2400 * 0.001 * 300)))
    assert r.retrain_cost_usd_per_day == pytest.approx(r.decay_cost_usd_per_day)


@given(st.floats(1, 1e6), st.floats(1, 1e5), st.floats(1e-5, 0.1), st.floats(0.1, 1e3), st.floats(0.1, 10))
def test_retraining_cadence_is_the_minimum(c, v, r, e, scale):
    """No other interval is cheaper per day than T*."""
    best = O.retraining_cadence(c, v, r, e)
    t = best.interval_days * scale
    assert best.total_usd_per_day <= c / t + v * r * e * t / 2 + 1e-9 * best.total_usd_per_day
