"""Responsible ML: what a threshold does to each group's errors (binormal score model), equalising one error rate,
the memory and accuracy bills of DP-SGD (accuracy by lookup only), and all guardrails of a policy at once.

The score model is illustrative (labelled assumptions); accuracy per privacy level comes only from Abadi et al.
2016 and is never interpolated.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

from engine.errors import (
    EngineInputError,
    require_choice,
    require_finite,
    require_non_negative,
    require_positive,
    require_positive_int,
)
from engine.provenance import assumed
from engine.registry import sources as S
from engine.registry.quality import DPSGD_MNIST
from engine.units import format_number

_PHI = NormalDist()
EPSILONS: tuple[str, ...] = tuple(DPSGD_MNIST)  # "none", "8", "2", "0.5"

CITED = {
    "dprime_a": assumed(3.0, "none", S.LABS_ASSUMPTIONS, "v1-15: separability of group A's correct reads"),
    "dprime_b": assumed(2.2, "none", S.LABS_ASSUMPTIONS, "v1-15: group B's reads are less separable"),
    "misread_ratio_b_over_a": assumed(3, "x", S.LABS_ASSUMPTIONS, "v1-15: group B misreads 3× as often"),
    "share_b": assumed(0.2, "fraction", S.LABS_ASSUMPTIONS, "v1-15: group B writes 20 % of cheques"),
}


@dataclass(frozen=True)
class GroupRates:
    """Binormal error rates at a threshold: false accepts (misreads credited) and false rejects (delays)."""

    threshold: float
    dprime: float
    far: float
    frr: float


def binormal_rates(threshold: float, dprime: float) -> GroupRates:
    """Error rates when misread scores ~ N(0, 1) and correct-read scores ~ N(d′, 1).

    FAR = 1 − Φ(t);  FRR = Φ(t − d′)
    `threshold` is a score threshold: any finite number, zero and negatives included.
    Source: signal-detection binormal model (Green & Swets 1966); v1-15 Part A math peek.
    """
    t = require_finite("threshold", threshold)
    d = require_non_negative("dprime", dprime)
    return GroupRates(t, d, 1.0 - _PHI.cdf(t), _PHI.cdf(t - d))


def equalize_rate(threshold_a: float, dprime_a: float, dprime_b: float, rate: str = "frr") -> float:
    """Group-B threshold that equalises one error rate with group A.

    equal FRR: t_B = d′_B − (d′_A − t_A);  equal FAR: t_B = t_A
    `threshold_a` is a score threshold: any finite number, zero and negatives included.
    Source: v1-15 Part B math peek (t_A = 2.0, d′ 3.0/2.2 → t_B = 1.2).
    """
    t = require_finite("threshold_a", threshold_a)
    if require_choice("rate", rate, ("frr", "far")) == "far":
        return t
    return require_non_negative("dprime_b", dprime_b) - (require_non_negative("dprime_a", dprime_a) - t)


def dpsgd_memory(lot_size: int, params: float, bytes_per_value: float = 4.0) -> float:
    """Memory for per-example gradients held at once by DP-SGD.

    M_grad = L_lot · P · b
    Source: Abadi et al. 2016 §3 (per-example clipping); v1-15 Part C (600 × 71,010 × 4 B = 170.4 MB).
    """
    return require_positive_int("lot_size", lot_size) * require_positive("params", params) * require_positive(
        "bytes_per_value", bytes_per_value)


@dataclass(frozen=True)
class DpAccuracy:
    """Measured accuracy at a privacy level, or None with the reason."""

    epsilon: str
    accuracy: float | None
    note: str


def dp_accuracy_lookup(epsilon: str) -> DpAccuracy:
    """MNIST accuracy at ε (δ = 1e-5) by lookup; other ε values are not in the table.

    A = T[ε]
    Source: Abadi et al. 2016 §5.2 (98.30 % non-private; 97 / 95 / 90 % at ε = 8 / 2 / 0.5).
    """
    key = str(epsilon)
    cell = DPSGD_MNIST.get(key)
    if cell is None:
        return DpAccuracy(key, None, "not in table: requires evaluation")
    return DpAccuracy(key, cell.value, cell.source.title)


@dataclass(frozen=True)
class Guardrails:
    """Every v1-15 guardrail of one policy: privacy, fairness gap, review load, wrong credits."""

    epsilon_per_year: float
    epsilon_budget: float
    delay_gap_points: float
    gap_target_points: float
    reviews_per_day: float
    review_capacity_per_day: float
    wrong_credits_a_per_day: float
    wrong_credits_b_per_day: float
    harm_ratio_b_over_a: float

    @property
    def review_utilization(self) -> float:
        return self.reviews_per_day / self.review_capacity_per_day

    @property
    def wrong_credits_per_day(self) -> float:
        return self.wrong_credits_a_per_day + self.wrong_credits_b_per_day

    @property
    def binding(self) -> str:
        """The guardrail with the largest ratio above 1 ('none' when all pass)."""
        ratios = {"privacy": self.epsilon_per_year / self.epsilon_budget,
                  "fairness": self.delay_gap_points / self.gap_target_points,
                  "review capacity": self.review_utilization}
        worst = max(ratios, key=lambda k: ratios[k])
        return worst if ratios[worst] > 1 or (worst == "review capacity" and ratios[worst] >= 1) else "none"

    @property
    def passes(self) -> bool:
        return self.binding == "none"

    def message(self) -> str:
        b = self.binding
        if b == "privacy":
            return (f"ε per year {format_number(self.epsilon_per_year)} > budget {format_number(self.epsilon_budget)}."
                    f" First fix: retrain less often or use a larger ε per run.")
        if b == "fairness":
            return (f"Fairness gap {format_number(self.delay_gap_points)} points > target "
                    f"{format_number(self.gap_target_points)} points. First fix: per-group thresholds.")
        if b == "review capacity":
            return (f"Reviews {format_number(self.reviews_per_day)}/day ≥ capacity "
                    f"{format_number(self.review_capacity_per_day)}/day (ρ = {self.review_utilization:.2f}): the "
                    f"backlog grows without bound. First fix: per-group thresholds, or less noise (ε = 8).")
        return ""


def policy_guardrails(policy: str = "single", threshold_a: float = 2.0, epsilon: str = "2", retrains_per_year: int = 12,
                      cheques_per_day: float = 20000.0, review_capacity_per_day: float = 4500.0,
                      epsilon_budget: float = 10.0, gap_target_points: float = 5.0) -> Guardrails:
    """All guardrails of a threshold + privacy policy.

    ε_yr = k·ε (basic composition);  m_A = 1 − A(ε), m_B = 3·m_A;
    reviews = Σ_g V_g·[(1 − m_g)·FRR_g + m_g·(1 − FAR_g)];  wrong credits = Σ_g V_g·m_g·FAR_g
    `threshold_a` is a score threshold: zero and negatives are valid, within ±8 (beyond 8σ FAR_A rounds to 0 and the
    harm ratio has no value).
    Source: v1-15 Part D math peek; Abadi et al. 2016 §5.1–5.2.
    """
    if abs(require_finite("threshold_a", threshold_a)) > 8:
        raise EngineInputError(f"`threshold_a` must be between -8 and 8 (got {threshold_a!r})")
    require_choice("policy", policy, ("single", "equal_delay"))
    acc = dp_accuracy_lookup(epsilon)
    if acc.accuracy is None:
        require_choice("epsilon", str(epsilon), EPSILONS)
    k = require_positive_int("retrains_per_year", retrains_per_year)
    eps_year = 0.0 if epsilon == "none" else k * float(epsilon)
    d_a, d_b = CITED["dprime_a"].value, CITED["dprime_b"].value
    m_a = 1.0 - acc.accuracy
    m_b = CITED["misread_ratio_b_over_a"].value * m_a
    t_b = threshold_a if policy == "single" else equalize_rate(threshold_a, d_a, d_b)
    ra, rb = binormal_rates(threshold_a, d_a), binormal_rates(t_b, d_b)
    v = require_positive("cheques_per_day", cheques_per_day)
    share_b = CITED["share_b"].value
    va, vb = v * (1 - share_b), v * share_b
    reviews = va * ((1 - m_a) * ra.frr + m_a * (1 - ra.far)) + vb * ((1 - m_b) * rb.frr + m_b * (1 - rb.far))
    wa, wb = va * m_a * ra.far, vb * m_b * rb.far
    return Guardrails(eps_year, require_positive("epsilon_budget", epsilon_budget), 100.0 * (rb.frr - ra.frr),
                      require_positive("gap_target_points", gap_target_points), reviews,
                      require_positive("review_capacity_per_day", review_capacity_per_day), wa, wb,
                      (m_b * rb.far) / (m_a * ra.far))


# --- v1-15 lab: score densities, per-group outcomes, the fair single-threshold band, DP-SGD fits, guardrail checks --

from engine.errors import require_fraction  # noqa: E402  (added with the v1-15 functions below)
from engine.registry.quality import DPSGD_EPOCH_SLOWDOWN  # noqa: E402
from engine.units import format_exact  # noqa: E402

# Bytes per per-example gradient value: FP32, as in the paper's TensorFlow implementation. Fixed on purpose: the
# accuracy table was measured with FP32 training, so a lower-precision lever would leave the table.
DP_GRADIENT_BYTES = assumed(4, "B", S.ABADI_DP, "FP32 gradients (32 bit ÷ 8); the measured rows used FP32 training")
# How many P-sized buffers DP-SGD needs when it streams one example at a time: the weights, the current example's
# gradient (clipped in place) and the running sum of clipped gradients (Abadi et al. 2016, Algorithm 1).
DP_STREAMING_BUFFERS = assumed(3, "count", S.ABADI_DP, "Algorithm 1: weights + one per-example gradient + clipped sum")


def score_density(score: float, dprime: float) -> tuple[float, float]:
    """Probability densities of one confidence score under the binormal model: (misread, correct read).

    f_miss(s) = φ(s);  f_ok(s) = φ(s − d′),  φ the standard normal density
    `score` is any finite number, zero and negatives included.
    Source: signal-detection binormal model (Green & Swets 1966); v1-15 Part A chart.
    """
    s = require_finite("score", score)
    d = require_non_negative("dprime", dprime)
    return _PHI.pdf(s), _PHI.pdf(s - d)


@dataclass(frozen=True)
class GroupOutcome:
    """Where V cheques of one group go at a threshold; the four parts add up to V.

    correct credited + delays (correct reads sent to review) + wrong credits + caught misreads = V.
    """

    volume: float
    misread_rate: float
    rates: GroupRates

    @property
    def correct_credited(self) -> float:
        return self.volume * (1 - self.misread_rate) * (1 - self.rates.frr)

    @property
    def delays(self) -> float:
        return self.volume * (1 - self.misread_rate) * self.rates.frr

    @property
    def wrong_credits(self) -> float:
        return self.volume * self.misread_rate * self.rates.far

    @property
    def caught_misreads(self) -> float:
        return self.volume * self.misread_rate * (1 - self.rates.far)

    @property
    def reviews(self) -> float:
        return self.delays + self.caught_misreads

    @property
    def auto_credited_share(self) -> float:
        return (self.correct_credited + self.wrong_credits) / self.volume

    @property
    def precision(self) -> float:
        """Share of auto-credits that were read correctly (1 when nothing is auto-credited)."""
        credited = self.correct_credited + self.wrong_credits
        return self.correct_credited / credited if credited > 0 else 1.0


def group_outcomes(threshold: float, dprime: float, misread_rate: float, volume: float = 1e4) -> GroupOutcome:
    """One group's delays, wrong credits, reviews, auto-credit share and precision at a threshold.

    delays = V(1 − m)·FRR;  wrong credits = V·m·FAR;  reviews = V[(1 − m)·FRR + m(1 − FAR)];
    precision = (1 − m)(1 − FRR) / [(1 − m)(1 − FRR) + m·FAR]      (V cheques, misread rate m)
    `threshold` is a score threshold: any finite number, zero and negatives included.
    Source: v1-15 Part A math peek; binormal rates (Green & Swets 1966); m from Abadi et al. 2016 §5.2.
    """
    m = require_fraction("misread_rate", misread_rate)
    v = require_positive("volume", volume)
    return GroupOutcome(v, m, binormal_rates(threshold, dprime))


def misread_rates(epsilon: str) -> tuple[float, float]:
    """Per-digit misread rates (m_A, m_B) at a privacy level, from the measured accuracy table only.

    m_A = 1 − A(ε);  m_B = r·m_A  (r = 3, assumption);  ε outside the table raises (no interpolation)
    Source: Abadi et al. 2016 §5.2 (accuracy per ε, δ = 1e-5); v1-15 score model (misread ratio, assumption).
    """
    acc = dp_accuracy_lookup(epsilon)
    if acc.accuracy is None:
        require_choice("epsilon", str(epsilon), EPSILONS)
    m_a = 1.0 - float(acc.accuracy)  # type: ignore[arg-type]
    return m_a, CITED["misread_ratio_b_over_a"].value * m_a


def dp_epoch_multiplier(epsilon: str) -> float:
    """Epoch time of DP-SGD relative to non-private training: 1 without DP, the measured 4.5× with any ε.

    T_DP / T = 180 s / 40 s = 4.5  (per-example gradients cost the time, not the noise level)
    Source: Abadi et al. 2016 §5.3 (CIFAR-10 epoch ≈ 40 s → ≈ 180 s); applied to the digit model (assumption).
    """
    key = str(require_choice("epsilon", str(epsilon), EPSILONS))
    return 1.0 if key == "none" else DPSGD_EPOCH_SLOWDOWN.value


@dataclass(frozen=True)
class DelayGap:
    """The delay-rate (false-reject) gap between two groups against a target, in percentage points."""

    frr_a: float
    frr_b: float
    target_points: float

    @property
    def gap_points(self) -> float:
        return 100.0 * abs(self.frr_b - self.frr_a)

    @property
    def passes(self) -> bool:
        return self.gap_points <= self.target_points

    def message(self) -> str:
        if self.passes:
            return ""
        late, early = ("B", "A") if self.frr_b >= self.frr_a else ("A", "B")
        rate = {"A": self.frr_a, "B": self.frr_b}
        return (f"Fairness gap {self.gap_points:.1f} points > target {self.target_points:.1f} points (group {late} "
                f"delayed {100 * rate[late]:.1f} % vs {early} {100 * rate[early]:.1f} %). First fix: per-group "
                f"thresholds (equal delay rates) or better training data for group {late} (v1-09).")


def delay_gap_check(rates_a: GroupRates, rates_b: GroupRates, gap_target_points: float) -> DelayGap:
    """Compare two groups' delay rates (correct reads sent to review) with a fairness target.

    Δ = 100·|FRR_B − FRR_A| points;  passes when Δ ≤ target
    Source: equal false-reject rates = equal true-positive rates ("equal opportunity", Hardt, Price & Srebro 2016);
    v1-15 Part A (26.2 points at t = 2.0).
    """
    return DelayGap(rates_a.frr, rates_b.frr, require_positive("gap_target_points", gap_target_points))


@dataclass(frozen=True)
class FairBand:
    """Single thresholds with a delay-rate gap within target: t ≤ t_low or t ≥ t_high (every t when all_pass)."""

    t_low: float
    t_high: float
    peak_threshold: float
    peak_gap_points: float
    all_pass: bool


def fair_single_thresholds(dprime_a: float, dprime_b: float, gap_target_points: float) -> FairBand:
    """The single thresholds whose delay-rate gap stays within a target.

    Δ(t) = 100·|Φ(t − d′_B) − Φ(t − d′_A)| peaks at t* = (d′_A + d′_B)/2, Δ* = 100·(2Φ(|d′_A − d′_B|/2) − 1);
    t_low < t* < t_high solve Δ(t) = target (bisection, 200 halvings)
    Source: v1-15 Part B reveal (d′ 3.0 / 2.2, 5 points → t ≤ 0.63 or t ≥ 4.57).
    """
    da = require_non_negative("dprime_a", dprime_a)
    db = require_non_negative("dprime_b", dprime_b)
    target = require_positive("gap_target_points", gap_target_points)
    peak_t = (da + db) / 2
    peak = 100.0 * (2 * _PHI.cdf(abs(da - db) / 2) - 1)
    if peak <= target:
        return FairBand(peak_t, peak_t, peak_t, peak, True)

    def gap(t: float) -> float:
        return 100.0 * abs(_PHI.cdf(t - db) - _PHI.cdf(t - da))

    def solve(inside: float, outside: float) -> float:
        for _ in range(200):
            mid = (inside + outside) / 2
            inside, outside = (mid, outside) if gap(mid) > target else (inside, mid)
        return outside

    return FairBand(solve(peak_t, peak_t - 40), solve(peak_t, peak_t + 40), peak_t, peak, False)


def dp_training_budget(context: str) -> tuple[float, str]:
    """Writable memory a context offers DP-SGD's per-example gradients, and its label.

    M_budget = the context's model memory (cloud 80 GB HBM3, edge 64 GB LPDDR5, mobile 4 GB app budget);
    tiny = the device's SRAM (flash holds weights read-only; gradients are rewritten every step)
    Source: v1-00 context envelope (engine.registry.hardware.get_context); ST DS12110 (STM32H743: 1 MiB RAM).
    """
    from engine.registry.hardware import get_context  # local: keeps this module's import graph small

    env = get_context(str(context))
    if env.key == "tiny":
        sram = env.device.memory_capacity_bytes
        return sram, f"({format_exact(sram, 'MiB')}) SRAM"
    return env.model_memory_bytes, env.model_memory_label


def dpsgd_streaming_bytes(params: float, bytes_per_value: float = 4.0) -> float:
    """Memory of DP-SGD streaming one example at a time: weights, one per-example gradient, the clipped sum.

    M_stream = 3·P·b
    Source: Abadi et al. 2016 Algorithm 1 (per-example gradient, clip, sum, add noise).
    """
    return DP_STREAMING_BUFFERS.value * require_positive("params", params) * require_positive(
        "bytes_per_value", bytes_per_value)


@dataclass(frozen=True)
class DpFit:
    """Per-example gradients of one lot against a context's writable memory."""

    context: str
    lot_size: int
    params: float
    bytes_per_value: float
    gradient_bytes: float
    budget_bytes: float
    budget_label: str

    @property
    def ratio(self) -> float:
        return self.gradient_bytes / self.budget_bytes

    @property
    def fits(self) -> bool:
        return self.gradient_bytes <= self.budget_bytes

    @property
    def streaming_bytes(self) -> float:
        return dpsgd_streaming_bytes(self.params, self.bytes_per_value)

    def message(self) -> str:
        if self.fits:
            return ""
        from engine.units import format_auto, format_value

        head = (f"Out of memory: {format_auto(self.gradient_bytes, 'bytes', 4)} of per-example gradients > "
                f"{format_auto(self.budget_bytes, 'bytes')} {self.budget_label}.")
        if self.streaming_bytes <= self.budget_bytes:
            w = self.params * self.bytes_per_value
            where = ", spread across SRAM banks" if "SRAM" in self.budget_label else ""
            return (f"{head} First fix: stream one example at a time (weights {format_value(w, 'MB', 2)} + two "
                    f"gradient buffers {format_value(2 * w, 'MB', 2)}{where}) or train centrally.")
        return f"{head} First fix: a smaller lot ({format_number(self.ratio, 3)}× over) or train centrally."


