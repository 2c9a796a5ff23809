"""v1-03 — The Constraint Tax.

Foundations lab: price a constraint discovered late as the work it invalidates (Part A), see that saving the data
barely helps because late stages are large (Part B), add the cost of reaching fielded units after shipping (Part C),
and buy evaluation gates that minimise expected cost under a risk budget (Part D). Spec: shared/labs/v1-03.md.

Every number comes from `engine.workflow`: the plan (`plan_efforts`), rework (`rework_cost`), invalidation fractions
(`invalidation_profile`), the stage-6 bill (`field_fix_cost`), gate policies (`expected_gate_cost`, `GATES`) and
calendar time (`calendar_working_days`, `calendar_weeks`). This module chooses the scenario's settings and words
the results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.registry.hardware import CONTEXT_KEYS
from engine.units import format_number, format_value
from engine.workflow import (
    GATES,
    STAGE_ARTEFACTS,
    STAGES,
    calendar_weeks,
    calendar_working_days,
    expected_gate_cost,
    field_fix_cost,
    invalidation_profile,
    plan_efforts,
    rework_cost,
)
from labs.common import log_steps
from labs.schema import (
    Briefing,
    Chart,
    ChoicePrediction,
    FailureState,
    Lab,
    LedgerRead,
    LedgerWrite,
    MathPeek,
    NumericPrediction,
    Option,
    Output,
    Part,
    Reveal,
    SHARE,
    Scenario,
    Select,
    Slider,
    Synthesis,
    Toggle,
)

HOME = "v1-00.home_context"
AXIS = "v1-01.binding_axis_home"
AXIS_CHOICES = ("none", "capacity", "latency", "power")

# --- the scenario's settings ---------------------------------------------------------------------------------

E1_PD = 5.0  # stage-1 effort (assumption, engine.workflow.CITED)
GROWTH_R = 2.0  # each stage from 3 on costs as much as all earlier stages (assumption)
PLAN: tuple[float, ...] = plan_efforts(E1_PD, GROWTH_R)  # [5, 5, 10, 20, 40, 80]
TEAM_SIZE = 2.5  # people on the re-spin (assumption, scenario)
N_STAGES = len(STAGES)

CONSTRAINT_TYPES: tuple[Option, ...] = (
    Option("hardware_envelope", "hardware envelope (data reusable)"),
    Option("data_rights", "data rights (all invalidated)"),
    Option("custom", "custom (use the sliders below)"),
)

CONTEXT_NAME: Mapping[str, str] = {
    "cloud": "cloud API",
    "edge": "Kestrel field robots",
    "mobile": "phone app",
    "tiny": "soil sensors (no OTA)",
}
CONTEXT_SHORT: Mapping[str, str] = {"cloud": "cloud", "edge": "edge robots", "mobile": "phone app", "tiny": "tiny sensors"}
# Part C field costs per context (scenario values and assumptions, see the model note): fleet size n,
# person-days to reach one unit c, fixed person-days to ship a fix F.
FLEET: Mapping[str, float] = {"cloud": 1, "edge": 400, "mobile": 1, "tiny": 20_000}
PER_UNIT_PD: Mapping[str, float] = {"cloud": 0.0, "edge": 0.25, "mobile": 0.0, "tiny": 0.1}
RELEASE_PD: Mapping[str, float] = {"cloud": 0.5, "edge": 2.0, "mobile": 2.0, "tiny": 2.0}

PRIOR_Q = 0.5  # half of past projects hit an unseen deployment constraint (scenario)
RISK_BUDGET_PD = 20.0  # expected-cost budget (scenario)
GATE_KEYS = tuple(g.key for g in GATES)
# Part D's named policies (prediction options) and the extra ones the reveal prices
POLICIES: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "a": ("no gates", ()),
    "b": ("all four gates", GATE_KEYS),
    "c": ("envelope review + on-target prototype profiling", ("G1", "G3")),
    "d": ("pilot only", ("G4",)),
}
CHART_POLICIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("none", ()),
    ("G1", ("G1",)),
    ("G3", ("G3",)),
    ("G4", ("G4",)),
    ("G1+G3", ("G1", "G3")),
    ("all four", GATE_KEYS),
)


def _n(x: float) -> str:
    """A person-day count or multiplier as the spec prints it: 5, 13.25, 432.4, 2,162 (at most two decimals)."""
    if abs(x - round(x)) < 1e-9:
        return f"{round(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def _x(x: float) -> str:
    return f"{_n(x)}×"


def _efforts(e1: float, growth_r: float, edit_efforts: bool, e2: float, e3: float, e4: float, e5: float,
             e6: float) -> tuple[float, ...]:
    """The plan in use: regenerated from E₁ and r, or the directly edited table (E₁ is shared)."""
    if edit_efforts:
        return (e1, e2, e3, e4, e5, e6)
    return plan_efforts(e1, growth_r, N_STAGES)


def _parse_ready(pairs: Mapping[str, str]) -> str:
    """'cloud: 32.1, edge: 52.4, …' — the ledger's text form of a small mapping (as in v1-01)."""
    return ", ".join(f"{k}: {v}" for k, v in pairs.items())


def _plan_text(efforts: Sequence[float]) -> str:
    return "[" + ", ".join(_n(e) for e in efforts) + "]"


