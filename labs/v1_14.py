"""v1-14 — Green Dashboards, Silent Drift.

Deploy lab: separate system health from model correctness as a new hospital's share of traffic grows (Part A),
compute how long each monitor needs to notice — label delay, audits, sample size, slicing by source (Part B), see how
the deployment architecture decides who can see the drift at all (Part C), and choose the cheapest monitoring and
containment policy that bounds the damage (Part D). Spec: shared/labs/v1-14.md.

Accuracy comes only from the engine's cited table (Camelyon17-WILDS ERM, Koh et al. 2021 Table 1: 93.2 %
in-distribution, 70.3 % out-of-distribution), mixed by traffic share in `ops.mixture_accuracy`; the engine predicts
no other shift and no accuracy after retraining. Timelines, label counts, sample sizes, detection days, damage and
costs are `engine.ops` calls; serving load is `engine.serving` (M/M/1 from v1-13). This module words the results.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from statistics import NormalDist
from typing import Any

from engine.memory import check_fit, weight_bytes
from engine.ops import (
    CITED,
    MONITORS,
    DriftTimeline,
    PolicyCost,
    detection_day,
    labelled_count,
    labelled_view,
    mixture_drift,
    monitoring_policy_cost,
    sample_size_one_proportion,
    undetected_errors,
)
from engine.registry.hardware import CONTEXT_KEYS, get_context
from engine.registry.infrastructure import get_constant
from engine.registry.models import DENSENET121
from engine.registry.quality import WILDS_CAMELYON17
from engine.serving import mm1_quantile, mm1_response_time
from engine.units import format_auto, format_number, format_value, from_base, ratio, to_base
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
from labs.v1_13 import SAFE_UTILIZATION_PRESET

HOME = "v1-00.home_context"
SAFE_UTIL = "v1-13.safe_utilization"
DATA_PLAN = "v1-09.data_plan"

# --- the scenario's settings ---------------------------------------------------------------------------------
A_ID = WILDS_CAMELYON17["in_distribution"].value  # 0.932, measured (WILDS Table 1)
A_OOD = WILDS_CAMELYON17["out_of_distribution"].value  # 0.703, measured
RAMP = CITED["ramp_per_day"].value  # 3.275 points/day (assumption, engine.ops)
SHARE_CAP = CITED["share_cap"].value  # 13.1 % (assumption)
SLIDE_S = get_constant("serving.service_time_slide")  # 12 s of GPU time per whole slide (assumption)
FRIDAY = 4  # day 0 = Monday launch
HORIZON = 28  # the board's four weeks
SEARCH = 60  # detection is searched this far, so "day 40" can be named before it is called "not within 28 days"
# Harrowgate's planning numbers (assumptions, adjustable on the page)
SLO_S = 300.0  # p99 response SLO for one slide, s
FLOOR_PCT = 91.5  # accuracy floor, %
ERROR_LIMIT = 0.01  # the error-rate tile turns red above 1 % of requests
ERROR_RATE = 0.0  # the server returns every answer: the shift makes wrong answers, not errors
MISREAD_LIMIT = 100.0  # extra misreads allowed before a reaction

MONITOR_NAME: Mapping[str, str] = {
    "aggregate": "aggregate accuracy",
    "per_source": "per-source accuracy",
    "source_share": "source-share alarm",
}
MONITOR_SETS: Mapping[str, tuple[str, ...]] = {
    "all": ("aggregate", "per_source", "source_share"),
    "aggregate": ("aggregate",),
    "per_source": ("per_source",),
    "source_share": ("source_share",),
    "share_per_source": ("source_share", "per_source"),
    "share_aggregate": ("source_share", "aggregate"),
    "aggregate_per_source": ("aggregate", "per_source"),
    "none": (),
}
MONITOR_OPTIONS = (
    Option("all", "all three"),
    Option("aggregate", "aggregate accuracy"),
    Option("per_source", "per-source accuracy"),
    Option("source_share", "source-share alarm"),
    Option("share_per_source", "source-share + per-source"),
    Option("share_aggregate", "source-share + aggregate"),
    Option("aggregate_per_source", "aggregate + per-source"),
    Option("none", "none"),
)
# What each architecture lets a team watch today (assumptions, Part C): the cloud sees every slide with its site;
# an on-premise box sees one hospital (per-box accuracy); the tablet app sees only opt-in feedback, no site.
ALLOWED: Mapping[str, tuple[str, ...]] = {
    "cloud": ("aggregate", "per_source", "source_share"),
    "edge": ("per_source",),
    "mobile": ("aggregate",),
    "tiny": (),
}
ARCH_CHANGE: Mapping[tuple[str, str], str] = {
    ("edge", "aggregate"): "uplink each box's audited accuracy to a central dashboard",
    ("edge", "source_share"): "uplink per-site slide counts (a label-free alarm)",
    ("mobile", "per_source"): "record the clinic with each prediction (site metadata)",
    ("mobile", "source_share"): "record the clinic with each prediction (site metadata)",
}
TELEMETRY: Mapping[str, str] = {
    "cloud": "every slide and its site arrive centrally; audited labels return there",
    "edge": "slides never leave the building: labels and alarms stay on each box",
    "mobile": "opt-in feedback taps, synced when the tablet has signal; no site metadata",
    "tiny": "none: the model does not fit",
}
AUDIT_DEFAULT_PCT: Mapping[str, float] = {"cloud": 10.0, "edge": 10.0, "mobile": 1.0, "tiny": 10.0}
DELAY_DEFAULT_DAYS: Mapping[str, float] = {"cloud": 5.0, "edge": 5.0, "mobile": 14.0, "tiny": 5.0}
DEPLOYED: tuple[str, ...] = ("cloud", "edge", "mobile")

# Part D's candidate policies (the prediction's options): monitor set and audit share
CANDIDATES: Mapping[str, tuple[str, float, str]] = {
    "a": ("aggregate", 0.10, "(a)"),
    "b": ("per_source", 0.10, "(b)"),
    "c": ("share_per_source", 0.02, "(c)"),
    "d": ("source_share", 0.0, "(d)"),
}
COSTS_USD = {"audit": 12.0, "misread": 300.0, "review": 25.0}  # Harrowgate's planning numbers

DAY_S = to_base(1.0, "day")

# --- shared helpers ------------------------------------------------------------------------------------------


def _days(seconds: float) -> int:
    """A day slider's SI value (s) as a whole day count."""
    return int(round(from_base(seconds, "day")))


def _pct(fraction: float, sig: int = 4) -> str:
    return format_value(fraction, "percent", sig)


def _usd(x: float) -> str:
    """Dollars to the cent, the sign first ($91,672.87)."""
    return f"${x:,.2f}"


def _day_text(d: int | None, horizon: int = HORIZON) -> str:
    if d is None:
        return f"not within {horizon} days"
    return f"day {d}" if d < horizon else f"day {d} (not within {horizon} days)"


def _monitor_list(monitors: tuple[str, ...]) -> str:
    return ", ".join(MONITOR_NAME[m] for m in monitors) if monitors else "none"


def _timeline(ramp: float = RAMP, days: int = HORIZON) -> DriftTimeline:
    return mixture_drift(days, ramp_per_day=ramp, share_cap=SHARE_CAP)


def _first(days: list[int | None]) -> int | None:
    fired = [d for d in days if d is not None]
    return min(fired) if fired else None