def dpsgd_fit(lot_size: int, params: float, context: str, bytes_per_value: float = 4.0) -> DpFit:
    """Does one lot of per-example gradients fit a context's writable memory?

    M_grad = L_lot·P·b  vs  M_budget (fits when M_grad ≤ M_budget)
    Source: Abadi et al. 2016 §3 (per-example clipping); v1-15 Part C (170.4 MB vs 1 MiB SRAM on tiny).
    """
    grad = dpsgd_memory(lot_size, params, bytes_per_value)
    budget, label = dp_training_budget(context)
    return DpFit(str(context), int(lot_size), float(params), float(bytes_per_value), grad, budget, label)


@dataclass(frozen=True)
class GuardrailCheck:
    """One guardrail of a policy: value against limit, and the sentence naming both and the first fix."""

    name: str  # privacy | fairness | review capacity
    value: float
    limit: float
    passes: bool
    message: str

    @property
    def ratio(self) -> float:
        return self.value / self.limit


@dataclass(frozen=True)
class PolicyReport:
    """A policy's guardrails (engine.responsible.Guardrails) and each guardrail checked on its own."""

    guardrails: Guardrails
    threshold_b: float
    checks: tuple[GuardrailCheck, ...]

    def check(self, name: str) -> GuardrailCheck:
        return next(c for c in self.checks if c.name == require_choice("name", name, [c.name for c in self.checks]))