# --- Part A: calibration -------------------------------------------------------------------------------------


def stage5_multiplier() -> float:
    """Part A's answer: R(5) / R(1) on the scenario's plan (every stage invalidated)."""
    return rework_cost(5, PLAN).multiplier


def constraint_tax(discovery_stage: float, e1: float, growth_r: float, edit_efforts: bool, e2: float, e3: float,
                   e4: float, e5: float, e6: float, binding_axis: str) -> dict[str, Any]:
    """Part A model: rework when the constraint is found at stage s, its multiple of stage 1, and calendar time."""
    s = int(discovery_stage)
    efforts = _efforts(e1, growth_r, edit_efforts, e2, e3, e4, e5, e6)
    rework = rework_cost(s, efforts)
    by_stage = [rework_cost(k, efforts) for k in range(1, N_STAGES + 1)]
    days = calendar_working_days(rework.total_person_days, TEAM_SIZE)
    return {
        "rework": rework.total_person_days,
        "multiplier": rework.multiplier,
        "stage1": rework.stage1_person_days,
        "artefacts": ", ".join(STAGE_ARTEFACTS[:s]),
        "calendar": f"{_n(days)} working days ≈ {format_number(calendar_weeks(rework.total_person_days, TEAM_SIZE), 3)} "
                    f"weeks for {format_number(TEAM_SIZE, 2)} people",
        "calendar_days": days,
        "plan": _plan_text(efforts),
        "sum_text": " + ".join(_n(e) for e in rework.by_stage),
        "stage_name": STAGES[s - 1],
        "stage": str(s),
        "constraint": f"the flash limit (v1-01 axis on your home context: {binding_axis})",
        "stage5_multiplier": stage5_multiplier(),
        "charts": {
            "rework_by_stage": {
                "x": [f"{k}" for k in range(1, N_STAGES + 1)],
                "series": [
                    {
                        "name": "rework R(s)",
                        "y": [r.total_person_days if r.total_person_days > 0 else None for r in by_stage],
                        "status": ["fail" if k == s else "ok" for k in range(1, N_STAGES + 1)],
                        "labels": [_x(r.multiplier) for r in by_stage],
                    }
                ],
            }
        },
    }


def _reveal_a() -> str:
    r1, r5, r6 = (rework_cost(k, PLAN) for k in (1, 5, 6))
    return (
        f"Finding the flash limit at stage 1 costs R(1) = {_n(r1.total_person_days)} person-days: rewrite the requirements. "
        f"At stage 5 every stage so far is redone: R(5) = {' + '.join(_n(e) for e in r5.by_stage)} = "
        f"{_n(r5.total_person_days)} person-days, and {_n(r5.total_person_days)} ÷ {_n(r1.total_person_days)} = "
        f"**{_x(r5.multiplier)}**. In operations (stage 6) it is {_n(r6.total_person_days)} ÷ "
        f"{_n(r1.total_person_days)} = {_x(r6.multiplier)}.\n\n"
        f"\"A re-spin of a week or two\": at {format_number(TEAM_SIZE, 2)} people, {_n(r5.total_person_days)} ÷ "
        f"{format_number(TEAM_SIZE, 2)} = {_n(calendar_working_days(r5.total_person_days, TEAM_SIZE))} working days, "
        f"about {format_number(calendar_weeks(r5.total_person_days, TEAM_SIZE), 2)} weeks. The multiplier is "
        f"2^(s−1) here only because each stage costs as much as all earlier ones (r = 2); defect-cost studies report "
        f"steeper escalation."
    )


def _effort_sliders() -> tuple[Slider | Toggle, ...]:
    return (
        Toggle("edit_efforts", "Edit efforts directly (overrides r)", default=False,
               help="On: E₂…E₆ come from the sliders below instead of E₁ and r."),
        *(
            Slider(f"e{i}", f"Stage-{i} effort E{'₂₃₄₅₆'[i - 2]} (when editing directly)", "person-day", 0, 500,
                   PLAN[i - 1], step=1)
            for i in range(2, N_STAGES + 1)
        ),
    )