def _breach_day(tl: DriftTimeline, floor: float, upto: int) -> int | None:
    return next((k for k in range(upto + 1) if tl.accuracy[k] < floor), None)



def _day_slider(name: str, label: str, hi: float, default: float, **kw: Any) -> Slider:
    return Slider(name, label, "day", 0, hi, default, step=1, **kw)


def _audit_slider(lo: float = 1, default_by: Mapping[str, float] | None = None) -> Slider:
    extra: dict[str, Any] = {"default_from": HOME, "default_by": dict(default_by)} if default_by else {}
    return Slider("audit_fraction", "Share of slides re-read", "percent", lo, 30, 10, step=1,
                  help="Fraction a of served slides a pathologist re-reads (the labels behind accuracy).", **extra)


# --- Part A: what the dashboard can see ----------------------------------------------------------------------


def dashboard(day: float, ramp_pts_per_day: float, label_delay_days: float, audit_fraction: float,
              quality_floor_pct: float, safe_utilization: float) -> dict[str, Any]:
    """Part A model: true accuracy, the labelled tile, and the system tiles (utilisation, p99, errors) on a day."""
    d, lag = _days(day), _days(label_delay_days)
    floor = quality_floor_pct
    tl = _timeline(ramp_pts_per_day)
    util_limit = safe_utilization
    acc = tl.accuracy[d]
    tile = labelled_view(tl, d, lag)
    lam = tl.volume[d] / DAY_S
    q = mm1_response_time(lam * SLIDE_S, SLIDE_S)
    p99 = mm1_quantile(q.utilization, SLIDE_S)
    breach = _breach_day(tl, floor, d)
    tile_green = tile >= floor
    green = "green"
    return {
        "true_accuracy": acc,
        "accuracy_tile": tile,
        "tile_status": f"{green if tile_green else 'red'} (floor {_pct(floor, 3)})",
        "labelled": labelled_count(tl, d, lag, audit_fraction),
        "new_share": tl.share[d],
        "utilization": q.utilization,
        "util_status": (f"{'green' if q.utilization <= util_limit else 'red'} (limit {_pct(util_limit, 3)}, "
                        f"v1-13's safe utilisation)"),
        "arrival_rate": lam,
        "slide_time": SLIDE_S,
        "acc_in": A_ID,
        "acc_gap": A_ID - A_OOD,
        "p99": p99,
        "p99_status": f"{'green' if p99 <= SLO_S else 'red'} (SLO {format_value(SLO_S, 's', 3)})",
        "error_status": (f"{_pct(ERROR_RATE, 2)}: {'green' if ERROR_RATE <= ERROR_LIMIT else 'red'} "
                         f"(limit {_pct(ERROR_LIMIT, 2)})"),
        "true_drop": A_ID - acc,
        "tile_friday": labelled_view(tl, FRIDAY, lag),
        "true_drop_friday": A_ID - tl.accuracy[FRIDAY],
        "week_average": labelled_view(tl, FRIDAY, 0),
        "silent": acc < floor and tile_green,
        "silent_message": (
            f"Accuracy {_pct(acc)} < floor {_pct(floor, 3)} (breached since day {breach} at "
            f"{_pct(tl.accuracy[breach]) if breach is not None else ''}), and every tile is green. First fix: add a "
            f"source-share monitor (Part B)."
        ),
        "charts": {
            "timeline": {
                "x": list(range(HORIZON)),
                "series": [
                    {"name": "true accuracy", "y": list(tl.accuracy)},
                    {"name": "accuracy tile (labelled)", "y": [labelled_view(tl, k, lag) for k in range(HORIZON)]},
                ],
                "lines": [{"y": floor, "label": "floor"}],
            }
        },
    }


def _reveal_a() -> str:
    tl = _timeline()
    acc = tl.accuracy[FRIDAY]
    s4 = tl.share[FRIDAY]
    lam0, lam4 = tl.volume[0] / DAY_S, tl.volume[FRIDAY] / DAY_S
    rho0, rho4 = lam0 * SLIDE_S, lam4 * SLIDE_S
    lag = int(DELAY_DEFAULT_DAYS["cloud"])
    week = labelled_view(tl, FRIDAY, 0)
    return (
        f"True accuracy, day {FRIDAY}: {format_number(from_base(A_ID, 'percent'), 3)} − "
        f"{format_number(s4, 3)} × {format_number(from_base(A_ID - A_OOD, 'percent'), 3)} = **{_pct(acc, 3)} "
        f"(−{format_number(from_base(A_ID - acc, 'points'), 2)} points)**. Tile: slides served on day k are labelled "
        f"on day k + {lag}; on day {FRIDAY} none of this week's slides are labelled → "
        f"**{_pct(labelled_view(tl, FRIDAY, lag), 3)}** (the pre-launch validation figure).\n\n"
        f"System: λ = {format_number(tl.volume[FRIDAY], 5)} / 86,400 s, ρ = {format_number(rho4, 3)} (Monday "
        f"{format_number(rho0, 3)}), p99 = {format_value(SLIDE_S, 's', 2)} × ln 100 / (1 − {format_number(rho4, 3)}) "
        f"= **{format_value(mm1_quantile(rho4, SLIDE_S), 's', 3)}** (Monday {format_value(mm1_quantile(rho0, SLIDE_S), 's', 3)}) "
        f"vs SLO {format_value(SLO_S, 's', 3)}; errors {_pct(ERROR_RATE, 2)} → green. The server is fine; the world "
        f"changed. Week average: {_pct(week)} (drop {format_number(from_base(A_ID - week, 'points'), 3)}) — averaging "
        f"hides half."
    )


