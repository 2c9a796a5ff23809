"""Serving: queueing laws for an inference service (M/M/1, M/D/1, Kingman, M/M/c with Erlang C), response-time
tails, admission control, and batching throughput.

An unstable queue (utilisation ≥ 1) is a result whose wait is infinite and whose `message()` names arrivals,
capacity, utilisation and the first fix, never an exception.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine.errors import (
    EngineInputError,
    require_fraction,
    require_non_negative,
    require_positive,
    require_positive_int,
)
from engine.units import format_number, format_value


@dataclass(frozen=True)
class QueueResult:
    """Mean response = service + wait; `stable` False (wait = ∞) when utilisation ≥ 1."""

    arrival_rate_per_s: float
    service_s: float
    servers: int
    wait_s: float
    p_wait: float

    @property
    def utilization(self) -> float:
        return self.arrival_rate_per_s * self.service_s / self.servers

    @property
    def stable(self) -> bool:
        return self.utilization < 1.0

    @property
    def response_s(self) -> float:
        return self.service_s + self.wait_s

    @property
    def in_system(self) -> float:
        """L = λ·T (Little)."""
        return self.arrival_rate_per_s * self.response_s

    @property
    def in_queue(self) -> float:
        """L_q = λ·W_q (Little)."""
        return self.arrival_rate_per_s * self.wait_s

    @property
    def bound(self) -> str:
        return "capacity" if not self.stable else ("queueing" if self.wait_s > self.service_s else "service")

    def message(self) -> str:
        if self.stable:
            return ""
        cap = self.servers / self.service_s
        return (f"Unstable queue: arrivals {format_number(self.arrival_rate_per_s)} req/s ≥ capacity "
                f"{format_number(cap)} req/s (ρ = {self.utilization:.2f}); the backlog grows without bound. "
                f"First fix: add a replica or shed load.")


def littles_law(arrival_rate_per_s: float, time_in_system_s: float) -> float:
    """Mean number in a system.

    L = λ·T
    Source: Little 1961.
    """
    return require_non_negative("arrival_rate_per_s", arrival_rate_per_s) * require_non_negative(
        "time_in_system_s", time_in_system_s)


def mm1_response_time(utilization: float, service_s: float) -> QueueResult:
    """M/M/1 mean response and wait at utilisation ρ = λS.

    T = S / (1 − ρ);  W_q = ρS / (1 − ρ)
    Source: Kleinrock 1975 (fidelity row 38: 2S, 5S, 10S at ρ = 0.5, 0.8, 0.9).
    """
    rho = require_non_negative("utilization", utilization)
    s = require_positive("service_s", service_s)
    wait = math.inf if rho >= 1 else rho * s / (1.0 - rho)
    return QueueResult(rho / s, s, 1, wait, min(rho, 1.0))


def mm1_quantile(utilization: float, service_s: float, quantile: float = 0.99) -> float:
    """Quantile of M/M/1 response time (exponential with rate (1 − ρ)/S); ∞ when ρ ≥ 1.

    t_q = S·ln(1/(1 − q)) / (1 − ρ)   (p99: S·ln 100/(1 − ρ))
    Source: Harchol-Balter 2013 (M/M/1 response distribution); fidelity row 38 (9.2S at 0.5, 23S at 0.8).
    """
    rho = require_non_negative("utilization", utilization)
    s = require_positive("service_s", service_s)
    q = require_fraction("quantile", quantile, open_upper=True)
    return math.inf if rho >= 1 else s * math.log(1.0 / (1.0 - q)) / (1.0 - rho)


def mm1_safe_utilization(service_s: float, slo_s: float, quantile: float = 0.99) -> float:
    """Highest utilisation whose M/M/1 response quantile meets the SLO (0 if even an idle server misses it).

    ρ* = 1 − S·ln(1/(1 − q)) / SLO
    Source: v1-13 Part B math peek (S = 20 ms, SLO 250 ms → 0.632).
    """
    s = require_positive("service_s", service_s)
    q = require_fraction("quantile", quantile, open_upper=True)
    return max(0.0, 1.0 - s * math.log(1.0 / (1.0 - q)) / require_positive("slo_s", slo_s))


def md1_wait(utilization: float, service_s: float) -> float:
    """M/D/1 mean wait (deterministic service): half the M/M/1 wait.

    W_q = ρS / (2(1 − ρ))
    Source: Pollaczek–Khinchine formula with c_s² = 0.
    """
    rho = require_non_negative("utilization", utilization)
    s = require_positive("service_s", service_s)
    return math.inf if rho >= 1 else rho * s / (2.0 * (1.0 - rho))


def kingman_wait(utilization: float, service_s: float, arrival_cv2: float = 1.0, service_cv2: float = 1.0) -> float:
    """G/G/1 mean wait by Kingman's heavy-traffic approximation (exact for M/M/1 and M/D/1's P–K form).

    W_q ≈ ρ/(1 − ρ) · (c_a² + c_s²)/2 · S
    Source: Kingman 1961.
    """
    rho = require_non_negative("utilization", utilization)
    s = require_positive("service_s", service_s)
    v = (require_non_negative("arrival_cv2", arrival_cv2) + require_non_negative("service_cv2", service_cv2)) / 2.0
    if v == 0:
        return 0.0 if rho < 1 else math.inf
    return math.inf if rho >= 1 else rho / (1.0 - rho) * v * s


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability an arrival waits in M/M/c (Erlang C); 1 when a = λS ≥ c.

    C(c, a) = [aᶜ/c! · 1/(1 − ρ)] / [Σ_{k<c} aᵏ/k! + aᶜ/c! · 1/(1 − ρ)],  ρ = a/c
    Source: Erlang 1917; any queueing text (fidelity row 40).
    """
    c = require_positive_int("servers", servers)
    a = require_non_negative("offered_load", offered_load)
    if a >= c:
        return 1.0
    term, total = 1.0, 1.0  # a^0/0!
    for k in range(1, c):
        term *= a / k
        total += term
    top = term * a / c / (1.0 - a / c)  # a^c/c! · 1/(1 − ρ)
    return top / (total + top)