PART_A = Part(
    id="A",
    title="Calibration: the stage-5 multiplier",
    kind="calibration",
    scenario=Scenario(
        speaker="Inês Carvalho",
        role="program manager at Fieldnote Agritech",
        text=(
            "Our leaf-disease classifier was accepted by the pilot farms, and only at deployment did firmware tell us "
            "the model must fit in the sensor's 2 MiB of flash. The team says it's 'a re-spin of a week or two'. "
            "Finding this on day one would have cost us five person-days. What does finding it now cost?"
        ),
    ),
    prediction=NumericPrediction(
        prompt="Rework if the constraint is found at stage 5, as a multiple of finding it at stage 1.",
        unit="x",
        min=1,
        max=1000,
        answer="stage5_multiplier",
        scale="log",
    ),
    instruments=(
        Slider("discovery_stage", "Stage where the constraint is found", "count", 1, 6, 5, step=1,
               help="1 requirements · 2 data · 3 training · 4 evaluation · 5 deployment · 6 operations."),
        Slider("e1", "Stage-1 effort E₁", "person-day", 1, 20, E1_PD, step=1),
        Slider("growth_r", "Stage growth ratio r (regenerates E₃…E₆; E₂ = E₁)", "x", 1.0, 4.0, GROWTH_R, step=0.1),
        *_effort_sliders(),
    ),
    compute=constraint_tax,
    ledger_inputs={"binding_axis": AXIS},
    outputs=(
        Output("stage_name", "Found at", kind="text"),
        Output("rework", "Rework R(s)", "person-day", 3),
        Output("multiplier", "Multiple of finding it at stage 1", "x", 3),
        Output("artefacts", "Artefacts invalidated", kind="text"),
        Output("calendar", "Calendar", kind="text"),
        Output("plan", "Plan E (person-days)", kind="text"),
        Output("constraint", "Constraint", kind="text"),
        Output("stage1", "R(1)", "person-day", 3, show=False),
        Output("stage", "s", kind="text", show=False),
        Output("sum_text", "Sum", kind="text", show=False),
        Output("calendar_days", "Working days", "count", 3, show=False),
        Output("stage5_multiplier", "Stage-5 multiplier (scenario plan)", "x", 3, show=False),
    ),
    charts=(
        Chart(
            id="rework_by_stage",
            kind="bar",
            title="Rework if the constraint is found at each stage",
            x_label="Discovery stage",
            y_label="Rework R(s)",
            y_unit="person-day",
            y_log=True,
            description="Bar labels are multiples of stage 1; the red bar is your discovery stage.",
        ),
    ),
    math=MathPeek(
        equations=(
            r"R(s) = \sum_{i=1}^{s} E_i f_i,\qquad f_i = 1",
            r"E_1 = E,\ E_i = E\,r^{\,i-2}\ (i \ge 2):\quad R(s) = E\left[1 + \frac{r^{\,s-1}-1}{r-1}\right]",
            r"r = 2:\ R(s) = E\,2^{\,s-1},\qquad \frac{R(5)}{R(1)} = 2^4 = 16",
        ),
        substituted=(
            "E = {plan}",
            "R({stage}) = {sum_text} = {rework}",
            "R({stage}) ÷ R(1) = {rework} ÷ {stage1} = {multiplier}",
            "calendar: {calendar}",
        ),
        engine=("engine.workflow.plan_efforts", "engine.workflow.rework_cost", "engine.workflow.calendar_weeks"),
    ),
    reveal=Reveal(_reveal_a()),
)

# --- Part B: what drives the 16× -----------------------------------------------------------------------------


def data_reused_multiplier() -> float:
    """Part B's answer: the stage-5 multiplier when the data survive (hardware-envelope constraint)."""
    return rework_cost(5, PLAN, invalidation_profile("hardware_envelope", N_STAGES)).multiplier


def what_drives_it(discovery_stage: float, constraint_type: str, f1: float, f2: float, f3: float, f4: float,
                   f5: float, f6: float, binding_axis: str) -> dict[str, Any]:
    """Part B model: rework by contributing stage for a constraint type, and the share of the last stages."""
    s = int(discovery_stage)
    if constraint_type == "custom":
        f = (f1, f2, f3, f4, f5, f6)
    else:
        f = invalidation_profile(constraint_type, N_STAGES)
    rework = rework_cost(s, PLAN, f)
    total = rework.total_person_days
    last = rework.by_stage[-1]
    last_two = sum(rework.by_stage[-2:])
    return {
        "rework": total,
        "multiplier": rework.multiplier,
        "sum_text": " + ".join(_n(e) for e in rework.by_stage),
        "fractions": "[" + ", ".join(format_number(x, 2) if x not in (0, 1) else f"{x:.0f}" for x in f[:s]) + "]",
        "by_stage": "; ".join(f"{i + 1} {STAGE_ARTEFACTS[i]}: {_n(e)}" for i, e in enumerate(rework.by_stage)),
        "stage": str(s),
        "last_share": last / total if total > 0 else 0.0,
        "last_two_share": last_two / total if total > 0 else 0.0,
        "axis_text": f"{binding_axis} (v1-01, home context)",
        "data_reused_multiplier": data_reused_multiplier(),
        "charts": {
            "contributions": {
                "x": [f"{i + 1} {STAGE_ARTEFACTS[i]}" for i in range(s)],
                "series": [{"name": f"share of R({s})", "y": list(rework.by_stage)}],
            }
        },
    }


def _reveal_b() -> str:
    f = invalidation_profile("hardware_envelope", N_STAGES)
    r = rework_cost(5, PLAN, f)
    full = rework_cost(5, PLAN)
    return (
        f"With the data reusable, f = [{', '.join(f'{x:.0f}' for x in f[:5])}]: R(5) = "
        f"{' + '.join(_n(e) for e in r.by_stage)} = {_n(r.total_person_days)} person-days → "
        f"{_n(r.total_person_days)} ÷ {_n(r.stage1_person_days)} = **{_x(r.multiplier)}**, barely below "
        f"{_x(full.multiplier)}. The data were only {_n(PLAN[1])} of {_n(full.total_person_days)} person-days. "
        f"Stage 5 alone is {_n(r.by_stage[4])} ÷ {_n(r.total_person_days)} = "
        f"{format_value(r.by_stage[4] / r.total_person_days, 'percent', 2)} of the bill; stages 4–5 are "
        f"{_n(r.by_stage[3] + r.by_stage[4])} ÷ {_n(r.total_person_days)} = "
        f"{format_value((r.by_stage[3] + r.by_stage[4]) / r.total_person_days, 'percent', 2)}. A data-rights "
        f"constraint (all f = 1) costs the full {_x(full.multiplier)}.\n\n"
        f"What is lost is the model, evaluation and integration work: late stages are large, so they dominate the sum "
        f"(at r = 2 the last stage approaches (r − 1)/r = 50 % of R(s))."
    )