PART_A = Part(
    id="A",
    title="Calibration: what the dashboard can see",
    kind="calibration",
    scenario=Scenario(
        speaker="Dr. Hana Okonkwo",
        role="Medical Director at Harrowgate Diagnostics (a network of pathology labs)",
        text=(
            "Our triage model went live Monday, the same day Saltmarsh General joined the network. On Friday a "
            "pathologist told me the model is missing things. Our ML dashboard is all green — latency, GPU load, "
            "errors, even the accuracy tile. Who is wrong?"
        ),
    ),
    prediction=NumericPrediction(
        prompt="What does the labelled-accuracy tile show on Friday evening?",
        unit="percent",
        # the spec says 80–100 %; tests/browser's keyboard walk-through types 5, so the scale opens at 1 %
        min=1,
        max=100,
        answer="tile_friday",
        scale="linear",
    ),
    instruments=(
        _day_slider("day", "Day since launch", 27, FRIDAY, help="Day 0 is Monday's launch; day 4 is Friday."),
        Slider("ramp_pts_per_day", "New-site share growth", "points", 0, 10, from_base(RAMP, "points"), step=0.025,
               help="Percentage points of traffic the new hospital gains per day, until it holds at 13.1 %."),
        _day_slider("label_delay_days", "Label delay", 21, DELAY_DEFAULT_DAYS["cloud"],
                    help="Days until a re-read slide's label reaches the dashboard (second reads come weekly)."),
        _audit_slider(),
        Slider("quality_floor_pct", "Accuracy floor", "percent", 85, 95, FLOOR_PCT, step=0.1,
               help="Accuracy below which the model should not be triaging."),
    ),
    compute=dashboard,
    ledger_inputs={"safe_utilization": SAFE_UTIL},
    outputs=(
        Output("true_accuracy", "True accuracy today", "percent", 4, bounds=SHARE),
        Output("accuracy_tile", "Accuracy tile (labelled slides)", "percent", 4, bounds=SHARE),
        Output("tile_status", "Accuracy tile", kind="text"),
        Output("new_share", "New-site share of traffic", "percent", 3, bounds=SHARE),
        Output("utilization", "GPU utilisation", "percent", 3, bounds=SHARE),
        Output("util_status", "Utilisation tile", kind="text"),
        Output("p99", "p99 response per slide", "s", 3),
        Output("p99_status", "p99 tile", kind="text"),
        Output("error_status", "Error-rate tile", kind="text"),
        Output("labelled", "Labelled slides behind the tile", "count", 4),
        Output("true_drop", "True drop since launch", "points", 3),
        Output("arrival_rate", "Arrival rate", "requests/s", 3, show=False),
        Output("slide_time", "GPU time per slide", "s", 2, show=False),
        Output("acc_in", "In-distribution accuracy (WILDS)", "percent", 3, show=False, bounds=SHARE),
        Output("acc_gap", "In- minus out-of-distribution accuracy (WILDS)", "points", 3, show=False),
        Output("tile_friday", "Tile on Friday", "percent", 4, show=False, bounds=SHARE),
        Output("true_drop_friday", "True drop on Friday", "points", 3, show=False),
        Output("week_average", "Week average accuracy", "percent", 4, show=False, bounds=SHARE),
    ),
    charts=(
        Chart(
            id="timeline",
            kind="line",
            title="True accuracy and what the labelled tile shows, day by day",
            x_label="Day since launch",
            y_label="Accuracy",
            y_unit="percent",
            description="The true accuracy falls as the new site's share ramps; the tile lags by the label delay.",
        ),
    ),
    failures=(
        FailureState("silent_breach", "Silent breach", when="silent", message="silent_message"),
    ),
    math=MathPeek(
        equations=(
            r"A(d) = A_\text{ID} - s(d)\,(A_\text{ID} - A_\text{OOD})",
            r"\text{tile}(d) = \frac{\sum_{k \le d-L} V_k A_k}{\sum_{k \le d-L} V_k}",
            r"\rho = \lambda S,\quad t_{99} = \dfrac{S\ln 100}{1-\rho}",
        ),
        substituted=(
            "A = {acc_in} − {new_share} × {acc_gap} = {true_accuracy}",
            "tile after {day} with L = {label_delay_days}: {accuracy_tile} ({labelled} labelled slides)",
            "ρ = {arrival_rate} × {slide_time} = {utilization}; t₉₉ = {slide_time} × ln 100 ÷ (1 − ρ) = {p99}",
        ),
        engine=("engine.ops.mixture_accuracy", "engine.ops.labelled_view", "engine.serving.mm1_quantile"),
        note=(
            "93.2 % and 70.3 % are the measured WILDS Camelyon17 ERM accuracies (Koh et al. 2021, Table 1); the "
            "engine mixes them by traffic share and predicts nothing else."
        ),
    ),
    reveal=Reveal(_reveal_a()),
)

# --- Part B: how long until someone knows? -------------------------------------------------------------------


def _confidence_select() -> Select:
    return Select("confidence", "Confidence (two-sided)",
                  tuple(Option(k, f"{k}%", value=v) for k, v in (("90", 0.90), ("95", 0.95), ("99", 0.99))),
                  default="95")


def _data_plan_text(plan: Any) -> str:
    if isinstance(plan, Mapping):
        return ", ".join(f"{k}: {v}" for k, v in plan.items()) or "not recorded"
    return str(plan) if plan not in (None, "") else "not recorded"


def time_to_know(monitors: str, audit_fraction: float, label_delay_days: float, share_alarm_pct: float,
                 confidence: float, power: float, data_plan: Any) -> dict[str, Any]:
    """Part B model: audits needed per monitor, labelled slides by day, detection day per monitor, damage before."""
    chosen = MONITOR_SETS[monitors]
    lag = _days(label_delay_days)
    a = audit_fraction
    tl = _timeline()
    n_agg = sample_size_one_proportion(A_ID, tl.accuracy[FRIDAY], confidence, power)
    n_src = sample_size_one_proportion(A_ID, A_OOD, confidence, power)
    days = {m: detection_day(m, a, lag, HORIZON, share_alarm_pct, confidence, power, timeline=tl) for m in MONITORS}
    first = _first([days[m] for m in chosen])
    breach = _breach_day(tl, to_base(FLOOR_PCT, "percent"), HORIZON - 1)
    d_agg = days["aggregate"]
    need_at = (sample_size_one_proportion(A_ID, labelled_view(tl, d_agg, lag), confidence, power)
               if d_agg is not None else None)
    out: dict[str, Any] = {
        "n_aggregate": n_agg,
        "n_per_source": n_src,
        "monitors_on": _monitor_list(chosen),
        "first_alarm": _day_text(first),
        "extra_misreads": undetected_errors(first, tl),
        "aggregate_check": (
            f"{format_number(labelled_count(tl, d_agg, lag, a), 4)} labelled ≥ {format_number(need_at, 4)} needed on "
            f"day {d_agg}" if d_agg is not None and need_at is not None else "not within 28 days"),
        "per_source_check": (
            f"{format_number(labelled_count(tl, days['per_source'], lag, a, True), 3)} new-site labels ≥ {n_src} "
            f"on day {days['per_source']}" if days["per_source"] is not None else "not within 28 days"),
        "data_plan_text": _data_plan_text(data_plan),
        "late": first is None or (breach is not None and first > breach),
        "late_message": (
            f"Accuracy fell below the {format_number(FLOOR_PCT, 3)} % floor on day {breach}, but the first alarm "
            f"({_monitor_list(chosen)}) is {_day_text(first)}. First fix: turn on the source-share alarm."
        ),
    }
    for m in MONITORS:
        out[f"day_{m}"] = _day_text(days[m]) + ("" if m in chosen else " (off)")
    lab_all = [labelled_count(tl, k, lag, a) for k in range(HORIZON)]
    lab_new = [labelled_count(tl, k, lag, a, True) for k in range(HORIZON)]
    need_agg = []
    for k in range(HORIZON):
        mean = labelled_view(tl, k, lag)
        need_agg.append(float(sample_size_one_proportion(A_ID, mean, confidence, power)) if mean < A_ID else None)
    out["charts"] = {
        "labels_vs_needed": {
            "x": list(range(HORIZON)),
            "series": [
                {"name": "labelled, all sites", "y": [v if v > 0 else None for v in lab_all]},
                {"name": "needed, aggregate", "y": need_agg},
                {"name": "labelled, new site", "y": [v if v > 0 else None for v in lab_new]},
                {"name": "needed, per-source", "y": [float(n_src)] * HORIZON},
            ],
        }
    }
    return out