def mmc(arrival_rate_per_s: float, service_s: float, servers: int) -> QueueResult:
    """M/M/c mean wait.

    W_q = C(c, a) · S / (c − a),  a = λS
    Source: Erlang C (fidelity row 40: ρ = 0.8, c = 4 → P(wait) 0.596, W_q 0.746S).
    """
    lam = require_non_negative("arrival_rate_per_s", arrival_rate_per_s)
    s = require_positive("service_s", service_s)
    c = require_positive_int("servers", servers)
    a = lam * s
    if a >= c:
        return QueueResult(lam, s, c, math.inf, 1.0)
    pw = erlang_c(c, a)
    return QueueResult(lam, s, c, pw * s / (c - a), pw)


def mmc_response_tail(t_s: float, arrival_rate_per_s: float, service_s: float, servers: int) -> float:
    """P(T > t) for M/M/c response time (FCFS).

    P(T > t) = (1 − C)e^{−t/S} + C·(θe^{−t/S} − (1/S)e^{−θt}) / (θ − 1/S),  θ = c/S − λ
    Source: v1-13 Part D math peek (standard M/M/c sojourn-time distribution).
    """
    t = require_non_negative("t_s", t_s)
    q = mmc(arrival_rate_per_s, service_s, servers)
    if not q.stable:
        return 1.0
    mu = 1.0 / service_s
    theta = servers * mu - arrival_rate_per_s
    c = q.p_wait
    if abs(theta - mu) < 1e-12 * mu:
        mixed = math.exp(-mu * t) * (1.0 + mu * t)
    else:
        mixed = (theta * math.exp(-mu * t) - mu * math.exp(-theta * t)) / (theta - mu)
    return (1.0 - c) * math.exp(-mu * t) + c * mixed


def mmc_response_quantile(arrival_rate_per_s: float, service_s: float, servers: int, quantile: float = 0.99) -> float:
    """Quantile of M/M/c response time by bisection on the tail; ∞ when unstable.

    t_q: P(T > t_q) = 1 − q
    Source: v1-13 Part D (c = 4, 150 req/s, S = 20 ms: p99 = 120.1 ms).
    """
    q = require_fraction("quantile", quantile, open_upper=True)
    if not mmc(arrival_rate_per_s, service_s, servers).stable:
        return math.inf
    target = 1.0 - q
    lo, hi = 0.0, service_s
    while mmc_response_tail(hi, arrival_rate_per_s, service_s, servers) > target:
        hi *= 2.0
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if mmc_response_tail(mid, arrival_rate_per_s, service_s, servers) > target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