PART_B = Part(
    id="B",
    title="Deepening: what actually drives the 16×",
    kind="deepening",
    scenario=Scenario(
        speaker="Devika Rao",
        role="data lead at Fieldnote",
        text=(
            "At least our 40,000 labelled leaf photos survive — the flash limit doesn't touch the data. Surely that "
            "takes a big bite out of the bill?"
        ),
    ),
    prediction=NumericPrediction(
        prompt=(
            "If the collected data is fully reusable (stage 2 not invalidated), what is the stage-5 multiplier?"
        ),
        unit="x",
        min=1,
        max=32,
        answer="data_reused_multiplier",
        scale="linear",
    ),
    instruments=(
        Slider("discovery_stage", "Stage where the constraint is found", "count", 1, 6, 5, step=1),
        Select("constraint_type", "Constraint", CONSTRAINT_TYPES, default="hardware_envelope",
               help="Hardware envelope: the v1-01 limits (flash, latency, power); the labelled data survive."),
        *(
            Slider(f"f{i}", f"Fraction of stage {i} invalidated (custom only)", "fraction", 0, 1,
                   invalidation_profile("hardware_envelope", N_STAGES)[i - 1], step=0.1)
            for i in range(1, N_STAGES + 1)
        ),
    ),
    compute=what_drives_it,
    ledger_inputs={"binding_axis": AXIS},
    outputs=(
        Output("rework", "Rework R(s)", "person-day", 3),
        Output("multiplier", "Multiple of stage 1", "x", 3),
        Output("last_share", "Share from the discovery stage alone", "percent", 2, bounds=SHARE),
        Output("last_two_share", "Share from the last two stages", "percent", 2, bounds=SHARE),
        Output("by_stage", "Rework by stage (person-days)", kind="text"),
        Output("axis_text", "Your binding axis", kind="text"),
        Output("sum_text", "Sum", kind="text", show=False),
        Output("stage", "s", kind="text", show=False),
        Output("fractions", "f", kind="text", show=False),
        Output("data_reused_multiplier", "Stage-5 multiplier, data reusable", "x", 3, show=False),
    ),
    charts=(
        Chart(
            id="contributions",
            kind="bar",
            title="Where the rework comes from: each stage's invalidated work",
            x_label="Stage",
            y_label="Rework",
            y_unit="person-day",
            description="One bar per stage up to discovery; the last bars dominate because stages grow.",
        ),
    ),
    math=MathPeek(
        equations=(
            r"R(s) = \sum_{i \le s} E_i f_i",
            r"\frac{E_s}{R(s)} \to \frac{r-1}{r} = 50\,\%\ \text{at}\ r = 2",
        ),
        substituted=(
            "f = {fractions}",
            "R({stage}) = {sum_text} = {rework} → {multiplier}",
            "last stage: {last_share}; last two: {last_two_share}",
        ),
        engine=("engine.workflow.rework_cost", "engine.workflow.invalidation_profile"),
    ),
    reveal=Reveal(_reveal_b()),
)

# --- Part C: after shipping ----------------------------------------------------------------------------------


def largest_stage6_answer() -> str:
    """Part C's answer: the option key of the context with the largest stage-6 multiplier at the scenario's values."""
    m = {ctx: field_fix_cost(FLEET[ctx], PER_UNIT_PD[ctx], RELEASE_PD[ctx], PLAN).multiplier for ctx in CONTEXT_KEYS}
    return {"cloud": "a", "edge": "b", "mobile": "c", "tiny": "d"}[max(m, key=lambda k: m[k])]