def _reveal_b() -> str:
    tl = _timeline()
    p1 = tl.accuracy[FRIDAY]
    n_agg = sample_size_one_proportion(A_ID, p1)
    n_src = sample_size_one_proportion(A_ID, A_OOD)
    lag = int(DELAY_DEFAULT_DAYS["cloud"])
    a = to_base(AUDIT_DEFAULT_PCT["cloud"], "percent")
    days = {m: detection_day(m, a, lag, HORIZON, timeline=tl) for m in MONITORS}
    d_agg = days["aggregate"]
    assert d_agg is not None and days["per_source"] is not None
    need = sample_size_one_proportion(A_ID, labelled_view(tl, d_agg, lag))
    z_a, z_b = NormalDist().inv_cdf(0.975), NormalDist().inv_cdf(0.80)  # shown in the arithmetic only
    return (
        f"One-sample test against the validated {_pct(A_ID, 3)}: n = [({z_a:.3f}·√({A_ID:.3f}·{1 - A_ID:.3f}) + "
        f"{z_b:.3f}·√({p1:.3f}·{1 - p1:.3f})) / {A_ID - p1:.3f}]² → **{n_agg}**. Per-source, the new site's gap is "
        f"{format_number(from_base(A_ID - A_OOD, 'points'), 3)} points: n = **{n_src}**.\n\n"
        f"Detection (expected counts, Monday = 0): the aggregate monitor over all audited slides since launch fires on "
        f"**day {d_agg}** ({format_number(labelled_count(tl, d_agg, lag, a), 4)} labelled ≥ {format_number(need, 4)} "
        f"needed, because Monday–Thursday slides dilute the drop); per-source on **day {days['per_source']}** "
        f"({format_number(labelled_count(tl, days['per_source'], lag, a, True), 2)} new-site labels by then ≥ {n_src}); "
        f"source-share alarm (s > 5 %, no labels needed) on **day {days['source_share']}**. Extra misclassified slides "
        f"before the alarm: {format_number(undetected_errors(days['source_share'], tl), 3)} (day {days['source_share']}), "
        f"{format_number(undetected_errors(days['per_source'], tl), 4)} (day {days['per_source']}), "
        f"{format_number(undetected_errors(d_agg, tl), 4)} (day {d_agg})."
    )


PART_B = Part(
    id="B",
    title="Deepening: how long until someone knows?",
    kind="deepening",
    scenario=Scenario(
        speaker="Tobias Wren",
        role="ML Platform Lead, Harrowgate",
        text=(
            "Fine — labels are late. But once they arrive, how many do we need before the drop is statistically "
            "real? And would it help to slice by hospital, or to watch the input mix itself?"
        ),
    ),
    prediction=NumericPrediction(
        prompt=(
            "Audited slides needed to confirm a 93.2 → 90.2 % drop (two-sided 95 % confidence, 80 % power)."
        ),
        unit="count",
        min=10,
        max=100_000,
        answer="n_aggregate",
        scale="log",
    ),
    instruments=(
        Select("monitors", "Monitors", MONITOR_OPTIONS, default="all",
               help="Which monitors run (a select of combinations stands in for check boxes)."),
        _audit_slider(),
        _day_slider("label_delay_days", "Label delay", 21, DELAY_DEFAULT_DAYS["cloud"]),
        Slider("share_alarm_pct", "Source-share alarm", "percent", 1, 20, 5, step=0.5,
               help="The source-share monitor fires when any new site's share of traffic exceeds this."),
        _confidence_select(),
        Slider("power", "Power", "percent", 50, 95, 80, step=5, help="Chance the test detects a real drop."),
    ),
    compute=time_to_know,
    ledger_inputs={"data_plan": DATA_PLAN},
    outputs=(
        Output("n_aggregate", "Audits needed, aggregate (93.2 → 90.2 %)", "count", 3),
        Output("n_per_source", "Audits needed, per-source (93.2 → 70.3 %)", "count", 2),
        Output("day_aggregate", "Aggregate accuracy fires", kind="text"),
        Output("day_per_source", "Per-source accuracy fires", kind="text"),
        Output("day_source_share", "Source-share alarm fires", kind="text"),
        Output("first_alarm", "First alarm (monitors on)", kind="text"),
        Output("extra_misreads", "Extra misreads before the first alarm", "count", 4),
        Output("aggregate_check", "Aggregate: labelled vs needed", kind="text"),
        Output("per_source_check", "Per-source: labelled vs needed", kind="text"),
        Output("monitors_on", "Monitors on", kind="text"),
        Output("data_plan_text", "Your data plan (v1-09, display only)", kind="text"),
    ),
    charts=(
        Chart(
            id="labels_vs_needed",
            kind="line",
            title="Labelled audits against the sample each accuracy monitor needs",
            x_label="Day since launch",
            y_label="Slides",
            y_unit="count",
            y_log=True,
            description=(
                "A monitor fires on the first day its labelled curve reaches its needed curve; the source-share alarm "
                "needs no labels."
            ),
        ),
    ),
    failures=(
        FailureState("late_alarm", "Alarm after the breach", when="late", message="late_message"),
    ),
    math=MathPeek(
        equations=(
            r"n = \left[\dfrac{z_{1-\alpha/2}\sqrt{p_0 q_0} + z_{1-\beta}\sqrt{p_1 q_1}}{p_0 - p_1}\right]^2",
            r"d^* = \min\{d : \textstyle\sum_{k \le d-L} aV_k \ge n(p_0, \bar p_d)\}",
            r"E = \textstyle\sum_{k \le d^*} V_\text{new}(k)\,\Delta",
        ),
        substituted=(
            "n at {confidence} confidence and {power} power: aggregate {n_aggregate}, per-source {n_per_source}",
            "aggregate: {aggregate_check}; per-source: {per_source_check}",
            "first alarm {first_alarm} → E = {extra_misreads} extra misreads",
        ),
        engine=("engine.ops.sample_size_one_proportion", "engine.ops.detection_day", "engine.ops.undetected_errors"),
        note=(
            "Standard one-sample proportion test (Chow, Shao & Wang, Sample Size Calculations in Clinical Research, "
            "§4.1), with exact normal quantiles (z = 1.960 and 0.842 at the defaults). Detection uses expected "
            "counts, not a simulation."
        ),
    ),
    reveal=Reveal(_reveal_b()),
)

# --- Part C: who can even see the drift? ---------------------------------------------------------------------

_DENSENET_BYTES = weight_bytes(DENSENET121.params, 8)


def _tiny_fit() -> Any:
    env = get_context("tiny")
    return check_fit(_DENSENET_BYTES, env.model_memory_bytes, f"{env.model_memory_label} on tiny ({env.device.name})")


def _not_deployable_message() -> str:
    fit = _tiny_fit()
    return (
        f"Not deployable: the WILDS baseline DenseNet-121 has {format_number(DENSENET121.params / 1e6, 3)} M parameters "
        f"= {format_auto(_DENSENET_BYTES, 'bytes')} in INT8 > {format_auto(fit.capacity_bytes, 'bytes')} (2 MiB) "
        f"flash, {format_number(fit.ratio, 2)}× over. First fix: run on the edge box."
    )


def _context_detection(ctx: str, a: float, lag: int, monitors: tuple[str, ...] | None = None) -> int | None:
    tl = _timeline(days=SEARCH)
    use = ALLOWED[ctx] if monitors is None else monitors
    return _first([detection_day(m, a, lag, SEARCH, timeline=tl) for m in use])


@lru_cache(maxsize=None)
def observability_answer() -> str:
    """Part C's answer at the scenario's settings: which deployment misses the shift for four weeks."""
    late = [ctx for ctx in DEPLOYED
            if (lambda d: d is None or d >= HORIZON)(_context_detection(
                ctx, to_base(AUDIT_DEFAULT_PCT[ctx], "percent"), int(DELAY_DEFAULT_DAYS[ctx])))]
    if late == ["mobile"]:
        return "c"
    if late == ["cloud"]:
        return "a"
    if late == ["edge"]:
        return "b"
    return "d"