@dataclass(frozen=True)
class Admission:
    """The largest admitted rate meeting a quantile SLO, and the shed fraction of an offered load."""

    cap_per_s: float
    offered_per_s: float
    servers: int
    service_s: float

    @property
    def shed_fraction(self) -> float:
        return max(0.0, 1.0 - self.cap_per_s / self.offered_per_s) if self.offered_per_s > 0 else 0.0

    @property
    def utilization_at_cap(self) -> float:
        return self.cap_per_s * self.service_s / self.servers


def admission_cap_for_slo(service_s: float, servers: int, slo_s: float, quantile: float = 0.99,
                          offered_per_s: float = 0.0) -> Admission:
    """Largest arrival rate whose M/M/c response quantile stays within the SLO (bisection; 0 if impossible).

    λ_cap = max{λ : t_q(λ, c, S) ≤ SLO}
    Source: v1-13 Part D and v1-16 R1 (c = 7, S = 20 ms, SLO 250 ms → 330.3 req/s).
    """
    s = require_positive("service_s", service_s)
    c = require_positive_int("servers", servers)
    slo = require_positive("slo_s", slo_s)
    if mmc_response_quantile(0.0, s, c, quantile) > slo:
        return Admission(0.0, require_non_negative("offered_per_s", offered_per_s), c, s)
    lo, hi = 0.0, c / s
    for _ in range(100):
        mid = (lo + hi) / 2.0
        if mmc_response_quantile(mid, s, c, quantile) <= slo:
            lo = mid
        else:
            hi = mid
    return Admission(lo, require_non_negative("offered_per_s", offered_per_s), c, s)


def periodic_shed_fraction(arrival_rate_per_s: float, service_s: float, servers: int = 1) -> float:
    """Shed needed for a deterministic (D/D/c) server to be stable: nothing below ρ = 1, else 1 − 1/ρ.

    shed = max(0, 1 − c/(λS))
    Source: v1-13 Part D (tiny, ρ = 1.6 → 37.5 %).
    """
    rho = require_non_negative("arrival_rate_per_s", arrival_rate_per_s) * require_positive(
        "service_s", service_s) / require_positive_int("servers", servers)
    return 0.0 if rho <= 1 else 1.0 - 1.0 / rho


@dataclass(frozen=True)
class BatchThroughput:
    """Static batching: step time = fixed + per-item; throughput = B / step."""

    batch: int
    fixed_s: float
    per_item_s: float

    @property
    def step_s(self) -> float:
        return self.fixed_s + self.batch * self.per_item_s

    @property
    def throughput_per_s(self) -> float:
        return self.batch / self.step_s

    @property
    def bound(self) -> str:
        return "fixed overhead" if self.fixed_s > self.batch * self.per_item_s else "per-item work"


def batch_throughput(batch: int, fixed_s: float, per_item_s: float) -> BatchThroughput:
    """Throughput of static batching, where a batch amortises a fixed step cost.

    t(B) = t₀ + B·t₁;  X(B) = B / t(B) → 1/t₁ as B → ∞
    Source: v1-13 connections (batching amortises L, v1-02); standard batching model.
    """
    return BatchThroughput(require_positive_int("batch", batch), require_non_negative("fixed_s", fixed_s),
                           require_non_negative("per_item_s", per_item_s))


def _fmt_ms(t: float) -> str:
    return format_value(t, "ms")


def periodic_response_time(arrival_rate_per_s: float, service_s: float, servers: int = 1) -> float:
    """Response time of a deterministic (D/D/c) server fed at a fixed period: S while it keeps up, else ∞.

    T = S for ρ = λS/c ≤ 1 (no request ever waits: c_a² = c_s² = 0 in Kingman); T = ∞ for ρ > 1
    Source: Kingman 1961 with zero variability; v1-13 Part D (tiny, T = S = 100 ms while ρ ≤ 1).
    """
    lam = require_non_negative("arrival_rate_per_s", arrival_rate_per_s)
    s = require_positive("service_s", service_s)
    c = require_positive_int("servers", servers)
    return s if lam * s / c <= 1.0 else math.inf