def after_shipping(
    fleet_size_cloud: float, fleet_size_edge: float, fleet_size_mobile: float, fleet_size_tiny: float,
    per_unit_fix_cloud: float, per_unit_fix_edge: float, per_unit_fix_mobile: float, per_unit_fix_tiny: float,
    release_fixed_cloud: float, release_fixed_edge: float, release_fixed_mobile: float, release_fixed_tiny: float,
    home: str,
) -> dict[str, Any]:
    """Part C model: the stage-6 bill per context, split into redoing the engineering and reaching the field."""
    fleet = {"cloud": fleet_size_cloud, "edge": fleet_size_edge, "mobile": fleet_size_mobile, "tiny": fleet_size_tiny}
    unit = {"cloud": per_unit_fix_cloud, "edge": per_unit_fix_edge, "mobile": per_unit_fix_mobile,
            "tiny": per_unit_fix_tiny}
    fixed = {"cloud": release_fixed_cloud, "edge": release_fixed_edge, "mobile": release_fixed_mobile,
             "tiny": release_fixed_tiny}
    out: dict[str, Any] = {}
    eng, field, xs = [], [], []
    mults: dict[str, str] = {}
    for ctx in CONTEXT_KEYS:
        ff = field_fix_cost(fleet[ctx], unit[ctx], fixed[ctx], PLAN)
        out[f"{ctx}_total"] = ff.total_person_days
        out[f"{ctx}_multiplier"] = ff.multiplier
        out[f"{ctx}_field"] = ff.field_person_days
        out[f"{ctx}_weeks"] = calendar_weeks(ff.total_person_days, TEAM_SIZE)
        out[f"{ctx}_row"] = (
            f"{_n(ff.engineering_person_days)} + {_n(ff.release_person_days)} + {_n(fleet[ctx])} × "
            f"{_n(unit[ctx])} = {_n(ff.total_person_days)} person-days → "
            f"{_x(ff.multiplier)}"
        )
        mults[ctx] = _n(ff.multiplier)
        xs.append(CONTEXT_SHORT[ctx] + (" (home)" if ctx == home else ""))
        eng.append((ff.engineering_person_days + ff.release_person_days) / ff.stage1_person_days)
        f_x = ff.field_person_days / ff.stage1_person_days
        field.append(f_x if f_x > 0 else None)
    out["multipliers"] = _parse_ready(mults)
    out["engineering"] = sum(PLAN)
    out["largest_answer"] = largest_stage6_answer()
    out["charts"] = {
        "stage6_multiplier": {
            "x": xs,
            "series": [
                {"name": "redo engineering + release", "y": eng},
                {"name": "reach the field", "y": field,
                 "labels": ["" if v is not None else "0" for v in field]},
            ],
        }
    }
    return out


def _reveal_c() -> str:
    rows = []
    for ctx in ("cloud", "mobile", "edge", "tiny"):
        ff = field_fix_cost(FLEET[ctx], PER_UNIT_PD[ctx], RELEASE_PD[ctx], PLAN)
        reach = (
            f"{_n(FLEET[ctx])} × {_n(PER_UNIT_PD[ctx])} = {_n(ff.field_person_days)}"
            if PER_UNIT_PD[ctx]
            else ("via app store: 0" if ctx == "mobile" else f"{_n(FLEET[ctx])} × 0")
        )
        rows.append(
            f"| {CONTEXT_SHORT[ctx]} | {reach} | {_n(RELEASE_PD[ctx])} | "
            f"{_n(ff.total_person_days)} | {'**' if ctx == 'tiny' else ''}{_x(ff.multiplier)}"
            f"{'**' if ctx == 'tiny' else ''} |"
        )
    return (
        f"$R_6 = R(6) + F_\\text{{fixed}} + n\\,c$ with R(6) = {_n(sum(PLAN))} person-days:\n\n"
        "| context | fleet × per-unit | fixed | R₆ (person-days) | multiplier |\n|---|---|---|---|---|\n"
        + "\n".join(rows)
        + "\n\n**Tiny sensors** (answer (d)): without over-the-air update a technician visits every unit, so reaching "
        "the field costs more than all the engineering. After shipping, the multiplier is set by how you reach the "
        "field, not by the model."
    )


def _field_sliders() -> tuple[Slider, ...]:
    fleet_steps = log_steps(1, 100_000, (1, 2, 3, 4, 5, 7))
    return (
        *(
            Slider(f"fleet_size_{ctx}", f"Units in the field, {CONTEXT_SHORT[ctx]}", "count", 1, 100_000, FLEET[ctx],
                   steps=fleet_steps)
            for ctx in CONTEXT_KEYS
        ),
        *(
            Slider(f"per_unit_fix_{ctx}", f"Effort to reach one unit, {CONTEXT_SHORT[ctx]}", "person-day", 0, 2,
                   PER_UNIT_PD[ctx], step=0.01)
            for ctx in CONTEXT_KEYS
        ),
        *(
            Slider(f"release_fixed_{ctx}", f"Fixed cost to ship a fix, {CONTEXT_SHORT[ctx]}", "person-day", 0, 20,
                   RELEASE_PD[ctx], step=0.5)
            for ctx in CONTEXT_KEYS
        ),
    )