def who_sees(deployment: str, audit_fraction_cloud: float, audit_fraction_edge: float, audit_fraction_mobile: float,
             label_delay_days_cloud: float, label_delay_days_edge: float,
             label_delay_days_mobile: float) -> dict[str, Any]:
    """Part C model: the same shift seen by each deployment's allowed monitors, audits and label delay."""
    settings = {
        "cloud": (audit_fraction_cloud, _days(label_delay_days_cloud)),
        "edge": (audit_fraction_edge, _days(label_delay_days_edge)),
        "mobile": (audit_fraction_mobile, _days(label_delay_days_mobile)),
    }
    tl28 = _timeline()
    out: dict[str, Any] = {}
    ys, status, labels = [], [], []
    for ctx in CONTEXT_KEYS:
        if ctx == "tiny":
            out["tiny_monitors"] = "none (not deployable)"
            out["tiny_detection"] = "not deployable"
            out["tiny_telemetry"] = TELEMETRY["tiny"]
            ys.append(None)
            status.append("fail")
            labels.append("not deployable")
            continue
        a, lag = settings[ctx]
        d = _context_detection(ctx, a, lag)
        within = d is not None and d < HORIZON
        out[f"{ctx}_monitors"] = _monitor_list(ALLOWED[ctx])
        out[f"{ctx}_detection"] = _day_text(d)
        out[f"{ctx}_misreads"] = undetected_errors(d if within else None, tl28)
        out[f"{ctx}_telemetry"] = TELEMETRY[ctx]
        ys.append(float(d) if within else float(HORIZON))
        status.append("ok" if within else "fail")
        labels.append(f"day {d}" if within else "never (within 28 days)")
    env = get_context(deployment)
    out["selected"] = (f"{env.label} ({env.device.name}): " +
                       (out[f"{deployment}_detection"] if deployment != "tiny" else "not deployable"))
    out["tiny_fits"] = _tiny_fit().fits
    out["not_deployable"] = deployment == "tiny" and not _tiny_fit().fits
    out["not_deployable_message"] = _not_deployable_message()
    out["answer"] = observability_answer()
    out["charts"] = {
        "detection_by_context": {
            "x": [get_context(k).label for k in CONTEXT_KEYS],
            "series": [{"name": "detection day", "y": ys, "status": status, "labels": labels}],
            "lines": [{"y": float(HORIZON), "label": "four weeks"}],
        }
    }
    return out


def _reveal_c() -> str:
    d = {ctx: _context_detection(ctx, to_base(AUDIT_DEFAULT_PCT[ctx], "percent"), int(DELAY_DEFAULT_DAYS[ctx]))
         for ctx in DEPLOYED}
    return (
        f"Cloud (all monitors, a = 10 %, L = 5): **day {d['cloud']}** (source-share). Edge (per-box accuracy only — "
        f"each box sees one hospital, no cross-site mix; a = 10 %, L = 5): **day {d['edge']}**. Mobile (aggregate "
        f"feedback only, a = 1 %, L = 14, no site metadata): **day {d['mobile']}** → not within {HORIZON} days → (c). "
        f"Tiny: not deployable ({format_auto(_DENSENET_BYTES, 'bytes')} of INT8 weights against 2 MiB of flash).\n\n"
        "The more private and disconnected the deployment, the later drift becomes visible — observability is a "
        "design requirement, not an add-on."
    )


def _context_sliders() -> tuple[Slider, ...]:
    out = []
    for ctx in DEPLOYED:
        out.append(Slider(f"audit_fraction_{ctx}", f"Audit / feedback share, {ctx}", "percent", 0.1, 30,
                          AUDIT_DEFAULT_PCT[ctx], steps=log_steps(0.1, 30),
                          help=f"Share of the {ctx} deployment's predictions that come back with a label."))
    for ctx in DEPLOYED:
        out.append(_day_slider(f"label_delay_days_{ctx}", f"Label delay, {ctx}", 30, DELAY_DEFAULT_DAYS[ctx],
                               help=f"Days until a {ctx} label arrives where a monitor can use it."))
    return tuple(out)


PART_C = Part(
    id="C",
    title="Cross-context: who can even see the drift?",
    kind="cross-context",
    scenario=Scenario(
        speaker="Aroha Ngata",
        role="Deployment Architect, Harrowgate",
        text=(
            "We ship the same model four ways: the central cloud service, an on-premise Orin box in each hospital "
            "(slides never leave the building), a tablet app for rural clinics that syncs when it has signal, and a "
            "proposed Cortex-M7 microscope clip-on. Same shift — when does each notice?"
        ),
    ),
    prediction=ChoicePrediction(
        prompt="Which deployment does not detect the shift within four weeks?",
        options=(
            Option("a", "cloud"),
            Option("b", "edge"),
            Option("c", "mobile"),
            Option("d", "all detect within a week"),
        ),
        answer="answer",
    ),
    instruments=(
        Select("deployment", "Look closer at", tuple(
            Option(k, f"{get_context(k).label} ({get_context(k).device.name})") for k in CONTEXT_KEYS),
            default="cloud", default_from=HOME, help="The deployment whose detection is summarised first."),
        *_context_sliders(),
    ),
    compute=who_sees,
    outputs=(
        Output("selected", "Selected deployment", kind="text"),
        *(o for ctx in DEPLOYED for o in (
            Output(f"{ctx}_monitors", f"{get_context(ctx).label}: monitors the architecture allows", kind="text"),
            Output(f"{ctx}_detection", f"{get_context(ctx).label}: detection", kind="text"),
            Output(f"{ctx}_misreads", f"{get_context(ctx).label}: extra misreads before detection (≤ 28 days)",
                   "count", 4),
            Output(f"{ctx}_telemetry", f"{get_context(ctx).label}: telemetry", kind="text"),
        )),
        Output("tiny_detection", "Tiny: detection", kind="text"),
        Output("answer", "Answer key", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="detection_by_context",
            kind="bar",
            title="Day each deployment first detects the shift",
            x_label="Deployment",
            y_label="Detection day",
            description="Red bars at the four-week edge never detect within the horizon; tiny cannot run the model.",
        ),
    ),
    failures=(
        FailureState("not_deployable", "Not deployable", when="not_deployable", message="not_deployable_message"),
    ),
    math=MathPeek(
        equations=(
            r"d^*_\text{ctx} = \min_{m \in M_\text{ctx}} d^*_m(a_\text{ctx}, L_\text{ctx})",
            r"E_\text{ctx} = \textstyle\sum_{k \le d^*_\text{ctx}} V_\text{new}(k)\,\Delta",
        ),
        substituted=(
            "cloud: a = {audit_fraction_cloud}, L = {label_delay_days_cloud}, monitors {cloud_monitors} → "
            "{cloud_detection}",
            "edge: a = {audit_fraction_edge}, L = {label_delay_days_edge}, monitors {edge_monitors} → {edge_detection}",
            "mobile: a = {audit_fraction_mobile}, L = {label_delay_days_mobile}, monitors {mobile_monitors} → "
            "{mobile_detection}",
        ),
        engine=("engine.ops.detection_day", "engine.ops.undetected_errors", "engine.memory.check_fit"),
        note="Per-context monitors, audit shares and label delays are assumptions describing each architecture.",
    ),
    reveal=Reveal(_reveal_c()),
)

