"""Workflow: the ML lifecycle's stages, the rework a late-discovered constraint causes, and the expected cost of
evaluation gates.

Rework is the sum of the work a constraint invalidates; after shipping, reaching the field adds a fixed release
cost plus a per-unit cost. Gate policies are priced as gate cost + expected rework under a prior.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine.errors import (
    EngineInputError,
    require_fraction,
    require_non_negative,
    require_positive,
    require_positive_int,
)
from engine.provenance import assumed
from engine.registry import sources as S
from engine.units import format_number

STAGES: tuple[str, ...] = (
    "Problem & requirements",
    "Data collection & labelling",
    "Model development & training",
    "Evaluation & validation",
    "Deployment & integration",
    "Monitoring & operations",
)

CITED = {
    "plan_e1_person_days": assumed(5, "person-day", S.LABS_ASSUMPTIONS, "v1-03 stage-1 effort"),
    "plan_growth_ratio": assumed(2, "x", S.LABS_ASSUMPTIONS, "v1-03: each stage costs as much as all earlier ones"),
    "gate_g1_cost": assumed(1, "person-day", S.LABS_ASSUMPTIONS, "G1 envelope review cost"),
    "gate_g1_catch": assumed(0.5, "fraction", S.LABS_ASSUMPTIONS, "G1 catch probability"),
    "gate_g2_cost": assumed(2, "person-day", S.LABS_ASSUMPTIONS, "G2 data audit cost"),
    "gate_g2_catch": assumed(0.2, "fraction", S.LABS_ASSUMPTIONS, "G2 catch probability"),
    "gate_g3_cost": assumed(3, "person-day", S.LABS_ASSUMPTIONS, "G3 on-target profiling cost"),
    "gate_g3_catch": assumed(0.8, "fraction", S.LABS_ASSUMPTIONS, "G3 catch probability"),
    "gate_g4_cost": assumed(5, "person-day", S.LABS_ASSUMPTIONS, "G4 hardware-in-the-loop pilot cost"),
    "gate_g4_catch": assumed(0.9, "fraction", S.LABS_ASSUMPTIONS, "G4 catch probability"),
}


@dataclass(frozen=True)
class Gate:
    """An evaluation gate run after `after_stage` (1-based), its cost (person-days) and catch probability."""

    key: str
    label: str
    after_stage: int
    cost_person_days: float
    catch_probability: float


GATES: tuple[Gate, ...] = tuple(
    Gate(k, label, stage, CITED[f"gate_{k.lower()}_cost"].value, CITED[f"gate_{k.lower()}_catch"].value)
    for k, label, stage in (
        ("G1", "envelope review against v1-01 limits", 1),
        ("G2", "data audit", 2),
        ("G3", "on-target prototype profiling", 3),
        ("G4", "hardware-in-the-loop pilot", 4),
    )
)

# --- v1-03 additions: what each stage produces, what a constraint invalidates, calendar time ------------------

STAGE_ARTEFACTS: tuple[str, ...] = (
    "requirements",
    "datasets",
    "trained checkpoints",
    "evaluation reports",
    "integration builds",
    "fielded releases",
)

CITED_V1_03 = {
    "invalidated_hardware_envelope": assumed(
        0, "fraction", S.LABS_ASSUMPTIONS, "v1-03: a hardware-envelope constraint leaves the labelled data reusable "
        "(stage 2 f = 0); every other stage up to discovery is redone (f = 1)"
    ),
    "invalidated_data_rights": assumed(
        1, "fraction", S.LABS_ASSUMPTIONS, "v1-03: a data-rights constraint invalidates every stage, data included"
    ),
    "working_days_per_week": assumed(5, "count", S.LABS_ASSUMPTIONS, "v1-03 calendar: five working days a week"),
}
_DATA_STAGE_F = {
    "hardware_envelope": CITED_V1_03["invalidated_hardware_envelope"].value,
    "data_rights": CITED_V1_03["invalidated_data_rights"].value,
}


def invalidation_profile(constraint_type: str, stages: int = 6) -> tuple[float, ...]:
    """Fraction f_i of each stage's work a late-found constraint invalidates, by kind of constraint.

    hardware envelope: f = [1, 0, 1, 1, 1, 1] (the data survive);  data rights: f = [1, 1, 1, 1, 1, 1]
    Args:
        constraint_type: 'hardware_envelope' or 'data_rights'; stages: how many stages (≥ 2).
    Returns:
        f_1 … f_n (fractions). Teaching assumptions, editable in v1-03 Part B.
    Source: v1-03 Part B (R(5) = 5 + 0 + 10 + 20 + 40 = 75 → 15× with the data reusable).
    """
    from engine.errors import require_choice

    kind = require_choice("constraint_type", constraint_type, tuple(_DATA_STAGE_F))
    n = require_positive_int("stages", stages)
    if n < 2:
        raise EngineInputError(f"`stages` must be at least 2 (got {stages!r})")
    return tuple([1.0, _DATA_STAGE_F[kind]] + [1.0] * (n - 2))


def calendar_working_days(person_days: float, team_size: float) -> float:
    """Working days a team needs for an effort when everyone works on it in parallel.

    D = W / n   (W person-days, n people; 80 person-days / 2.5 people = 32 working days)
    Source: definition; v1-03 Part A reveal.
    """
    return require_non_negative("person_days", person_days) / require_positive("team_size", team_size)


def calendar_weeks(person_days: float, team_size: float) -> float:
    """Calendar weeks for an effort: working days ÷ 5 working days per week.

    weeks = W / (n · 5)   (80 / (2.5 × 5) = 6.4 weeks)
    Source: definition; v1-03 Part A/C calendar outputs (five-day week, assumption).
    """
    return calendar_working_days(person_days, team_size) / CITED_V1_03["working_days_per_week"].value


def plan_efforts(e1_person_days: float = 5.0, growth_ratio: float = 2.0, stages: int = 6) -> tuple[float, ...]:
    """Stage efforts of a plan where E₂ = E₁ and later stages grow geometrically.

    E₁ = E;  E_i = E·r^(i−2) for i ≥ 2   (E = 5, r = 2 → [5, 5, 10, 20, 40, 80])
    Source: v1-03 briefing (a stated teaching assumption; Boehm 1981 and Stecklein et al. 2004 report more).
    """
    e = require_positive("e1_person_days", e1_person_days)
    r = require_positive("growth_ratio", growth_ratio)
    n = require_positive_int("stages", stages)
    return tuple([e] + [e * r ** (i - 2) for i in range(2, n + 1)])


@dataclass(frozen=True)
class Rework:
    """Rework by stage (person-days); `total_person_days` is their sum; `multiplier` is vs stage-1 discovery."""

    by_stage: tuple[float, ...]
    stage1_person_days: float

    @property
    def total_person_days(self) -> float:
        return sum(self.by_stage)

    @property
    def multiplier(self) -> float:
        return self.total_person_days / self.stage1_person_days

    @property
    def bound(self) -> str:
        """The stage contributing most (1-based), as text."""
        i = max(range(len(self.by_stage)), key=lambda k: self.by_stage[k])
        return f"stage {i + 1}"


def _check_efforts(efforts: Sequence[float]) -> tuple[float, ...]:
    if not efforts:
        raise EngineInputError("`efforts` must be a non-empty list of person-days (got [])")
    return tuple(require_non_negative(f"efforts[{i}]", e) for i, e in enumerate(efforts))


def rework_cost(discovery_stage: int, efforts: Sequence[float] = (5, 5, 10, 20, 40, 80),
                invalidated: Sequence[float] | None = None) -> Rework:
    """Rework when a constraint is discovered at stage s: the invalidated share of every stage up to s.

    R(s) = Σ_{i ≤ s} E_i·f_i   (f_i = 1 unless given); at r = 2, R(s) = E·2^(s−1), so R(5)/R(1) = 16
    Source: v1-03 Part A/B math peeks.
    """
    e = _check_efforts(efforts)
    s = require_positive_int("discovery_stage", discovery_stage)
    if s > len(e):
        raise EngineInputError(f"`discovery_stage` must be at most {len(e)} (got {discovery_stage!r})")
    f = [1.0] * s if invalidated is None else [require_fraction(f"invalidated[{i}]", x) for i, x in
                                               enumerate(invalidated)]
    if len(f) < s:
        f = f + [1.0] * (s - len(f))
    base = e[0] if e[0] > 0 else 1.0
    return Rework(tuple(e[i] * f[i] for i in range(s)), base)


@dataclass(frozen=True)
class FieldFix:
    """Stage-6 bill: redo engineering + fixed release cost + reaching every unit; parts add to the total."""

    engineering_person_days: float
    release_person_days: float
    field_person_days: float
    stage1_person_days: float

    @property
    def total_person_days(self) -> float:
        return self.engineering_person_days + self.release_person_days + self.field_person_days

    @property
    def multiplier(self) -> float:
        return self.total_person_days / self.stage1_person_days

    @property
    def bound(self) -> str:
        return "reach the field" if self.field_person_days > self.engineering_person_days else "redo engineering"


def field_fix_cost(fleet_size: float, per_unit_person_days: float, release_fixed_person_days: float,
                   efforts: Sequence[float] = (5, 5, 10, 20, 40, 80)) -> FieldFix:
    """Cost of a constraint discovered in operations, including reaching the fielded units.

    R₆ = Σ_{i ≤ 6} E_i + F_fixed + n·c_unit
    Source: v1-03 Part C math peek (tiny: 160 + 2 + 20,000 × 0.1 = 2,162 → 432.4×).
    """
    e = _check_efforts(efforts)
    n = require_non_negative("fleet_size", fleet_size)
    c = require_non_negative("per_unit_person_days", per_unit_person_days)
    return FieldFix(sum(e), require_non_negative("release_fixed_person_days", release_fixed_person_days), n * c,
                    e[0] if e[0] > 0 else 1.0)


@dataclass(frozen=True)
class GatePolicyCost:
    """Expected cost of a gate policy: gate cost + expected rework; P(constraint reaches deployment)."""

    gate_person_days: float
    expected_rework_person_days: float
    slip_probability: float
    budget_person_days: float

    @property
    def total_person_days(self) -> float:
        return self.gate_person_days + self.expected_rework_person_days

    @property
    def within_budget(self) -> bool:
        return self.total_person_days <= self.budget_person_days

    @property
    def bound(self) -> str:
        return "none" if self.within_budget else "risk budget"

    def message(self) -> str:
        if self.within_budget:
            return ""
        return (f"Expected cost {format_number(self.total_person_days)} person-days > "
                f"{format_number(self.budget_person_days)} budget "
                f"({format_number(self.total_person_days / self.budget_person_days)}×); the constraint reaches "
                f"deployment with probability {self.slip_probability:.2f}. First fix: add the cheap envelope review "
                f"(G1) and on-target profiling (G3).")


def expected_gate_cost(gates_on: Sequence[str], prior_q: float = 0.5,
                       efforts: Sequence[float] = (5, 5, 10, 20, 40, 80), discovery_stage: int = 5,
                       budget_person_days: float = 20.0, gates: Sequence[Gate] = GATES) -> GatePolicyCost:
    """Expected cost of running the chosen gates against a hidden constraint with prior probability q.

    E[C] = Σ_g c_g + q·[Σ_k (Π_{j<k}(1 − p_j))·p_k·R(s_k) + Π_j(1 − p_j)·R(5)]
    Source: v1-03 Part D math peek (G1 + G3: 4 + 0.5 × 18.5 = 13.25 person-days).
    """
    q = require_fraction("prior_q", prior_q)
    by_key = {g.key: g for g in gates}
    chosen = []
    for key in gates_on:
        if key not in by_key:
            raise EngineInputError(f"`gates_on` must list gates among {', '.join(by_key)} (got {key!r})")
        chosen.append(by_key[key])
    chosen.sort(key=lambda g: g.after_stage)
    miss = 1.0
    rework = 0.0
    for g in chosen:
        rework += miss * g.catch_probability * rework_cost(g.after_stage, efforts).total_person_days
        miss *= 1.0 - g.catch_probability
    rework += miss * rework_cost(discovery_stage, efforts).total_person_days
    return GatePolicyCost(sum(g.cost_person_days for g in chosen), q * rework, miss,
                          require_positive("budget_person_days", budget_person_days))

# Lower-case names the lab specs use (`workflow.stages`, `workflow.gates`).
stages = STAGES
gates = GATES
