"""Engine additions for v1-13: the periodic (D/D/c) response time, the fewest replicas meeting a p99 SLO, and the
serving constants in the infrastructure registry. Expected values are worked by hand."""

from __future__ import annotations

import math

import pytest

from engine.errors import EngineInputError
from engine.registry.infrastructure import CONSTANTS, get_constant
from engine.serving import (
    admission_cap_by_tail,
    admission_cap_for_slo,
    mmc_response_quantile,
    mmc_response_quantile_tol,
    periodic_response_time,
    replicas_for_slo,
)


def test_periodic_response_is_service_time_below_capacity():
    """8 Hz into a 100 ms timer-driven server: ρ = 0.8, nobody waits, T = S = 0.1 s."""
    assert periodic_response_time(8.0, 0.1) == 0.1


def test_periodic_response_at_exactly_full():
    """10 Hz × 0.1 s = ρ 1.0: a deterministic server just keeps up, T = S."""
    assert periodic_response_time(10.0, 0.1) == 0.1


def test_periodic_response_unstable_above_capacity():
    """16 Hz × 0.1 s = ρ 1.6: the backlog grows without bound."""
    assert math.isinf(periodic_response_time(16.0, 0.1))


def test_periodic_response_several_servers():
    """Two servers at 15 Hz × 0.1 s: ρ = 1.5 / 2 = 0.75, T = S."""
    assert periodic_response_time(15.0, 0.1, 2) == 0.1


def test_periodic_response_rejects_bad_service():
    """A zero service time is an input error in the engine's one form."""
    with pytest.raises(EngineInputError, match="`service_s` must be a positive number"):
        periodic_response_time(1.0, 0.0)


def test_replicas_for_slo_cloud_burst():
    """300 req/s at 20 ms: 6 replicas are exactly full (ρ = 1), so 7 is the first to meet 250 ms."""
    assert replicas_for_slo(300.0, 0.020, 0.250, 8) == 7
    assert mmc_response_quantile(300.0, 0.020, 7) <= 0.250


def test_replicas_for_slo_forecast():
    """150 req/s at 20 ms: a = 3, so 4 replicas (ρ = 0.75, p99 ≈ 120 ms) meet 250 ms and 3 cannot."""
    assert replicas_for_slo(150.0, 0.020, 0.250, 8) == 4


def test_replicas_for_slo_none_within_limit():
    """120 req/s at 30 ms needs a > 3.6, more than the Orin's 3 engines: no answer."""
    assert replicas_for_slo(120.0, 0.030, 0.300, 3) is None


def test_replicas_for_slo_floor():
    """An SLO below S·ln 100 = 20 × 4.605 = 92.1 ms cannot be met by any replica count (the service floor)."""
    assert replicas_for_slo(1.0, 0.020, 0.090, 8) is None
    assert replicas_for_slo(1.0, 0.020, 0.095, 8) == 1


def test_replicas_for_slo_rejects_zero_limit():
    """max_servers must be a positive integer."""
    with pytest.raises(EngineInputError, match="`max_servers` must be a positive integer"):
        replicas_for_slo(1.0, 0.02, 0.25, 0)


def test_serving_constants():
    """8 GPUs per HGX H100, 2 NVDLA engines, and service times 20 / 30 / 40 / 100 ms (in seconds)."""
    assert get_constant("serving.hgx_h100_gpus") == 8
    assert get_constant("serving.orin_dla_engines") == 2
    assert math.isclose(get_constant("serving.service_time_cloud"), 20 / 1000)
    assert math.isclose(get_constant("serving.service_time_edge"), 30 / 1000)
    assert math.isclose(get_constant("serving.service_time_mobile"), 40 / 1000)
    assert math.isclose(get_constant("serving.service_time_tiny"), 100 / 1000)


def test_serving_constants_cited():
    """Each new constant carries a citation with a kind and a note."""
    for key in ("serving.hgx_h100_gpus", "serving.orin_dla_engines", "serving.service_time_cloud"):
        (cited,) = CONSTANTS[key].citations.values()
        assert cited.source.id and cited.kind.value in ("spec", "assumed")


def test_quantile_tol_matches_m_m_1_closed_form():
    """With one server the M/M/c p99 is S·ln 100/(1 − ρ): 20 ms × 4.6052 / 0.2 = 460.5 ms at 40 req/s."""
    assert math.isclose(mmc_response_quantile_tol(40.0, 0.020, 1), 0.020 * math.log(100) / (1 - 0.8), rel_tol=1e-9)


def test_quantile_tol_idle_floor():
    """An idle replica's p99 is the exponential service's own: 20 ms × ln 100 = 92.1 ms."""
    assert math.isclose(mmc_response_quantile_tol(0.0, 0.020, 4), 0.020 * math.log(100), rel_tol=1e-9)


def test_quantile_tol_agrees_with_full_bisection():
    """Cloud at forecast (150 req/s, c = 4, S = 20 ms): both bisections give 120.1 ms to 1e-9."""
    a = mmc_response_quantile_tol(150.0, 0.020, 4)
    assert math.isclose(a, mmc_response_quantile(150.0, 0.020, 4), rel_tol=1e-9)
    assert round(a * 1000, 1) == 120.1


def test_quantile_tol_unstable():
    """300 req/s on 6 replicas of 20 ms is ρ = 1: unbounded."""
    assert math.isinf(mmc_response_quantile_tol(300.0, 0.020, 6))


def test_cap_by_tail_mobile():
    """One 40 ms replica, SLO 400 ms: ρ* = 1 − 40 × ln 100 / 400 = 0.5395, cap = 0.5395 / 0.04 = 13.49 req/s."""
    cap = admission_cap_by_tail(0.040, 1, 0.400, offered_per_s=20.0)
    assert math.isclose(cap.cap_per_s, (1 - 0.040 * math.log(100) / 0.400) / 0.040, rel_tol=1e-9)
    assert math.isclose(cap.shed_fraction, 1 - cap.cap_per_s / 20.0, rel_tol=1e-12)


def test_cap_by_tail_matches_nested_bisection():
    """Edge (3 engines, 30 ms, SLO 300 ms): the tail method and admission_cap_for_slo agree (83.5 req/s)."""
    a = admission_cap_by_tail(0.030, 3, 0.300).cap_per_s
    assert math.isclose(a, admission_cap_for_slo(0.030, 3, 0.300).cap_per_s, rel_tol=1e-9)
    assert round(a, 1) == 83.5


def test_cap_by_tail_impossible_slo():
    """An SLO under the 92.1 ms floor admits nothing."""
    assert admission_cap_by_tail(0.020, 8, 0.090).cap_per_s == 0.0