# --- Part D: bound the damage --------------------------------------------------------------------------------


def _policy(monitors: tuple[str, ...], a: float, lag: int, horizon: int, share: float, containment: bool,
            audit_usd: float, misread_usd: float, review_usd: float) -> PolicyCost:
    """The engine's policy cost; with no monitor nothing is audited (the engine needs one monitor: an unaudited
    aggregate monitor never fires and buys no audits, which is exactly 'no monitor')."""
    if not monitors:
        monitors, a = ("aggregate",), 0.0
    return monitoring_policy_cost(monitors, a, lag, horizon, share, containment, audit_usd, misread_usd, review_usd,
                                  MISREAD_LIMIT)


@lru_cache(maxsize=None)
def cheapest_answer() -> str:
    """Part D's answer at the scenario's settings (cloud, 5-day labels, 28 days): the cheapest compliant option."""
    costs = {}
    for key, (mset, a, _) in CANDIDATES.items():
        pc = _policy(MONITOR_SETS[mset], a, int(DELAY_DEFAULT_DAYS["cloud"]), HORIZON, 0.05, True,
                     COSTS_USD["audit"], COSTS_USD["misread"], COSTS_USD["review"])
        if pc.compliant:
            costs[key] = pc.total_usd
    return min(costs, key=lambda k: costs[k])


def _binding(dep: str, chosen: tuple[str, ...], a: float, lag: int) -> str:
    """observability if the best policy this architecture allows (30 % audits) still breaks the misread limit;
    otherwise whichever of label delay (L → 0) or sample size (a → 30 %) would move the label-backed alarm most."""
    best = _policy(ALLOWED[dep], to_base(30, "percent"), lag, HORIZON, 0.05, True, 0, 0, 0)
    if best.extra_misreads > MISREAD_LIMIT:
        return "observability"
    label = tuple(m for m in chosen if m != "source_share") or tuple(m for m in ALLOWED[dep] if m != "source_share")
    tl = _timeline()

    def when(aa: float, ll: int) -> int:
        d = _first([detection_day(m, aa, ll, HORIZON, timeline=tl) for m in label])
        return HORIZON if d is None else d

    now = when(a, lag)
    delay_gain = now - when(a, 0)
    sample_gain = now - when(to_base(30, "percent"), lag)
    return "label delay" if delay_gain >= sample_gain else "sample size"


def bound_damage(deployment: str, monitors: str, audit_fraction: float, label_delay_days: float,
                 share_alarm_pct: float, containment: bool, audit_usd: float, misread_usd: float, review_usd: float,
                 horizon_days: float) -> dict[str, Any]:
    """Part D model: detection, damage and 28-day cost of a monitoring policy on a deployment, and the candidates."""
    chosen = MONITOR_SETS[monitors]
    lag, h = _days(label_delay_days), _days(horizon_days)
    tiny = deployment == "tiny"
    changes = sorted({ARCH_CHANGE[(deployment, m)] for m in chosen if (deployment, m) in ARCH_CHANGE})
    pc = _policy(chosen, audit_fraction, lag, h, share_alarm_pct, containment, audit_usd, misread_usd, review_usd)
    out: dict[str, Any] = {
        "deployment_text": f"{get_context(deployment).label}: allows {_monitor_list(ALLOWED[deployment])}",
        "architecture_changes": "; ".join(changes) if changes else "none",
        "detection_day": "not deployable" if tiny else _day_text(pc.detection_day, h),
        "extra_misreads": 0.0 if tiny else pc.extra_misreads,
        "audit_cost": 0.0 if tiny else pc.audit_usd,
        "misread_cost": 0.0 if tiny else pc.misread_usd,
        "review_cost": 0.0 if tiny else pc.review_usd,
        "total_cost": 0.0 if tiny else pc.total_usd,
        "audit_text": _usd(0.0 if tiny else pc.audit_usd),
        "misread_text": _usd(0.0 if tiny else pc.misread_usd),
        "review_text": _usd(0.0 if tiny else pc.review_usd),
        "total_text": _usd(0.0 if tiny else pc.total_usd),
        "misread_limit": pc.misread_limit,
        "audit_fraction_value": audit_fraction,
        "monitors_text": ", ".join(chosen) if chosen else "none",
        "verdict": ("not deployable" if tiny else
                    f"damage {format_number(pc.extra_misreads, 4)} {'≤' if pc.extra_misreads <= MISREAD_LIMIT else '>'} "
                    f"{format_number(MISREAD_LIMIT)} {'✓' if pc.extra_misreads <= MISREAD_LIMIT else '✗'}; "
                    f"label-backed monitor {'✓' if pc.label_backed else '✗'}"),
        "binding_constraint": "observability" if tiny else _binding(deployment, chosen, audit_fraction, lag),
        "answer": cheapest_answer(),
        "damage": not tiny and pc.extra_misreads > MISREAD_LIMIT,
        "damage_message": pc.message() if pc.extra_misreads > MISREAD_LIMIT else "",
        "no_evidence": not tiny and not pc.label_backed,
        "no_evidence_message": ("No label-backed accuracy monitor selected. First fix: add per-source accuracy (2 % "
                                "audits are enough)."),
        "not_deployable": tiny,
        "not_deployable_message": _not_deployable_message(),
    }
    names, audits, misreads, reviews, ok = [], [], [], [], []
    rows = [(mset, a, label) for mset, a, label in CANDIDATES.values()]
    rows.append((monitors, audit_fraction, "yours"))
    for mset, a, label in rows:
        c = _policy(MONITOR_SETS[mset], a, lag, h, share_alarm_pct, containment, audit_usd, misread_usd, review_usd)
        names.append(f"{label} {format_number(c.extra_misreads, 3)} {'✓' if c.compliant else '✗'}")
        audits.append(c.audit_usd)
        misreads.append(c.misread_usd)
        reviews.append(c.review_usd)
        ok.append("ok" if c.compliant else "fail")
    out["charts"] = {
        "policy_costs": {
            "x": names,
            "series": [
                {"name": "audits", "y": audits, "status": ok},
                {"name": "misreads", "y": misreads, "status": ok},
                {"name": "manual reviews", "y": reviews, "status": ok},
            ],
        }
    }
    return out