PART_C = Part(
    id="C",
    title="Cross-context: discovering it after shipping",
    kind="cross-context",
    scenario=Scenario(
        speaker="Inês Carvalho",
        role="program manager at Fieldnote Agritech",
        text=(
            "The same classifier ships in four products: a cloud API, Kestrel field robots (400 units), a phone app, "
            "and 20,000 flash-constrained soil sensors with no over-the-air update. If the constraint surfaces in "
            "operations (stage 6), how different is the bill?"
        ),
    ),
    prediction=ChoicePrediction(
        prompt="Stage-6 multiplier is largest for…",
        options=(
            Option("a", "cloud"),
            Option("b", "edge robots"),
            Option("c", "phone app"),
            Option("d", "tiny sensors"),
        ),
        answer="largest_answer",
    ),
    instruments=_field_sliders(),
    compute=after_shipping,
    ledger_inputs={"home": HOME},
    outputs=(
        *(
            Output(f"{ctx}_multiplier", f"Stage-6 multiplier, {CONTEXT_NAME[ctx]}", "x", 4 if ctx == "tiny" else 3)
            for ctx in CONTEXT_KEYS
        ),
        *(Output(f"{ctx}_total", f"R₆, {CONTEXT_NAME[ctx]}", "person-day", 4) for ctx in CONTEXT_KEYS),
        *(
            Output(f"{ctx}_weeks", f"Calendar weeks, {CONTEXT_NAME[ctx]} ({format_number(TEAM_SIZE, 2)} people)",
                   "count", 3)
            for ctx in CONTEXT_KEYS
        ),
        *(Output(f"{ctx}_field", f"{ctx} reach the field", "person-day", 3, show=False) for ctx in CONTEXT_KEYS),
        *(Output(f"{ctx}_row", f"{ctx} row", kind="text", show=False) for ctx in CONTEXT_KEYS),
        Output("multipliers", "Stage-6 multiplier by context", kind="text", show=False),
        Output("engineering", "R(6)", "person-day", 3, show=False),
        Output("largest_answer", "Answer key", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="stage6_multiplier",
            kind="grouped_bar",
            title="Stage-6 multiplier per context: redoing the engineering vs reaching the field",
            x_label="Context",
            y_label="Multiple of stage 1",
            y_unit="x",
            y_log=True,
            description="Two bars per context; the field bar is missing where reaching the field costs nothing.",
        ),
    ),
    math=MathPeek(
        equations=(r"R_6 = \sum_{i \le 6} E_i + F_\text{fixed} + n\,c_\text{unit}",),
        substituted=(
            "cloud: {cloud_row}",
            "edge: {edge_row}",
            "mobile: {mobile_row}",
            "tiny: {tiny_row}",
        ),
        engine=("engine.workflow.field_fix_cost", "engine.workflow.calendar_weeks"),
    ),
    reveal=Reveal(_reveal_c()),
)

# --- Part D: buy early warnings ------------------------------------------------------------------------------


def best_policy_answer() -> str:
    """Part D's answer: the option key of the named policy with the lowest expected cost at the scenario's values."""
    cost = {k: expected_gate_cost(g, PRIOR_Q, PLAN, 5, RISK_BUDGET_PD).total_person_days for k, (_, g) in POLICIES.items()}
    return min(cost, key=lambda k: cost[k])


def _gate_fix(gates_on: tuple[str, ...], prior_q: float, budget: float, message: str) -> str:
    """The engine's sentence, or — when G1 and G3 already run — the gate that lowers the total most."""
    if not {"G1", "G3"} <= set(gates_on):
        return message
    off = [g for g in GATE_KEYS if g not in gates_on]
    head = message.split(" First fix:")[0]
    if not off:
        return f"{head} First fix: every gate already runs; raise the budget or lower the chance of a hidden constraint."
    best = min(off, key=lambda g: expected_gate_cost((*gates_on, g), prior_q, PLAN, 5, budget).total_person_days)
    label = next(x.label for x in GATES if x.key == best)
    return f"{head} First fix: add {best} ({label}), or raise the budget."


def buy_warnings(gate_g1: bool, gate_g2: bool, gate_g3: bool, gate_g4: bool, prior_q: float,
                 risk_budget: float) -> dict[str, Any]:
    """Part D model: gate cost + expected rework of the chosen policy, and the named policies for comparison."""
    gates_on = tuple(k for k, on in zip(GATE_KEYS, (gate_g1, gate_g2, gate_g3, gate_g4)) if on)
    c = expected_gate_cost(gates_on, prior_q, PLAN, 5, risk_budget)
    rows = [(name, expected_gate_cost(g, prior_q, PLAN, 5, risk_budget)) for name, g in CHART_POLICIES]
    rows.append(("yours", c))
    return {
        "gate_cost": c.gate_person_days,
        "expected_rework": c.expected_rework_person_days,
        "total": c.total_person_days,
        "slip_probability": c.slip_probability,
        "within_budget": c.within_budget,
        "message": _gate_fix(gates_on, prior_q, risk_budget, c.message()),
        "gate_policy": ", ".join(gates_on) if gates_on else "none",
        "best_policy_answer": best_policy_answer(),
        "charts": {
            "policies": {
                "x": [name for name, _ in rows],
                "series": [
                    {
                        "name": "gate cost + expected rework",
                        "y": [r.total_person_days for _, r in rows],
                        "status": ["ok" if r.within_budget else "fail" for _, r in rows],
                        "labels": [f"{_n(r.gate_person_days)} + {_n(r.expected_rework_person_days)}" for _, r in rows],
                    }
                ],
                "lines": [{"y": risk_budget, "label": "budget"}],
            }
        },
    }


def _reveal_d() -> str:
    cost = {name: expected_gate_cost(g, PRIOR_Q, PLAN, 5, RISK_BUDGET_PD) for name, g in CHART_POLICIES}

    def t(name: str) -> str:
        c = cost[name]
        verdict = "" if c.within_budget else " (fail)"
        return f"{_n(c.total_person_days)}{verdict}"

    p1, p3 = (next(g.catch_probability for g in GATES if g.key == k) for k in ("G1", "G3"))
    g13 = cost["G1+G3"]
    every = cost["all four"]
    return (
        f"No gates: {_n(PRIOR_Q)} × {_n(sum(PLAN[:5]))} = {t('none')}. **G1 + G3**: gates "
        f"{_n(g13.gate_person_days)} + {_n(PRIOR_Q)} × ({_n(p1)} × {_n(PLAN[0])} + {_n(1 - p1)} × {_n(p3)} × "
        f"{_n(sum(PLAN[:3]))} + {_n(1 - p1)} × {_n(1 - p3)} × {_n(sum(PLAN[:5]))}) = {_n(g13.gate_person_days)} + "
        f"{_n(g13.expected_rework_person_days)} = **{_n(g13.total_person_days)}** person-days (answer "
        f"({best_policy_answer()})). "
        f"All four: {_n(every.gate_person_days)} + {_n(every.expected_rework_person_days)} = {t('all four')}: "
        f"the audit and the pilot cost more than the rework they still save. G3 alone {t('G3')}; G1 alone {t('G1')}; "
        f"G4 alone {t('G4')}.\n\n"
        "Cheap, early, targeted checks win: the envelope review catches half the constraints for one person-day, and "
        "on-target profiling catches most of the rest before evaluation and integration are built on them."
    )