def policy_report(policy: str = "single", threshold_a: float = 2.0, epsilon: str = "2", retrains_per_year: int = 12,
                  cheques_per_day: float = 20000.0, review_capacity_per_day: float = 4500.0,
                  epsilon_budget: float = 10.0, gap_target_points: float = 5.0,
                  retrain_choices: tuple[int, ...] = (1, 4, 12)) -> PolicyReport:
    """Every guardrail of a policy checked on its own, each with value, limit and first fix.

    privacy: k·ε ≤ ε_budget (basic composition);  fairness: 100·|FRR_B − FRR_A| ≤ target;
    review capacity: ρ = reviews / capacity < 1 (a queue with ρ ≥ 1 grows without bound)
    `threshold_a` may be zero or negative (a score threshold, within ±8 as in `policy_guardrails`).
    Source: v1-15 Part D failure states; basic composition (Dwork & Roth 2014, Thm 3.16); queue stability (v1-13).
    """
    for choice in retrain_choices:
        require_positive_int("retrain_choices", choice)
    g = policy_guardrails(policy, threshold_a, epsilon, retrains_per_year, cheques_per_day, review_capacity_per_day,
                          epsilon_budget, gap_target_points)
    d_a, d_b = CITED["dprime_a"].value, CITED["dprime_b"].value
    t_b = threshold_a if policy == "single" else equalize_rate(threshold_a, d_a, d_b)
    k = int(retrains_per_year)
    eps = float(epsilon) if epsilon != "none" else 0.0

    # privacy: the largest allowed cadence at this ε, or the largest tabled ε that fits once
    fixes = []
    cadence = [c for c in retrain_choices if eps > 0 and c * eps <= g.epsilon_budget]
    if cadence:
        fixes.append(f"retrain {max(cadence)}× a year")
    once = [e for e in EPSILONS if e != "none" and float(e) <= g.epsilon_budget and float(e) > eps]
    if once:
        fixes.append(f"use ε = {max(once, key=float)} once")
    priv_ok = g.epsilon_per_year <= g.epsilon_budget
    privacy = GuardrailCheck(
        "privacy", g.epsilon_per_year, g.epsilon_budget, priv_ok,
        "" if priv_ok else (f"ε per year {format_exact(g.epsilon_per_year, 'none', 3)} > budget "
                            f"{format_exact(g.epsilon_budget, 'none', 3)}"
                            f" ({k} retrains × ε {epsilon}). First fix: {' or '.join(fixes) or 'raise the budget'}."))

    gap = delay_gap_check(binormal_rates(threshold_a, d_a), binormal_rates(t_b, d_b), gap_target_points)
    fairness = GuardrailCheck("fairness", gap.gap_points, gap.target_points, gap.passes, gap.message())

    rho = g.review_utilization
    review_fixes = []
    if policy == "single":
        review_fixes.append("per-group thresholds")
    larger = [e for e in EPSILONS if e != "none" and float(e) > eps]
    if larger:
        review_fixes.append(f"less noise (ε = {max(larger, key=float)})")
    review_fixes.append(f"capacity above {format_number(g.reviews_per_day, 4)}/day")
    review = GuardrailCheck(
        "review capacity", g.reviews_per_day, g.review_capacity_per_day, rho < 1,
        "" if rho < 1 else (f"Reviews {format_number(g.reviews_per_day, 4)}/day ≥ capacity "
                            f"{format_number(g.review_capacity_per_day, 4)}/day (ρ = {rho:.2f}): the backlog grows "
                            f"without bound (v1-13). First fix: {', or '.join(review_fixes[:2])}."))
    return PolicyReport(g, t_b, (privacy, fairness, review))
