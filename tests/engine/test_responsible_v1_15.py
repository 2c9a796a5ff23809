"""engine.responsible additions for v1-15: densities, group outcomes, misread rates, the fair band, DP-SGD fits,
per-guardrail checks. Expected values are computed here by hand from the spec's arithmetic."""

from __future__ import annotations

import math
from statistics import NormalDist

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import responsible as P
from engine.errors import EngineInputError

N = NormalDist()
PHI, PDF = N.cdf, N.pdf


def test_score_density_is_two_normals():
    """f_miss(s) = φ(s), f_ok(s) = φ(s − d′): at s = 2, d′ = 3 these are φ(2) and φ(−1)."""
    miss, ok = P.score_density(2.0, 3.0)
    assert math.isclose(miss, math.exp(-2.0**2 / 2) / math.sqrt(2 * math.pi), rel_tol=1e-12)
    assert math.isclose(ok, math.exp(-1.0**2 / 2) / math.sqrt(2 * math.pi), rel_tol=1e-12)


def test_group_outcomes_per_10k_group_b():
    """v1-15 A: group B at t = 2.0, m = 5.1 %: delays 1e4·0.949·Φ(−0.2) ≈ 3,993, wrong credits 1e4·0.051·(1 − Φ(2))."""
    o = P.group_outcomes(2.0, 2.2, 0.051, 1e4)
    assert math.isclose(o.delays, 1e4 * 0.949 * PHI(-0.2), rel_tol=1e-12)
    assert math.isclose(o.wrong_credits, 1e4 * 0.051 * (1 - PHI(2.0)), rel_tol=1e-12)
    assert round(o.delays) == 3993 and round(o.wrong_credits, 1) == 11.6


def test_group_outcomes_parts_add_up():
    """Correct credits + delays + wrong credits + caught misreads = V; reviews = delays + caught misreads."""
    o = P.group_outcomes(1.3, 2.2, 0.15, 4000)
    assert math.isclose(o.correct_credited + o.delays + o.wrong_credits + o.caught_misreads, 4000, rel_tol=1e-12)
    assert math.isclose(o.reviews, o.delays + o.caught_misreads, rel_tol=1e-12)
    assert math.isclose(o.auto_credited_share, 1 - o.reviews / 4000, rel_tol=1e-12)


def test_group_outcomes_precision():
    """Precision = (1 − m)(1 − FRR) / [(1 − m)(1 − FRR) + m·FAR] at t = 1.2, d′ = 2.2, m = 0.051."""
    o = P.group_outcomes(1.2, 2.2, 0.051)
    good = 0.949 * (1 - PHI(-1.0))
    bad = 0.051 * (1 - PHI(1.2))
    assert math.isclose(o.precision, good / (good + bad), rel_tol=1e-12)


def test_group_outcomes_rejects_bad_rate():
    """A misread rate outside [0, 1] is refused with the engine's error form."""
    with pytest.raises(EngineInputError, match="misread_rate"):
        P.group_outcomes(2.0, 3.0, 1.5)


def test_misread_rates_from_table_only():
    """m_A = 1 − 0.983 = 1.7 %, m_B = 3 × 1.7 % = 5.1 %; ε = 2 → 5 % and 15 %; ε = 4 is refused."""
    m_a, m_b = P.misread_rates("none")
    assert math.isclose(m_a, 1 - 0.983, rel_tol=1e-9) and math.isclose(m_b, 3 * (1 - 0.983), rel_tol=1e-9)
    m_a, m_b = P.misread_rates("2")
    assert math.isclose(m_a, 0.05, rel_tol=1e-9) and math.isclose(m_b, 0.15, rel_tol=1e-9)
    with pytest.raises(EngineInputError, match="epsilon"):
        P.misread_rates("4")


def test_epoch_multiplier():
    """DP-SGD epoch time 180 s / 40 s = 4.5× for any ε; 1× without DP; ε = 4 is refused."""
    assert P.dp_epoch_multiplier("0.5") == 180 / 40
    assert P.dp_epoch_multiplier("none") == 1.0
    with pytest.raises(EngineInputError):
        P.dp_epoch_multiplier("4")


def test_delay_gap_check_message():
    """v1-15 A failure: 26.2 points > 5.0 (B 42.1 % vs A 15.9 %), naming the first fix."""
    gap = P.delay_gap_check(P.binormal_rates(2.0, 3.0), P.binormal_rates(2.0, 2.2), 5.0)
    assert math.isclose(gap.gap_points, 100 * (PHI(-0.2) - PHI(-1.0)), rel_tol=1e-12)
    assert not gap.passes
    assert gap.message().startswith("Fairness gap 26.2 points > target 5.0 points (group B delayed 42.1 % vs A 15.9 %)")
    assert "First fix: per-group thresholds" in gap.message()


