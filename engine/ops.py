"""Operations: accuracy under a shift in the input mix (mixing two measured accuracies), what a labelled-accuracy
tile shows under label delay, how many audits a monitor needs, when each monitor fires, the damage done before it
does, and a policy's cost over a horizon.

Accuracy comes only from the cited WILDS table (in- and out-of-distribution); the engine mixes those two numbers by
traffic share and predicts nothing else (no accuracy after retraining).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

from engine.errors import (
    EngineInputError,
    require_fraction,
    require_non_negative,
    require_positive,
    require_positive_int,
)
from engine.provenance import assumed
from engine.registry import sources as S
from engine.registry.quality import WILDS_CAMELYON17
from engine.units import format_number

MONITORS: tuple[str, ...] = ("aggregate", "per_source", "source_share")

CITED = {
    "base_volume_per_day": assumed(2400, "count", S.LABS_ASSUMPTIONS, "v1-14: existing hospitals, slides/day"),
    "ramp_per_day": assumed(3.275, "percent", S.LABS_ASSUMPTIONS, "v1-14: new-site share growth, points/day"),
    "share_cap": assumed(13.1, "percent", S.LABS_ASSUMPTIONS, "v1-14: new-site share holds at 13.1 %"),
}


def mixture_accuracy(share_new: float, accuracy_in: float | None = None, accuracy_out: float | None = None) -> float:
    """Accuracy of a traffic mix of in-distribution and shifted inputs (fractions, not %).

    A = A_ID − s·(A_ID − A_OOD)
    Source: Koh et al. 2021 (WILDS) Table 1, Camelyon17 ERM (93.2 % ID, 70.3 % OOD); v1-14 Part A.
    """
    s = require_fraction("share_new", share_new)
    a_in = WILDS_CAMELYON17["in_distribution"].value if accuracy_in is None else require_fraction("accuracy_in",
                                                                                                  accuracy_in)
    a_out = WILDS_CAMELYON17["out_of_distribution"].value if accuracy_out is None else require_fraction(
        "accuracy_out", accuracy_out)
    return a_in - s * (a_in - a_out)


@dataclass(frozen=True)
class DriftTimeline:
    """Per-day traffic of the v1-14 scenario: new-site share, total and new-site volume, true accuracy."""

    share: tuple[float, ...]
    volume: tuple[float, ...]
    new_volume: tuple[float, ...]
    accuracy: tuple[float, ...]


def mixture_drift(days: int, base_volume_per_day: float = 2400.0, ramp_per_day: float = 0.03275,
                  share_cap: float = 0.131, accuracy_in: float | None = None,
                  accuracy_out: float | None = None) -> DriftTimeline:
    """The v1-14 timeline: s(d) = min(r·d, cap); V(d) = V₀/(1 − s); V_new = V·s; A(d) = mixture.

    s(d) = min(r·d, s_max);  V_new(d) = V₀·s/(1 − s)
    Source: v1-14 timeline model (volumes, ramp and cap are labelled assumptions).
    """
    n = require_positive_int("days", days)
    v0 = require_positive("base_volume_per_day", base_volume_per_day)
    r = require_non_negative("ramp_per_day", ramp_per_day)
    cap = require_fraction("share_cap", share_cap, open_upper=True)
    share = tuple(min(r * d, cap) for d in range(n))
    vol = tuple(v0 / (1 - s) for s in share)
    new = tuple(v * s for v, s in zip(vol, share))
    acc = tuple(mixture_accuracy(s, accuracy_in, accuracy_out) for s in share)
    return DriftTimeline(share, vol, new, acc)


def labelled_view(timeline: DriftTimeline, day: int, label_delay_days: int,
                  validation_accuracy: float | None = None) -> float:
    """Accuracy the labelled tile shows on `day`: volume-weighted accuracy of days k ≤ d − L (validation if none).

    tile(d) = Σ_{k ≤ d−L} V_k·A_k / Σ_{k ≤ d−L} V_k
    Source: v1-14 Part A math peek.
    """
    if validation_accuracy is not None:
        require_fraction("validation_accuracy", validation_accuracy)
    last = require_non_negative("day", day) - require_non_negative("label_delay_days", label_delay_days)
    if last < 0:
        return WILDS_CAMELYON17["in_distribution"].value if validation_accuracy is None else validation_accuracy
    k = int(last) + 1
    v = timeline.volume[:k]
    return sum(x * a for x, a in zip(v, timeline.accuracy[:k])) / sum(v)


def sample_size_one_proportion(p0: float, p1: float, confidence: float = 0.95, power: float = 0.80) -> int:
    """Audits needed to detect a drop from p0 to p1 with a two-sided one-sample proportion test.

    n = ⌈[(z_{1−α/2}·√(p₀q₀) + z_{1−β}·√(p₁q₁)) / (p₀ − p₁)]²⌉
    Source: Chow, Shao & Wang, Sample Size Calculations in Clinical Research §4.1 (93.2 → 90.2 %: 615).
    """
    require_positive("power", require_fraction("power", power, open_upper=True))
    a = require_fraction("p0", p0)
    b = require_fraction("p1", p1)
    if a == b:
        raise EngineInputError(f"`p1` must differ from p0 (got {p1!r})")
    z_a = NormalDist().inv_cdf(1 - (1 - require_fraction("confidence", confidence, open_upper=True)) / 2)
    z_b = NormalDist().inv_cdf(require_fraction("power", power, open_upper=True))
    n = ((z_a * math.sqrt(a * (1 - a)) + z_b * math.sqrt(b * (1 - b))) / (a - b)) ** 2
    return math.ceil(n - 1e-9)


def detection_day(monitor: str, audit_fraction: float, label_delay_days: int, horizon_days: int = 60,
                  share_alarm: float = 0.05, confidence: float = 0.95, power: float = 0.80,
                  timeline: DriftTimeline | None = None) -> int | None:
    """First day a monitor fires, on expected counts (None when not within the horizon).

    aggregate: min{d : a·Σ_{k≤d−L} V_k ≥ n(p₀, p̄_d)};  per_source: min{d : a·Σ_{k≤d−L} V_new,k ≥ n(p₀, A_OOD)};
    source_share: min{d : s(d) > alarm} (no labels needed)
    Source: v1-14 Part B math peek (aggregate day 11, per-source day 7, source share day 2).
    """
    if monitor not in MONITORS:
        from engine.errors import require_choice

        require_choice("monitor", monitor, MONITORS)
    a = require_fraction("audit_fraction", audit_fraction)
    L = int(require_non_negative("label_delay_days", label_delay_days))
    h = require_positive_int("horizon_days", horizon_days)
    require_fraction("share_alarm", share_alarm)
    require_fraction("confidence", confidence, open_upper=True)
    require_positive("power", require_fraction("power", power, open_upper=True))
    tl = timeline or mixture_drift(h)
    p0 = WILDS_CAMELYON17["in_distribution"].value
    if monitor == "source_share":
        alarm = require_fraction("share_alarm", share_alarm)
        return next((d for d in range(min(h, len(tl.share))) if tl.share[d] > alarm), None)
    if monitor == "per_source":
        need = sample_size_one_proportion(p0, WILDS_CAMELYON17["out_of_distribution"].value, confidence, power)
    for d in range(min(h, len(tl.share))):
        last = d - L
        if last < 0:
            continue
        if monitor == "per_source":
            if a * sum(tl.new_volume[: last + 1]) >= need:
                return d
            continue
        mean = labelled_view(tl, d, L)
        if mean >= p0:
            continue
        if a * sum(tl.volume[: last + 1]) >= sample_size_one_proportion(p0, mean, confidence, power):
            return d
    return None


def undetected_errors(detect_day: int | None, timeline: DriftTimeline | None = None, horizon_days: int = 28) -> float:
    """Extra misclassified slides from the new source up to and including the detection day.

    E(d*) = Σ_{k ≤ d*} V_new(k)·(A_ID − A_OOD)
    Source: v1-14 Part B math peek (day 2: 57.1; day 7: 448.4; day 11: 779.8).
    """
    if detect_day is not None:
        require_non_negative("detect_day", detect_day)
    require_positive_int("horizon_days", horizon_days)
    tl = timeline or mixture_drift(max(horizon_days, (detect_day or 0) + 1))
    gap = WILDS_CAMELYON17["in_distribution"].value - WILDS_CAMELYON17["out_of_distribution"].value
    last = (len(tl.share) - 1) if detect_day is None else int(require_non_negative("detect_day", detect_day))
    return gap * sum(tl.new_volume[: last + 1])


@dataclass(frozen=True)
class PolicyCost:
    """A monitoring policy over a horizon: audits, misreads and reviews in dollars (parts add to `total_usd`)."""

    detection_day: int | None
    extra_misreads: float
    audit_usd: float
    misread_usd: float
    review_usd: float
    misread_limit: float
    label_backed: bool

    @property
    def total_usd(self) -> float:
        return self.audit_usd + self.misread_usd + self.review_usd

    @property
    def compliant(self) -> bool:
        return self.extra_misreads <= self.misread_limit and self.label_backed

    @property
    def bound(self) -> str:
        if self.extra_misreads > self.misread_limit:
            return "damage"
        return "evidence" if not self.label_backed else "none"

    def message(self) -> str:
        if self.extra_misreads > self.misread_limit:
            day = "never" if self.detection_day is None else f"day {self.detection_day}"
            return (f"Extra misreads {format_number(self.extra_misreads, 4)} > limit {format_number(self.misread_limit)}"
                    f" before the first alarm ({day}). First fix: add the source-share alarm.")
        if not self.label_backed:
            return "No label-backed accuracy monitor selected. First fix: add per-source accuracy (2 % audits)."
        return ""


def monitoring_policy_cost(monitors: Sequence[str], audit_fraction: float, label_delay_days: int = 5,
                           horizon_days: int = 28, share_alarm: float = 0.05, containment: bool = True,
                           audit_usd: float = 12.0, misread_usd: float = 300.0, review_usd: float = 25.0,
                           misread_limit: float = 100.0) -> PolicyCost:
    """Cost of a monitoring policy: audits of all traffic, misreads before the alarm, manual reviews after it.

    C = c_a·a·Σ_k V_k + c_m·E(d*) + c_r·Σ_{k>d*} V_new(k)  (reviews only with containment)
    Source: v1-14 Part D math peek (share + per-source at 2 %: $259,088.21).
    """
    if not monitors:
        raise EngineInputError("`monitors` must name at least one monitor (got [])")
    h = require_positive_int("horizon_days", horizon_days)
    tl = mixture_drift(h)
    days = [detection_day(m, audit_fraction, label_delay_days, h, share_alarm, timeline=tl) for m in monitors]
    fired = [d for d in days if d is not None]
    d_star = min(fired) if fired else None
    extra = undetected_errors(d_star, tl)
    audits = require_non_negative("audit_usd", audit_usd) * require_fraction("audit_fraction", audit_fraction) * sum(
        tl.volume)
    reviews = 0.0
    if containment and d_star is not None:
        reviews = require_non_negative("review_usd", review_usd) * sum(tl.new_volume[d_star + 1:])
    label_backed = any(m in ("aggregate", "per_source") for m in monitors) and audit_fraction > 0
    return PolicyCost(d_star, extra, audits, require_non_negative("misread_usd", misread_usd) * extra, reviews,
                      require_non_negative("misread_limit", misread_limit), label_backed)


@dataclass(frozen=True)
class RetrainCadence:
    """Retraining interval balancing the fixed cost of a retrain against the growing cost of decayed accuracy."""

    interval_days: float
    retrain_cost_usd_per_day: float
    decay_cost_usd_per_day: float

    @property
    def total_usd_per_day(self) -> float:
        return self.retrain_cost_usd_per_day + self.decay_cost_usd_per_day

    @property
    def bound(self) -> str:
        return "balanced"


def retraining_cadence(retrain_cost_usd: float, volume_per_day: float, accuracy_decay_per_day: float,
                       error_cost_usd: float) -> RetrainCadence:
    """Retraining interval minimising cost per day when accuracy decays linearly between retrains.

    cost/day = C_r/T + V·r·c_e·T/2  →  T* = √(2·C_r / (V·r·c_e))  (the two terms are then equal)
    Source: economic-order-quantity form (Harris 1913) applied to linear accuracy decay.
    """
    c = require_positive("retrain_cost_usd", retrain_cost_usd)
    k = require_positive("volume_per_day", volume_per_day) * require_positive(
        "accuracy_decay_per_day", accuracy_decay_per_day) * require_positive("error_cost_usd", error_cost_usd)
    t = math.sqrt(2.0 * c / k)
    return RetrainCadence(t, c / t, k * t / 2.0)


def labelled_count(timeline: DriftTimeline, day: int, label_delay_days: int, audit_fraction: float,
                   new_source_only: bool = False) -> float:
    """Expected audited slides whose labels have arrived by `day` (all sources, or the new source only).

    n(d) = a·Σ_{k ≤ d−L} V_k   (per-source: a·Σ_{k ≤ d−L} V_new,k); 0 before any label arrives
    Source: v1-14 Part B (a = 10 %, L = 5: 1,840 labelled by day 11; 25 new-site labels by day 7).
    """
    last = int(require_non_negative("day", day)) - int(require_non_negative("label_delay_days", label_delay_days))
    a = require_fraction("audit_fraction", audit_fraction)
    if last < 0:
        return 0.0
    volumes = timeline.new_volume if new_source_only else timeline.volume
    return a * sum(volumes[: last + 1])