def replicas_for_slo(arrival_rate_per_s: float, service_s: float, slo_s: float, max_servers: int,
                     quantile: float = 0.99) -> int | None:
    """Fewest M/M/c replicas (≤ max_servers) whose response quantile meets the SLO; None if none does.

    c* = min{c ≤ c_max : t_q(λ, c, S) ≤ SLO}
    Source: v1-13 Part D (150 × 2 req/s, S = 20 ms, SLO 250 ms → c* = 7, p99 123.4 ms); Erlang C tail as in
    mmc_response_quantile.
    """
    lam = require_non_negative("arrival_rate_per_s", arrival_rate_per_s)
    s = require_positive("service_s", service_s)
    slo = require_positive("slo_s", slo_s)
    c_max = require_positive_int("max_servers", max_servers)
    target = 1.0 - require_fraction("quantile", quantile, open_upper=True)
    for c in range(1, c_max + 1):
        # t_q ≤ SLO ⇔ P(T > SLO) ≤ 1 − q, because the tail falls as t grows
        if mmc(lam, s, c).stable and mmc_response_tail(slo, lam, s, c) <= target:
            return c
    return None


def mmc_response_quantile_tol(arrival_rate_per_s: float, service_s: float, servers: int, quantile: float = 0.99,
                              rel_tol: float = 1e-12) -> float:
    """Quantile of M/M/c response time by bisection on the tail, stopped at a relative tolerance; ∞ when unstable.

    t_q: P(T > t_q) = 1 − q, bracketed until hi − lo ≤ rel_tol·hi
    `rel_tol` ≥ 1e-15: below double precision the bracket stops shrinking and the bisection would never end.
    Source: as mmc_response_quantile (v1-13 Part D: c = 4, 150 req/s, S = 20 ms → p99 120.1 ms); the tolerance
    bounds the work so an interactive page can sweep replica counts.
    """
    q = require_fraction("quantile", quantile, open_upper=True)
    tol = require_positive("rel_tol", rel_tol)
    if tol < 1e-15:
        raise EngineInputError(f"`rel_tol` must be at least 1e-15 (got {rel_tol!r})")
    if not mmc(arrival_rate_per_s, service_s, servers).stable:
        return math.inf
    target = 1.0 - q
    lo, hi = 0.0, service_s
    while mmc_response_tail(hi, arrival_rate_per_s, service_s, servers) > target:
        lo, hi = hi, hi * 2.0
    while hi - lo > tol * hi:
        mid = (lo + hi) / 2.0
        if mmc_response_tail(mid, arrival_rate_per_s, service_s, servers) > target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


def admission_cap_by_tail(service_s: float, servers: int, slo_s: float, quantile: float = 0.99,
                          offered_per_s: float = 0.0, rel_tol: float = 1e-12) -> Admission:
    """Largest arrival rate whose M/M/c response quantile meets the SLO, by bisection on the tail at t = SLO.

    λ_cap = max{λ : P(T > SLO | λ, c, S) ≤ 1 − q}   (≡ t_q(λ) ≤ SLO: the tail falls with t and rises with λ)
    `rel_tol` ≥ 1e-15: below double precision the bracket stops shrinking and the bisection would never end.
    Source: v1-13 Part D (c = 3, S = 30 ms, SLO 300 ms → 83.5 req/s; c = 1, S = 40 ms, SLO 400 ms → 13.49 req/s);
    the same answer as admission_cap_for_slo with one tail evaluation per step instead of a nested bisection.
    """
    if require_positive("rel_tol", rel_tol) < 1e-15:
        raise EngineInputError(f"`rel_tol` must be at least 1e-15 (got {rel_tol!r})")
    s = require_positive("service_s", service_s)
    c = require_positive_int("servers", servers)
    slo = require_positive("slo_s", slo_s)
    target = 1.0 - require_fraction("quantile", quantile, open_upper=True)
    tol = require_positive("rel_tol", rel_tol)
    offered = require_non_negative("offered_per_s", offered_per_s)
    if mmc_response_tail(slo, 0.0, s, c) > target:
        return Admission(0.0, offered, c, s)
    lo, hi = 0.0, c / s
    while hi - lo > tol * hi:
        mid = (lo + hi) / 2.0
        if mmc_response_tail(slo, mid, s, c) <= target:
            lo = mid
        else:
            hi = mid
    return Admission(lo, offered, c, s)