def test_fair_band_solves_the_gap_equation():
    """v1-15 B: Φ(t − 2.2) − Φ(t − 3.0) = 0.05 at t ≈ 0.637 and t ≈ 4.563 (spec: ≤ 0.63, ≥ 4.57)."""
    band = P.fair_single_thresholds(3.0, 2.2, 5.0)
    assert not band.all_pass
    for t in (band.t_low, band.t_high):
        assert math.isclose(PHI(t - 2.2) - PHI(t - 3.0), 0.05, abs_tol=1e-9)
    assert band.t_low < 0.64 and band.t_low > 0.63 and 4.56 < band.t_high < 4.57
    assert math.isclose(band.peak_threshold, 2.6) and math.isclose(band.peak_gap_points, 100 * (2 * PHI(0.4) - 1))


def test_fair_band_all_pass():
    """When the largest gap 100·(2Φ(Δd′/2) − 1) is within target, every threshold passes."""
    band = P.fair_single_thresholds(3.0, 2.9, 5.0)
    assert band.all_pass and band.peak_gap_points < 5.0


def test_dp_training_budget_per_context():
    """Writable memory: 80 GB, 64 GB, 4 GB app budget, and 1 MiB = 1,048,576 B of SRAM on the STM32H743."""
    assert P.dp_training_budget("cloud")[0] == 80e9
    assert P.dp_training_budget("edge")[0] == 64e9
    assert P.dp_training_budget("mobile")[0] == 4e9
    assert P.dp_training_budget("tiny") == (1024 * 1024, "(1 MiB) SRAM")


def test_dpsgd_fit_tiny_message():
    """v1-15 C: 600 × 71,010 × 4 = 170,424,000 B > 1,048,576 B (163× over); streaming 3 × 284,040 B fits."""
    fit = P.dpsgd_fit(600, 71_010, "tiny")
    assert fit.gradient_bytes == 600 * 71_010 * 4
    assert math.isclose(fit.ratio, 170_424_000 / 1_048_576, rel_tol=1e-12)
    assert fit.streaming_bytes == 3 * 71_010 * 4
    assert fit.message() == (
        "Out of memory: 170.4 MB of per-example gradients > 1.05 MB (1 MiB) SRAM. First fix: stream one example at a "
        "time (weights 0.28 MB + two gradient buffers 0.57 MB, spread across SRAM banks) or train centrally."
    )


def test_dpsgd_fit_mobile_and_lot_one():
    """170.4 MB fits the phone's 4 GB; on tiny a lot of 2 (568,080 B) fits and a lot of 4 (1,136,160 B) does not."""
    assert P.dpsgd_fit(600, 71_010, "mobile").fits
    assert P.dpsgd_fit(2, 71_010, "tiny").fits and not P.dpsgd_fit(4, 71_010, "tiny").fits
    assert P.dpsgd_fit(4096, 71_010, "mobile").message() == ""


def test_policy_report_default_messages():
    """v1-15 D defaults: ε/yr 12 × 2 = 24 > 10, gap 26.2 > 5, reviews 5,210 ≥ 4,500 — each with its first fix."""
    rep = P.policy_report()
    priv, fair, review = rep.check("privacy"), rep.check("fairness"), rep.check("review capacity")
    assert priv.message == "ε per year 24 > budget 10 (12 retrains × ε 2). First fix: retrain 4× a year or use ε = 8 once."
    assert fair.message.startswith("Fairness gap 26.2 points > target 5.0 points")
    reviews = 16000 * (0.95 * PHI(-1.0) + 0.05 * PHI(2.0)) + 4000 * (0.85 * PHI(-0.2) + 0.15 * PHI(2.0))
    assert math.isclose(review.value, reviews, rel_tol=1e-12)
    assert review.message == (
        "Reviews 5,210/day ≥ capacity 4,500/day (ρ = 1.16): the backlog grows without bound (v1-13). First fix: "
        "per-group thresholds, or less noise (ε = 8)."
    )
    assert not any(c.passes for c in rep.checks)


def test_policy_report_b_passes():
    """Policy (b): t_B = 1.2, every check passes, messages empty; ρ = 3,827 / 4,500 ≈ 0.85."""
    rep = P.policy_report("equal_delay", 2.0, "8", 1)
    assert math.isclose(rep.threshold_b, 1.2)
    assert all(c.passes and c.message == "" for c in rep.checks)
    reviews = 16000 * (0.97 * PHI(-1.0) + 0.03 * PHI(2.0)) + 4000 * (0.91 * PHI(-1.0) + 0.09 * PHI(1.2))
    assert math.isclose(rep.check("review capacity").ratio, reviews / 4500, rel_tol=1e-12)


@given(st.floats(-2, 6), st.floats(0, 4), st.floats(0, 1), st.floats(1, 1e5))
def test_group_outcomes_conserve_volume(t, d, m, v):
    """For any threshold, separability, misread rate and volume the four destinations add up to V."""
    o = P.group_outcomes(t, d, m, v)
    assert math.isclose(o.correct_credited + o.delays + o.wrong_credits + o.caught_misreads, v, rel_tol=1e-9)