PART_D = Part(
    id="D",
    title="Design challenge: buy early warnings",
    kind="design",
    scenario=Scenario(
        speaker="Ngozi Adeyemi",
        role="head of engineering, Fieldnote",
        text=(
            "For the next product, I'll fund checks after early stages. Keep the expected cost of gates plus rework "
            "under 20 person-days. Half of our past projects hit a deployment constraint nobody saw coming."
        ),
    ),
    prediction=ChoicePrediction(
        prompt="Which policy has the lowest expected cost?",
        options=tuple(Option(k, label) for k, (label, _) in POLICIES.items()),
        answer="best_policy_answer",
    ),
    instruments=(
        *(
            Toggle(f"gate_{g.key.lower()}", f"{g.key}: {g.label} (after stage {g.after_stage}; "
                   f"{format_number(g.cost_person_days, 2)} person-days, catches {g.catch_probability:.0%})")
            for g in GATES
        ),
        Slider("prior_q", "Chance a hidden constraint exists", "fraction", 0, 1, PRIOR_Q, step=0.05),
        Slider("risk_budget", "Expected-cost budget", "person-day", 5, 100, RISK_BUDGET_PD, step=1),
    ),
    compute=buy_warnings,
    outputs=(
        Output("gate_policy", "Gates run", kind="text"),
        Output("gate_cost", "Gate cost", "person-day", 3),
        Output("expected_rework", "Expected rework", "person-day", 3),
        Output("total", "Expected total", "person-day", 4),
        Output("slip_probability", "P(constraint reaches deployment | it exists)", "fraction", 3),
        Output("best_policy_answer", "Answer key", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="policies",
            kind="bar",
            title="Expected cost of each policy (gate cost + expected rework) against the budget",
            x_label="Policy",
            y_label="Expected cost",
            y_unit="person-day",
            description="Labels split gate cost + expected rework; red bars exceed the budget line; 'yours' follows "
                        "the checkboxes.",
        ),
    ),
    failures=(
        FailureState("over_budget", "Fast but blind", when="not within_budget", message="message"),
    ),
    math=MathPeek(
        equations=(
            r"\mathbb{E}[C] = \sum_{g} c_g + q\left[\sum_k \Big(\prod_{j<k}(1-p_j)\Big) p_k R(s_k) + "
            r"\prod_j (1-p_j)\,R(5)\right]",
        ),
        substituted=(
            "gates {gate_policy}: {gate_cost} + q {prior_q} × rework = {gate_cost} + {expected_rework} = {total}",
            "P(slip) = {slip_probability}; budget {risk_budget}",
        ),
        engine=("engine.workflow.expected_gate_cost",),
    ),
    reveal=Reveal(_reveal_d()),
)

# --- the lab -------------------------------------------------------------------------------------------------


def _self_assessment() -> tuple[tuple[str, str], ...]:
    r3 = plan_efforts(E1_PD, 3.0, 5)
    rw = rework_cost(5, r3)
    g3 = expected_gate_cost(("G3",), PRIOR_Q, PLAN, 5, RISK_BUDGET_PD)
    g4 = expected_gate_cost(("G4",), PRIOR_Q, PLAN, 5, RISK_BUDGET_PD)
    tiny5k = field_fix_cost(5_000, PER_UNIT_PD["tiny"], RELEASE_PD["tiny"], PLAN)
    return (
        (
            f"With r = 3 (E = {_plan_text(r3)}), stage-5 multiplier?",
            f"{_n(rw.total_person_days)} / {_n(rw.stage1_person_days)} = {_x(rw.multiplier)}.",
        ),
        (
            "Why does G4 alone cost more than G3 alone?",
            f"It is pricier (5 vs 3) and catches later, when R(4) = {_n(rework_cost(4, PLAN).total_person_days)} vs "
            f"R(3) = {_n(rework_cost(3, PLAN).total_person_days)} ({_n(g4.total_person_days)} vs "
            f"{_n(g3.total_person_days)} person-days).",
        ),
        (
            "Fleet of 5,000 sensors instead of 20,000: stage-6 multiplier?",
            f"({_n(tiny5k.engineering_person_days)} + {_n(tiny5k.release_person_days)} + "
            f"{_n(tiny5k.field_person_days)}) / {_n(tiny5k.stage1_person_days)} = {_x(tiny5k.multiplier)}.",
        ),
    )