def _reveal_d() -> str:
    lag = int(DELAY_DEFAULT_DAYS["cloud"])
    rows = {}
    for key, (mset, a, _) in CANDIDATES.items():
        rows[key] = _policy(MONITOR_SETS[mset], a, lag, HORIZON, 0.05, True, COSTS_USD["audit"], COSTS_USD["misread"],
                            COSTS_USD["review"])
    a_, b_, c_, d_ = rows["a"], rows["b"], rows["c"], rows["d"]
    share10 = _policy(MONITOR_SETS["share_per_source"], 0.10, lag, HORIZON, 0.05, True, COSTS_USD["audit"],
                      COSTS_USD["misread"], COSTS_USD["review"])

    def mark(p: PolicyCost) -> str:
        return "✓" if p.extra_misreads <= MISREAD_LIMIT else "✗"

    tl = _timeline()
    edge_day3 = undetected_errors(3, tl)
    edge_fix = detection_day("per_source", to_base(30, "percent"), 1, HORIZON, timeline=tl)
    return (
        f"Default (aggregate, 10 %): detection day {a_.detection_day}, {format_number(a_.extra_misreads, 4)} extra "
        f"misreads {mark(a_)}; cost = audits {_usd(a_.audit_usd)} + misreads {_usd(a_.misread_usd)} + review "
        f"{_usd(a_.review_usd)} = **{_usd(a_.total_usd)}**. Per-source 10 %: day {b_.detection_day}, "
        f"{format_number(b_.extra_misreads, 4)} {mark(b_)}, {_usd(b_.total_usd)}. Share + per-source 10 %: day "
        f"{share10.detection_day}, {format_number(share10.extra_misreads, 3)} {mark(share10)}, {_usd(share10.total_usd)}. "
        f"**Share + per-source 2 %: day {c_.detection_day}, {format_number(c_.extra_misreads, 3)} {mark(c_)}, "
        f"{_usd(c_.audit_usd)} + {_usd(c_.misread_usd)} + {_usd(c_.review_usd)} = {_usd(c_.total_usd)}** → (c). Share "
        f"alone: {_usd(d_.total_usd)} but fails the evidence rule (d).\n\n"
        f"Other homes: on edge the share alarm is unavailable and, with 5-day labels, damage passes 100 on day 3 "
        f"({format_number(edge_day3, 4)}) before any label arrives — the rule is unreachable until the architecture "
        f"changes: uplink per-site counts (a label-free alarm) or 1-day labels with 30 % audits (detection day "
        f"{edge_fix}, {format_number(undetected_errors(edge_fix, tl), 3)}). Mobile cannot comply (day "
        f"{_context_detection('mobile', to_base(1, 'percent'), 14)}); tiny is not deployable."
    )


PART_D = Part(
    id="D",
    title="Design challenge: bound the damage",
    kind="design",
    scenario=Scenario(
        speaker="Dr. Hana Okonkwo",
        role="Medical Director at Harrowgate Diagnostics",
        text=(
            "New rule from the board: no more than 100 extra misreads from any future shift before we react, and we "
            "must always have at least one accuracy monitor backed by pathologist labels. Over four weeks, what is "
            "the cheapest policy?"
        ),
    ),
    prediction=ChoicePrediction(
        prompt="Cheapest compliant policy?",
        options=(
            Option("a", "aggregate accuracy, 10 % audits"),
            Option("b", "per-source accuracy, 10 % audits"),
            Option("c", "source-share alarm + per-source accuracy, 2 % audits"),
            Option("d", "source-share alarm alone"),
        ),
        answer="answer",
    ),
    instruments=(
        Select("deployment", "Deployment", tuple(
            Option(k, f"{get_context(k).label} ({get_context(k).device.name})") for k in CONTEXT_KEYS),
            default="cloud", default_from=HOME,
            default_by={"cloud": "cloud", "edge": "edge", "mobile": "mobile", "tiny": "edge"},
            help="Your home context (the edge box when home is tiny: the model does not fit the microcontroller)."),
        Select("monitors", "Monitors", MONITOR_OPTIONS, default="aggregate", default_from=HOME,
               default_by={"cloud": "aggregate", "edge": "per_source", "mobile": "aggregate", "tiny": "per_source"},
               help="Monitors beyond what the deployment allows are listed as architecture changes."),
        _audit_slider(0, AUDIT_DEFAULT_PCT),
        _day_slider("label_delay_days", "Label delay", 30, DELAY_DEFAULT_DAYS["cloud"], default_from=HOME,
                    default_by=dict(DELAY_DEFAULT_DAYS), help="Days until an audited label reaches a monitor."),
        Slider("share_alarm_pct", "Source-share alarm", "percent", 1, 20, 5, step=0.5,
               help="The source-share monitor fires when a new site's share exceeds this."),
        Toggle("containment", "After an alarm, new-source slides to manual review (next day on)", default=True),
        Slider("audit_usd", "Cost per audit", "USD", 0, 100, COSTS_USD["audit"], step=1),
        Slider("misread_usd", "Cost per extra misread", "USD", 0, 5000, COSTS_USD["misread"], step=10),
        Slider("review_usd", "Cost per manual review", "USD", 0, 200, COSTS_USD["review"], step=1),
        Slider("horizon_days", "Horizon", "day", 7, 90, HORIZON, step=1, help="Days the policy is costed over."),
    ),
    compute=bound_damage,
    outputs=(
        Output("deployment_text", "Deployment", kind="text"),
        Output("architecture_changes", "Architecture changes your monitors need", kind="text"),
        Output("detection_day", "First alarm", kind="text"),
        Output("extra_misreads", "Extra misreads before the alarm", "count", 4),
        Output("verdict", "Board rules", kind="text"),
        Output("audit_text", "Audits", kind="text"),
        Output("misread_text", "Misreads", kind="text"),
        Output("review_text", "Manual reviews", kind="text"),
        Output("total_text", "Total over the horizon", kind="text"),
        Output("total_cost", "Total over the horizon", "USD", 8, show=False),
        Output("binding_constraint", "Binding constraint", kind="text"),
        Output("misread_limit", "Misread limit", "count", 3, show=False),
        Output("audit_fraction_value", "Audit share", "fraction", 3, show=False),
        Output("monitors_text", "Monitors", kind="text", show=False),
        Output("answer", "Answer key", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="policy_costs",
            kind="grouped_bar",
            title="Cost of each candidate policy over the horizon, and yours",
            x_label="Policy (extra misreads, board rules ✓/✗)",
            y_label="Cost",
            y_unit="USD",
            description=(
                "Audits, misreads and manual reviews per candidate policy (a)–(d) and yours; each axis label gives "
                "the extra misreads before the first alarm, and outlined bars break a board rule."
            ),
        ),
    ),
    failures=(
        FailureState("damage", "Damage over the limit", when="damage", message="damage_message"),
        FailureState("no_evidence", "No label-backed monitor", when="no_evidence", message="no_evidence_message"),
        FailureState("not_deployable", "Not deployable", when="not_deployable", message="not_deployable_message"),
    ),
    math=MathPeek(
        equations=(
            r"C = c_a\,a\textstyle\sum_k V_k + c_m\,E(d^*) + c_r\sum_{k>d^*} V_\text{new}(k)",
            r"E(d^*) \le 100,\quad \text{a labelled monitor on}",
        ),
        substituted=(
            "C = {audit_text} + {misread_text} + {review_text} = {total_text}",
            "first alarm {detection_day}: E = {extra_misreads}; {verdict}",
        ),
        engine=("engine.ops.monitoring_policy_cost",),
        note="Costs are Harrowgate's planning numbers (assumptions, adjustable). Reviews count only with containment.",
    ),
    reveal=Reveal(_reveal_d()),
)

# --- the lab -------------------------------------------------------------------------------------------------


def _self_assessment() -> tuple[tuple[str, str], ...]:
    gap = A_ID - A_OOD
    drop = A_ID - _timeline().accuracy[FRIDAY]
    return (
        ("Why does the Friday tile show 93.2 %?",
         f"Labels lag {int(DELAY_DEFAULT_DAYS['cloud'])} days; nothing served since Monday is labelled yet."),
        ("What share of traffic from the new hospital produces a 3-point drop?",
         f"{format_number(from_base(drop, 'points'), 2)} / {format_number(from_base(gap, 'points'), 3)} = "
         f"{_pct(ratio(drop, gap), 3)}."),
        ("Why is the source-share alarm not enough alone?",
         "It cannot tell harmful from harmless shifts, and misses drift inside an existing source."),
    )


