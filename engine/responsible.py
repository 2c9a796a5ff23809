"""Responsible ML: what a threshold does to each group's errors (binormal score model), equalising one error rate,
the memory and accuracy bills of DP-SGD (accuracy by lookup only), and all guardrails of a policy at once.

The score model is illustrative (labelled assumptions); accuracy per privacy level comes only from Abadi et al.
2016 and is never interpolated.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

from engine.errors import require_choice, require_finite, require_non_negative, require_positive, require_positive_int
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
    Source: signal-detection binormal model (Green & Swets 1966); v1-15 Part A math peek.
    """
    t = require_finite("threshold", threshold)
    d = require_non_negative("dprime", dprime)
    return GroupRates(t, d, 1.0 - _PHI.cdf(t), _PHI.cdf(t - d))


def equalize_rate(threshold_a: float, dprime_a: float, dprime_b: float, rate: str = "frr") -> float:
    """Group-B threshold that equalises one error rate with group A.

    equal FRR: t_B = d′_B − (d′_A − t_A);  equal FAR: t_B = t_A
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
    Source: v1-15 Part D math peek; Abadi et al. 2016 §5.1–5.2.
    """
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