def _gates_md() -> str:
    rows = [
        f"| {g.key} {g.label} | {g.after_stage} | {format_number(g.cost_person_days, 2)} | "
        f"{format_number(g.catch_probability, 2)} |"
        for g in GATES
    ]
    return "| gate | after stage | cost (person-days) | catch probability |\n|---|---|---|---|\n" + "\n".join(rows)


LAB = Lab(
    id="v1-03",
    title="The Constraint Tax",
    volume=1,
    section="Foundations",
    minutes=50,
    prerequisites=("v1-00", "v1-01"),
    core_question="Why does discovering a constraint at Stage 5 cost 16× more than at Stage 1?",
    briefing=Briefing(
        objectives=(
            "Compute the rework caused by a late-discovered constraint as the sum of the work it invalidates.",
            "Explain where the 16× comes from: later stages are larger, so they dominate the sum.",
            "Choose evaluation gates that minimise expected cost (gates + expected rework) under a risk budget.",
        ),
        decide="A gate policy (which checks run after which stage), written to the Design Ledger.",
        body=(
            "Lifecycle used throughout (`workflow.stages`): "
            + " · ".join(f"{i + 1} {name}" for i, name in enumerate(STAGES))
            + f".\n\nProject plan (`workflow.plan_efforts`, person-days): **E = {_plan_text(PLAN)}** — an "
            "**assumption** stated openly: from stage 2 on, each stage costs as much as all earlier stages combined "
            "(growth ratio r = 2). This is a conservative teaching default; software defect-cost studies (Boehm 1981, "
            "*Software Engineering Economics*; NASA/JSC \"Error Cost Escalation Through the Project Life Cycle\", "
            "Stecklein et al. 2004) report escalation of an order of magnitude or more between requirements and "
            "operations. Students can edit E and r.\n\n"
            "Gates (`workflow.gates`, **assumption**: illustrative costs and catch rates):\n\n" + _gates_md()
        ),
    ),
    parts=(PART_A, PART_B, PART_C, PART_D),
    synthesis=Synthesis(
        takeaways=(
            "Rework is the sum of invalidated work; a late discovery is expensive because late stages are big.",
            "Saving the data barely helps (16× → 15×); what you lose is model, evaluation and integration work.",
            "After shipping, the multiplier is set by how you reach the field: 32× in the cloud, 432× for sensors "
            "without OTA.",
        ),
        connections=(
            "v1-01 supplies the constraints a G1 review checks; v1-12 (benchmarks as gates); v1-14 (operations-stage "
            "discovery); v2-12 (canaries)."
        ),
        self_assessment=_self_assessment(),
    ),
    model_note=(
        "Rework is the invalidated share of each stage's planned effort, summed up to the discovery stage; the plan "
        "E = [5, 5, 10, 20, 40, 80] person-days (E₂ = E₁, then growth ratio r = 2) is a stated teaching assumption, "
        "gentler than the escalation defect-cost studies report (Boehm 1981; Stecklein et al. 2004). A "
        "hardware-envelope constraint invalidates every stage but the data (f₂ = 0); a data-rights constraint "
        "invalidates everything (assumptions, editable). Calendar time divides effort by a 2.5-person team and "
        "five working days a week, ignoring waiting and hand-offs. After shipping, reaching the field adds a fixed "
        "release cost plus a per-unit cost: robot on-site safety re-validation 0.25 person-day, sensor without OTA "
        "replaced by a technician 0.1 person-day (≈ 48 min), app release 2 person-days (calendar note: Apple states "
        "most App Store submissions are reviewed within 24 hours, App Review page), cloud redeploy 0.5 person-day "
        "(all assumptions). Gates run after stages 1–4 and catch a hidden constraint with the stated probabilities, "
        "independently; one that slips every gate is found at deployment (stage 5). Changes from the spec: the effort "
        "table and the custom invalidation fractions are one slider per stage (the schema has no table instrument), "
        "with a toggle that makes the direct efforts override r; Part A's chart cannot mark the locked prediction "
        "(compute never sees it), so the stage-5 bar is highlighted instead; the gate-policy chart prices six named "
        "policies and yours rather than the history of policies tried."
    ),
    reads=(
        LedgerRead(HOME, "Home context (v1-00)", "cloud", choices=CONTEXT_KEYS),
        LedgerRead(AXIS, "Binding axis on your home context (v1-01)", "capacity", choices=AXIS_CHOICES),
    ),
    writes=(
        LedgerWrite("v1-03.multiplier_prediction", "prediction", "A", "prediction", unit="x"),
        LedgerWrite("v1-03.stage5_multiplier", "number", "A", "stage5_multiplier", unit="x"),
        LedgerWrite("v1-03.stage5_multiplier_data_reused", "number", "B", "data_reused_multiplier", unit="x"),
        # text "cloud: 32.1, edge: 52.4, mobile: 32.4, tiny: 432.4" (× per context), as in v1-01
        LedgerWrite("v1-03.stage6_multiplier_by_context", "number", "C", "multipliers"),
        # text "G1, G3" (gate keys of engine.workflow.GATES) or "none"
        LedgerWrite("v1-03.gate_policy", "decision", "D", "gate_policy", when="change"),
        LedgerWrite("v1-03.expected_cost_pd", "decision", "D", "total", unit="person-day", when="change"),
        LedgerWrite("v1-03.risk_budget_pd", "decision", "D", "risk_budget", unit="person-day", when="change"),
    ),
)