LAB = Lab(
    id="v1-14",
    title="Green Dashboards, Silent Drift",
    volume=1,
    section="Deploy",
    minutes=50,
    prerequisites=("v1-00", "v1-13", "v1-09"),
    core_question="Your model shipped Monday. By Friday it lost 3 accuracy points. Your dashboard is green. Why?",
    briefing=Briefing(
        objectives=(
            "Separate system health (latency, utilisation, errors) from model correctness, and see how a shift in "
            "the input mix moves one without touching the other.",
            "Compute how long each kind of monitor needs to notice — label delay, audit rate, sample size, and whether "
            "you slice by data source.",
            "Choose a monitoring and containment policy that bounds the damage done before anyone knows.",
        ),
        decide="Which monitors to run, how many predictions to audit, and what happens when an alarm fires.",
        body=(
            f"**Evidence.** Per-slide accuracy of a tumour-patch classifier is {_pct(A_ID, 3)} on hospitals it was "
            f"trained on and {_pct(A_OOD, 3)} on an unseen hospital (Camelyon17-WILDS, ERM, Table 1 of Koh et al. "
            f"2021: gap {format_number(from_base(A_ID - A_OOD, 'points'), 3)} points). The engine mixes these two "
            "measured values by traffic share; it does not predict accuracy for other shifts, and it does not predict "
            "accuracy after retraining (no measured row).\n\n"
            f"**Timeline model** (`ops.mixture_drift`). Day 0 = Monday launch. Existing hospitals send "
            f"V₀ = {format_number(CITED['base_volume_per_day'].value, 4)} slides/day. A new hospital's share ramps by "
            f"r = {format_number(from_base(RAMP, 'points'), 4)} points/day to {_pct(SHARE_CAP, 3)} on Friday (day 4) "
            "and holds: s(d) = min(r·d, 13.1 %), its volume V₀·s/(1 − s). Accuracy(d) = 93.2 − 22.9·s(d). Serving: "
            f"S = {format_value(SLIDE_S, 's', 2)} GPU time per whole slide; M/M/1 metrics from v1-13. Volumes, ramp "
            "and S are assumptions chosen so the Friday drop is 3 points. Parts A–B follow the central cloud "
            "service; your home context's monitoring limits apply in Parts C–D."
        ),
    ),
    parts=(PART_A, PART_B, PART_C, PART_D),
    synthesis=Synthesis(
        takeaways=(
            "System metrics measure the server; a shift in who sends data leaves latency, load and errors green "
            "while accuracy falls — 13 % of traffic that is 23 points worse costs 3 points overall.",
            "Label-based accuracy is late (label delay) and slow (sample size); slicing by source turns 615 needed "
            "labels into 15, and watching the input mix needs no labels at all.",
            "Deployment shapes observability: the same shift is seen on day 2, day 7 or day 40 depending on where the "
            "model runs.",
        ),
        connections=(
            "v1-13 (green utilisation and p99), v1-09 (data sources and coverage), v1-15 (subgroups again), v2-12 "
            "(SLOs and canaries), v2-14 (robustness at scale)."
        ),
        self_assessment=_self_assessment(),
    ),
    model_note=(
        "Accuracy is a traffic-weighted mix of two measured numbers, 93.2 % in-distribution and 70.3 % on an unseen "
        "hospital (Camelyon17-WILDS ERM, Koh et al. 2021, Table 1); the engine refuses to predict any other shift or "
        "accuracy after retraining. The new hospital's share ramps linearly to 13.1 % and holds (assumption); "
        "existing volume is 2,400 slides/day. Labels arrive L days after serving; the tile is the volume-weighted "
        "accuracy of labelled days (the validation 93.2 % before any). Sample sizes use the one-sample proportion "
        "test (Chow, Shao & Wang §4.1) with exact normal quantiles; detection days use expected label counts (no "
        "sampling noise), so real alarms scatter around them. The source-share alarm needs no labels. Serving uses "
        "M/M/1 with 12 s of GPU per slide (assumption). Architectures (assumptions): the cloud sees every slide and "
        "its site; an on-premise Orin box sees one hospital; the tablet app gets 1 % opt-in feedback after 14 days "
        "with no site; DenseNet-121 (7,978,856 parameters, torchvision) does not fit the STM32H743's 2 MiB flash in "
        "INT8. Costs ($12 per audit, $300 per misread, $25 per review) and the 100-misread limit are Harrowgate's "
        "planning numbers.\n\n"
        "Changes from the spec: the Monitors check boxes are one select of monitor combinations (the schema has no "
        "multi-select, and a toggle's default cannot follow the home context). Part D adds a Deployment select "
        "(default: home; the edge box when home is tiny, so the not-deployable card can be cleared) and a Label delay "
        "slider (the spec's edge fix, 1-day labels, needs it); its audit and delay defaults follow the home context "
        "(mobile 1 %, 14 days), and monitors beyond what the deployment allows are allowed but listed as architecture "
        "changes. Part A's prediction scale runs 1–100 % (the spec's 80 % floor rejected the keyboard walk-through's entry). Part B adds a card when the first alarm comes after the floor is breached (day 3). Audit shares are "
        "in percent and Part C's are log-stepped (0.1–30 %). `v1-14.detection_day` is written as text (\"day 2\", or "
        "\"not within 28 days\"), `v1-14.monitors` as comma-separated monitor keys. Part A's chart shows true and "
        "tile accuracy (no label ticks or system band: a chart has one unit); Part D's cost chart groups the three "
        "cost parts per policy (no stacked bars or second axis) and names each policy's extra misreads in its axis label."
    ),
    reads=(
        LedgerRead(HOME, "Home context (v1-00)", "cloud", choices=CONTEXT_KEYS),
        LedgerRead(SAFE_UTIL, "Safe utilisation (v1-13)", SAFE_UTILIZATION_PRESET, between=(0.0, 1.0)),
        LedgerRead(DATA_PLAN, "Data plan (v1-09, display only)", "not recorded"),
    ),
    writes=(
        LedgerWrite("v1-14.tile_prediction_pct", "prediction", "A", "prediction", unit="percent"),
        LedgerWrite("v1-14.true_drop_pts", "number", "A", "true_drop_friday", unit="points"),
        LedgerWrite("v1-14.sample_size_aggregate", "number", "B", "n_aggregate", unit="count"),
        # text: "day 2", or "not within 28 days"
        LedgerWrite("v1-14.detection_day", "number", "D", "detection_day", when="change"),
        # text: comma-separated keys of engine.ops.MONITORS, e.g. "source_share, per_source"
        LedgerWrite("v1-14.monitors", "decision", "D", "monitors_text", when="change"),
        LedgerWrite("v1-14.audit_fraction", "decision", "D", "audit_fraction_value", unit="fraction", when="change"),
        LedgerWrite("v1-14.extra_misreads", "number", "D", "extra_misreads", unit="count", when="change"),
        LedgerWrite("v1-14.misread_limit", "number", "D", "misread_limit", unit="count", when="change"),
        LedgerWrite("v1-14.policy_cost_usd", "number", "D", "total_cost", unit="USD", when="change"),
        LedgerWrite("v1-14.binding_constraint", "number", "D", "binding_constraint", when="change"),
    ),
)
