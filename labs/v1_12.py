"""v1-12 — The Serial Tax.

Deploy lab: compute Amdahl's speedup and its 1/f ceiling (Part A), reconcile it with Gustafson's scaled speedup
(Part B), add the cost of coordinating real lanes on the four contexts (Part C), and fund the cheapest engineering
change that meets a frame deadline on the home context (Part D). Spec: shared/labs/v1-12.md.

Every number comes from the engine: speedups from `latency.amdahl_speedup`, `gustafson_speedup` and `usl_speedup`,
frame times from `latency.frame_time`, optimum lane counts from `latency.optimal_lanes`, the cheapest plan from
`latency.plan_frame_budget`, lane counts from `registry.hardware`. This module sets the scenario and words results.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from engine.latency import (
    FrameTime,
    amdahl_limit,
    amdahl_speedup,
    frame_time,
    gustafson_speedup,
    optimal_lanes,
    plan_frame_budget,
    serial_fraction_convert,
    usl_speedup,
)
from engine.registry.hardware import CONTEXT_KEYS, get_context
from engine.units import format_number, format_value, ratio
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
)

HOME = "v1-00.home_context"
V111 = "v1-11.layer_time_us"

# --- the scenario's settings ---------------------------------------------------------------------------------
# Tidewatch's frame pipeline (assumptions chosen to make f = 5 %, the seed's figure): one frame on one lane takes
# T1 = 100 ms, of which T_s = 5 ms is serial (decode + harbour-wide track fusion) and T_p = 95 ms is detector work
# that splits evenly across lanes; each extra lane costs c = 10 µs of coordination per frame (Parts C–D).
T1_S = 100e-3
SERIAL_S = 5e-3
PARALLEL_S = 95e-3
COORDINATION_S = 10e-6
SERIAL_FRACTION = SERIAL_S / T1_S
VENDOR_LANES = 1024  # the vendor's hypothetical accelerator (Parts A–B)
# Lanes per context: H100 SXM5 132 SMs, Orin 16 SMs, A17 Pro 16 Neural Engine cores, Cortex-M7 2 MAC lanes.
LANES: Mapping[str, int] = {k: int(get_context(k).device.parallel_lanes or 1) for k in CONTEXT_KEYS}
MAX_LANES = max(LANES.values())
# Frame deadlines (Tidewatch's contracts, assumption) and the engineering budget.
DEADLINE_MS: Mapping[str, float] = {"cloud": 5.0, "edge": 10.0, "mobile": 10.0, "tiny": 50.0}
WEEKS_BUDGET = 6.0
# Part D's levers: (key, label, value in SI, engineer-weeks). Costs are Tidewatch's planning numbers (assumption);
# they are the same options `latency.plan_frame_budget` searches.
SERIAL_OPTIONS = (
    Option("5", "5 ms (as built)", value=(5e-3, 0.0)),
    Option("2", "2 ms: decoding off the serial path (3 weeks)", value=(2e-3, 3.0)),
    Option("1", "1 ms: fusion rewritten too (8 weeks)", value=(1e-3, 8.0)),
)
DETECTOR_OPTIONS = (
    Option("1.0", "× 1.0 (as trained)", value=(1.0, 0.0)),
    Option("0.6", "× 0.6: smaller detector (2 weeks)", value=(0.6, 2.0)),
)
COORDINATION_OPTIONS = (
    Option("10", "10 µs per extra lane (as built)", value=(10e-6, 0.0)),
    Option("5", "5 µs per extra lane (2 weeks)", value=(5e-6, 2.0)),
)

LANE_STEPS = tuple(2**i for i in range(13))  # 1 … 4,096
# A drop-down rather than a log slider: the page prints slider values to 3 significant figures (1,024 → "1,020").
LANE_OPTIONS = tuple(Option(str(n), f"{n:,}", value=n) for n in LANE_STEPS)
CONTEXT_NAME: Mapping[str, str] = {k: f"{get_context(k).label} ({get_context(k).device.name})" for k in CONTEXT_KEYS}

# --- shared helpers ------------------------------------------------------------------------------------------


def _x(v: float, sig: int = 3) -> str:
    return format_value(v, "x", sig)


def _ms(v: float, sig: int = 3) -> str:
    return format_value(v, "ms", sig)


def _ceiling_text(f: float) -> str:
    lim = amdahl_limit(f)
    return "none: nothing is serial" if math.isinf(lim) else _x(lim, 4)


def split(serial_fraction: float) -> tuple[float, float]:
    """(T_s, T_p) of the 100 ms one-lane frame for a serial fraction f."""
    return serial_fraction * T1_S, (1.0 - serial_fraction) * T1_S


def lanes_used(ctx: str, lanes: float) -> int:
    """The slider's lane count, capped at what the context has."""
    return max(1, min(int(round(lanes)), LANES[ctx]))


def _regime(ts: float, tp: float, c: float, n: int) -> str:
    """scaling / flat / retrograde at N lanes: retrograde past N*, flat when the last lane buys < 1 %."""
    if c > 0 and n > optimal_lanes(tp, c):
        return "retrograde"
    if n == 1:
        return "scaling"
    gain = frame_time(ts, tp, n - 1, c).total_s / frame_time(ts, tp, n, c).total_s - 1.0
    return "flat" if gain < 0.01 else "scaling"


# --- Part A: Amdahl --------------------------------------------------------------------------------------------

CHOICE_A: Mapping[str, float] = {"a": 1000.0, "b": 200.0, "c": 20.0, "d": 5.0}


def nearest_option(speedup: float) -> str:
    """The option key whose round number is nearest to `speedup` on a log scale."""
    return min(CHOICE_A, key=lambda k: abs(math.log(CHOICE_A[k] / speedup)))


def amdahl_part(serial_fraction: float, lanes: int) -> dict[str, Any]:
    """Part A model: Amdahl's speedup, its ceiling, efficiency and where the frame time goes."""
    ts, tp = split(serial_fraction)
    s = amdahl_speedup(serial_fraction, lanes)
    ft = frame_time(ts, tp, lanes)
    lim = amdahl_limit(serial_fraction)
    xs = [float(n) for n in LANE_STEPS]
    chart: dict[str, Any] = {
        "x": xs,
        "series": [
            {"name": "Amdahl S = 1/(f + (1−f)/N)", "y": [amdahl_speedup(serial_fraction, n) for n in xs]},
            {"name": "ideal S = N", "y": xs},
        ],
        "lines": [] if math.isinf(lim) else [{"y": lim, "label": f"ceiling 1/f = {format_number(lim, 3)}×"}],
    }
    return {
        "speedup": s,
        "ceiling_text": _ceiling_text(serial_fraction),
        "efficiency": s / lanes,
        "frame_time": ft.total_s,
        "serial_time": ft.serial_s,
        "parallel_time": ft.parallel_s,
        "serial_share": ft.serial_s / ft.total_s if ft.total_s > 0 else 1.0,
        "speedup_at_8": amdahl_speedup(serial_fraction, 8),
        "amdahl_answer": nearest_option(amdahl_speedup(SERIAL_FRACTION, VENDOR_LANES)),
        "charts": {"speedup_vs_lanes": chart},
    }


def _reveal_a() -> str:
    r = amdahl_part(SERIAL_FRACTION, VENDOR_LANES)
    return (
        f"S = 1 / (0.05 + 0.95/1,024) = **{_x(r['speedup'], 4)}**; ceiling 1/0.05 = {r['ceiling_text']}; "
        f"efficiency {_x(r['speedup'], 4)} / 1,024 = {format_value(r['efficiency'], 'percent', 2)}. Frame time "
        f"5 + 95/1,024 = {_ms(r['frame_time'], 4)}, of which the serial 5 ms is "
        f"**{format_value(r['serial_share'], 'percent', 3)}**. At N = 8: {_x(r['speedup_at_8'], 3)}. A thousand lanes "
        f"make the parallel part vanish; what is left is the part they cannot touch."
    )


PART_A = Part(
    id="A",
    title="Calibration: what 1,024 lanes buy",
    kind="calibration",
    scenario=Scenario(
        speaker="Odile Marchetti",
        role="CTO of Tidewatch (video analytics for container ports)",
        text=(
            "Profiling says 5 % of every frame is single-threaded and 95 % is the detector, which parallelises "
            "perfectly. A vendor is pitching a 1,024-lane accelerator. Do we go a thousand times faster?"
        ),
    ),
    prediction=ChoicePrediction(
        prompt="Speedup of the frame pipeline on 1,024 lanes?",
        options=(Option("a", "≈ 1,000×"), Option("b", "≈ 200×"), Option("c", "≈ 20×"), Option("d", "≈ 5×")),
        answer="amdahl_answer",
    ),
    instruments=(
        Slider("serial_fraction", "Serial fraction f", "fraction", 0.0, 0.5, 0.05, step=0.005,
               help="Share of the one-lane frame that runs on one lane only."),
        Select("lanes", "Parallel lanes N", LANE_OPTIONS, default=str(VENDOR_LANES), unit="count",
               help="Lanes sharing the parallel part (×2 steps)."),
    ),
    compute=amdahl_part,
    outputs=(
        Output("speedup", "Speedup S", "x", 4),
        Output("ceiling_text", "Ceiling 1/f", kind="text"),
        Output("efficiency", "Parallel efficiency S/N", "percent", 3, bounds=SHARE),
        Output("frame_time", "Frame time", "ms", 4),
        Output("serial_share", "Share of the frame spent in the serial part", "percent", 3, bounds=SHARE),
        Output("serial_time", "Serial time", "ms", 3, show=False),
        Output("parallel_time", "Parallel time per frame", "ms", 3, show=False),
        Output("speedup_at_8", "Speedup at 8 lanes", "x", 3, show=False),
        Output("amdahl_answer", "Answer key", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="speedup_vs_lanes",
            kind="line",
            title="Speedup as lanes grow",
            x_label="Parallel lanes N",
            y_label="Speedup",
            x_unit="count",
            y_unit="x",
            x_log=True,
            y_log=True,
            description="Amdahl's curve bends away from the ideal S = N and flattens under the dashed 1/f ceiling.",
        ),
    ),
    math=MathPeek(
        equations=(
            r"S_\text{A}(N) = \dfrac{1}{f + (1-f)/N}",
            r"\lim_{N\to\infty} S_\text{A} = 1/f",
        ),
        substituted=(
            "S = 1 / ({serial_fraction} + (1 − {serial_fraction}) / {lanes}) = {speedup}",
            "ceiling = {ceiling_text}; frame = {serial_time} + {parallel_time} = {frame_time} "
            "(serial share {serial_share})",
        ),
        engine=("engine.latency.amdahl_speedup", "engine.latency.amdahl_limit", "engine.latency.frame_time"),
        note="Amdahl 1967. Validation anchors: 5.93× at N = 8, 19.64× at N = 1,024, 20× limit.",
    ),
    reveal=Reveal(_reveal_a()),
)

# --- Part B: Gustafson -----------------------------------------------------------------------------------------

VIEW_OPTIONS = (
    Option("amdahl", "fixed work (Amdahl)"),
    Option("gustafson", "fixed time (Gustafson)"),
    Option("both", "both"),
)


def gustafson_part(lanes: int, serial_fraction_scaled: float, view: str) -> dict[str, Any]:
    """Part B model: scaled speedup, the equivalent one-lane serial fraction, and Amdahl with each fraction."""
    s = serial_fraction_scaled
    g = gustafson_speedup(s, lanes)
    f = serial_fraction_convert(s, lanes)
    a_conv = amdahl_speedup(f, lanes)
    a_fixed = amdahl_speedup(s, lanes)
    xs = [float(n) for n in LANE_STEPS]
    series = []
    if view in ("gustafson", "both"):
        series.append({"name": "Gustafson S = N − s(N−1) (work grows)", "y": [gustafson_speedup(s, n) for n in xs]})
    if view in ("amdahl", "both"):
        series.append({"name": "Amdahl with f = s (work fixed)", "y": [amdahl_speedup(s, n) for n in xs]})
    return {
        "gustafson": g,
        "equivalent_f": f,
        "amdahl_converted": a_conv,
        "amdahl_fixed": a_fixed,
        "cameras": float(math.floor(g + 1e-9)),
        "cameras_text": f"{math.floor(g + 1e-9):,}",
        "gustafson_at_8": gustafson_speedup(s, 8),
        "amdahl_at_8": amdahl_speedup(s, 8),
        "charts": {"two_laws": {"x": xs, "series": series}},
    }


def _reveal_b() -> str:
    r = gustafson_part(VENDOR_LANES, SERIAL_FRACTION, "both")
    return (
        f"Gustafson: S = N − s(N − 1) = 1,024 − 0.05 × 1,023 = **{_x(r['gustafson'], 5)}**. The same run measured on "
        f"one lane has f = s / (s + (1 − s)N) = 0.05 / (0.05 + 0.95 × 1,024) = "
        f"{format_value(r['equivalent_f'], 'fraction', 3)}, and Amdahl with that f gives "
        f"{_x(r['amdahl_converted'], 5)} too: same physics, different denominator. The 20× ceiling is right only if "
        f"the work is fixed; if the work grows with the hardware and the serial part does not, the ceiling moves "
        f"away. At N = 8: {_x(r['gustafson_at_8'], 3)} (Gustafson) vs {_x(r['amdahl_at_8'], 3)}."
    )


PART_B = Part(
    id="B",
    title="Deepening: \"is that right?\" depends on what grows",
    kind="deepening",
    scenario=Scenario(
        speaker="Femi Adeyemi",
        role="Tidewatch's Head of Product",
        text=(
            "We don't need one camera to be faster — we need one box to watch more cameras. Fusion runs once per tick "
            "no matter how many cameras feed it. If we keep the 100 ms tick and add lanes, how much more footage does "
            "the box handle?"
        ),
    ),
    prediction=NumericPrediction(
        prompt=(
            # the spec's *scaled* is Markdown emphasis; prompts are plain text, so the words are kept without it
            "Work per 100 ms tick on 1,024 lanes, relative to one lane, when the serial part is 5 % of the scaled run."
        ),
        unit="x",
        min=1,
        max=1e4,
        answer="gustafson",
        scale="log",
    ),
    instruments=(
        Select("lanes", "Parallel lanes N", LANE_OPTIONS, default=str(VENDOR_LANES), unit="count"),
        Slider("serial_fraction_scaled", "Serial share of the scaled run s", "fraction", 0.0, 0.5, 0.05, step=0.005,
               help="Share of the N-lane run's time spent in the serial part."),
        Select("view", "Law shown", VIEW_OPTIONS, default="both"),
    ),
    compute=gustafson_part,
    outputs=(
        Output("gustafson", "Scaled speedup (Gustafson)", "x", 5),
        Output("equivalent_f", "Same run's serial fraction measured on one lane f", "fraction", 3),
        Output("amdahl_converted", "Amdahl with that f (they agree)", "x", 5),
        Output("amdahl_fixed", "Amdahl if the work were fixed (f = s)", "x", 4),
        Output("cameras_text", "Cameras per box (one lane watches one camera)", kind="text"),
        Output("cameras", "Cameras per box", "count", 4, show=False),
        Output("gustafson_at_8", "Gustafson at 8 lanes", "x", 3, show=False),
        Output("amdahl_at_8", "Amdahl at 8 lanes", "x", 3, show=False),
    ),
    charts=(
        Chart(
            id="two_laws",
            kind="line",
            title="Fixed work vs fixed time",
            x_label="Parallel lanes N",
            y_label="Speedup",
            x_unit="count",
            y_unit="x",
            x_log=True,
            y_log=True,
            description=(
                "Gustafson's scaled speedup grows almost linearly with N; Amdahl's with the same 5 % read as a "
                "one-lane fraction flattens at 20×. Amdahl with the one-lane-measured f (see the readouts) lies on "
                "the Gustafson curve."
            ),
        ),
    ),
    math=MathPeek(
        equations=(
            r"S_\text{G}(N) = N - s(N-1)",
            r"f = \dfrac{s}{s + (1-s)N}",
        ),
        substituted=(
            "S_G = {lanes} − {serial_fraction_scaled} × ({lanes} − 1) = {gustafson}",
            "f = {equivalent_f} → S_A(f, {lanes}) = {amdahl_converted}; with f = s: {amdahl_fixed}",
        ),
        engine=(
            "engine.latency.gustafson_speedup",
            "engine.latency.serial_fraction_convert",
            "engine.latency.amdahl_speedup",
        ),
        note="Gustafson 1988. Validation anchors: 7.65× at N = 8, 972.85× at N = 1,024.",
    ),
    reveal=Reveal(_reveal_b()),
)

# --- Part C: real lanes with coordination ----------------------------------------------------------------------


def real_lanes(lanes: float, coordination: float, serial_fraction: float, home: str, layer_time: Any) -> dict[str, Any]:
    """Part C model: frame time and speedup with coordination on every context; N*, regime, the retrograde check."""
    ts, tp = split(serial_fraction)
    c = coordination
    sigma, kappa = ts / T1_S, c / T1_S
    out: dict[str, Any] = {}
    for ctx in CONTEXT_KEYS:
        n = lanes_used(ctx, lanes)
        ft = frame_time(ts, tp, n, c)
        n_star = optimal_lanes(tp, c, LANES[ctx])
        s = usl_speedup(n, sigma, kappa)
        out[f"lanes_{ctx}"] = float(n)
        out[f"speedup_{ctx}"] = s
        out[f"frame_{ctx}"] = ft.total_s
        out[f"nstar_{ctx}"] = float(n_star)
        out[f"speedup_star_{ctx}"] = usl_speedup(n_star, sigma, kappa)
        out[f"amdahl_{ctx}"] = amdahl_speedup(serial_fraction, n)
        out[f"regime_{ctx}"] = _regime(ts, tp, c, n)
        out[f"row_{ctx}"] = (
            f"{n} of {LANES[ctx]} lanes: {_x(s, 4)} ({_ms(ft.total_s, 4)}); best {n_star} lanes "
            f"{_x(out[f'speedup_star_{ctx}'], 4)}; {out[f'regime_{ctx}']}"
        )
    n = lanes_used(home, lanes)
    n_free = optimal_lanes(tp, c) if c > 0 else n
    home_ft = frame_time(ts, tp, n, c)
    star = int(out[f"nstar_{home}"])
    out.update({
        "home_speedup": out[f"speedup_{home}"],
        "home_lanes": float(n),
        "home_nstar": float(star),
        "home_nstar_text": f"{star} lanes",
        "home_lanes_text": str(n),
        "home_frame": home_ft.total_s,
        "home_serial": home_ft.serial_s,
        "home_parallel": home_ft.parallel_s,
        "home_coordination": home_ft.coordination_s,
        "home_amdahl": out[f"amdahl_{home}"],
        "home_lanes_note": (
            f"{n} lanes on {CONTEXT_NAME[home]}"
            + (f" (capped: it has {LANES[home]})" if int(round(lanes)) > LANES[home] else "")
        ),
        "retrograde": bool(c > 0 and n > n_free),
        "retrograde_message": (
            f"Retrograde scaling: {n} lanes give {_x(out[f'speedup_{home}'], 4)}, below "
            f"{_x(out[f'speedup_star_{home}'], 4)} at {star} lanes; each extra lane adds more coordination than it "
            f"removes work. First fix: cap at {star} lanes or halve coordination."
        ),
        "v111_note": (
            f"layer {format_number(float(layer_time), 4)} µs per call: your detector's kernels are memory-bound"
            if isinstance(layer_time, (int, float)) and not isinstance(layer_time, bool) and layer_time > 0
            else "not recorded"
        ),
    })
    xs = [float(k) for k in range(1, MAX_LANES + 1)]
    out["charts"] = {
        "speedup_by_context": {
            "x": xs,
            "series": [
                {"name": ctx, "y": [usl_speedup(k, sigma, kappa) if k <= LANES[ctx] else None for k in xs]}
                for ctx in CONTEXT_KEYS
            ],
            "lines": [] if serial_fraction == 0 else [
                {"y": amdahl_limit(serial_fraction), "label": f"Amdahl ceiling 1/f = {format_number(1 / serial_fraction, 3)}×"}
            ],
        }
    }
    return out


def _reveal_c() -> str:
    r = real_lanes(MAX_LANES, COORDINATION_S, SERIAL_FRACTION, "cloud", None)
    ft = frame_time(SERIAL_S, PARALLEL_S, LANES["cloud"], COORDINATION_S)
    star = int(r["nstar_cloud"])
    return (
        f"T(N) = 5 + 95/N + 0.01(N − 1) ms. Cloud, N = {LANES['cloud']}: {format_number(ft.serial_s * 1e3, 3)} + "
        f"{format_number(ft.parallel_s * 1e3, 3)} + {format_number(ft.coordination_s * 1e3, 4)} = "
        f"{_ms(ft.total_s, 4)} → 100/{format_number(ft.total_s * 1e3, 4)} = **{_x(r['speedup_cloud'], 4)}** (Amdahl "
        f"alone: {_x(r['amdahl_cloud'], 4)}); N* = √(95/0.01) = {format_number(math.sqrt(PARALLEL_S / COORDINATION_S), 3)}"
        f" → T({star}) = {_ms(frame_time(SERIAL_S, PARALLEL_S, star, COORDINATION_S).total_s, 4)}, "
        f"{_x(r['speedup_star_cloud'], 4)}. Edge and mobile, N = 16: {_ms(r['frame_edge'], 4)} → "
        f"{_x(r['speedup_edge'], 3)} (Amdahl {_x(r['amdahl_edge'], 3)}). Tiny, N = 2: {_ms(r['frame_tiny'], 4)} → "
        f"{_x(r['speedup_tiny'], 3)}. With overheads, the \"20×\" is neither reached nor the real limit: the peak is "
        f"{_x(r['speedup_star_cloud'], 3)} on the cloud and the lane count caps the rest."
    )


PART_C = Part(
    id="C",
    title="Cross-context: real lanes, real overhead",
    kind="cross-context",
    scenario=Scenario(
        speaker="Jonas Lindqvist",
        role="Tidewatch's Platform Architect",
        text=(
            "Our pipeline ships on an H100 server, an Orin box on the quay, a phone app for inspectors, and a "
            "Cortex-M7 camera tag. Each has a different number of parallel units, and lanes must coordinate — every "
            "extra lane costs us about 10 µs per frame in synchronisation. What do we actually get?"
        ),
    ),
    prediction=NumericPrediction(
        prompt="Speedup on your home context using all of its lanes, with coordination on.",
        unit="x",
        min=1,
        max=50,
        answer="home_speedup",
        scale="linear",
    ),
    instruments=(
        Slider("lanes", "Lanes used", "count", 1, MAX_LANES, MAX_LANES, step=1, default_from=HOME,
               default_by={k: float(v) for k, v in LANES.items()},
               help=f"Capped at each context's lanes ({' / '.join(str(LANES[k]) for k in CONTEXT_KEYS)})."),
        Slider("coordination", "Coordination per extra lane", "us", 0, 50, 10, step=1,
               help="Synchronisation cost c added to every frame for each lane beyond the first."),
        Slider("serial_fraction", "Serial fraction f", "fraction", 0.0, 0.5, 0.05, step=0.005),
    ),
    compute=real_lanes,
    ledger_inputs={"home": HOME, "layer_time": V111},
    outputs=(
        Output("home_speedup", "Speedup on your home context", "x", 4),
        Output("home_lanes_note", "Lanes used at home", kind="text"),
        Output("home_frame", "Frame time at home", "ms", 4),
        Output("home_nstar_text", "Best lane count N* at home", kind="text"),
        Output("home_nstar", "Best lane count N*", "count", 3, show=False),
        Output("home_lanes_text", "Lanes", kind="text", show=False),
        *(Output(f"row_{c}", CONTEXT_NAME[c], kind="text") for c in CONTEXT_KEYS),
        Output("v111_note", "From v1-11 (bandwidth is not modelled here)", kind="text"),
        Output("home_serial", "Serial", "ms", 3, show=False),
        Output("home_parallel", "Parallel per lane", "ms", 3, show=False),
        Output("home_coordination", "Coordination", "ms", 3, show=False),
        Output("home_lanes", "Lanes used", "count", 3, show=False),
        Output("home_amdahl", "Amdahl alone", "x", 4, show=False),
        *(Output(f"speedup_{c}", f"{c} speedup", "x", 4, show=False) for c in CONTEXT_KEYS),
        *(Output(f"frame_{c}", f"{c} frame time", "ms", 4, show=False) for c in CONTEXT_KEYS),
        *(Output(f"nstar_{c}", f"{c} N*", "count", 3, show=False) for c in CONTEXT_KEYS),
        *(Output(f"speedup_star_{c}", f"{c} speedup at N*", "x", 4, show=False) for c in CONTEXT_KEYS),
        *(Output(f"regime_{c}", f"{c} regime", kind="text", show=False) for c in CONTEXT_KEYS),
    ),
    charts=(
        Chart(
            id="speedup_by_context",
            kind="line",
            title="Speedup with coordination, each context up to its lanes",
            x_label="Lanes used N",
            y_label="Speedup",
            x_unit="count",
            y_unit="x",
            x_log=True,
            description=(
                "One curve per context, ending at its lane count (132 / 16 / 16 / 2). With coordination the cloud "
                "curve peaks near √(T_p/c) lanes and then falls; the dashed line is Amdahl's 1/f ceiling."
            ),
        ),
    ),
    failures=(
        FailureState("retrograde", "Past the peak", when="retrograde",
                     message="retrograde_message"),
    ),
    math=MathPeek(
        equations=(
            r"T(N) = T_s + T_p/N + c\,(N-1),\quad S = T(1)/T(N)",
            r"N^* = \sqrt{T_p/c}",
            r"S = \dfrac{N}{1 + \sigma(N-1) + \kappa N(N-1)},\ \sigma = T_s/T_1,\ \kappa = c/T_1",
        ),
        substituted=(
            "T({home_lanes_text}) = {home_serial} + {home_parallel} + {home_coordination} = {home_frame}",
            "S = {home_speedup} (Amdahl alone {home_amdahl}); N* = {home_nstar_text}",
        ),
        engine=("engine.latency.frame_time", "engine.latency.usl_speedup", "engine.latency.optimal_lanes"),
        note=(
            "Identical to Gunther's universal scalability law with σ = 0.05 and κ = 10⁻⁴ at the defaults "
            "(Guerrilla Capacity Planning, 2007, ch. 4)."
        ),
    ),
    reveal=Reveal(_reveal_c()),
)

# --- Part D: the deadline plan ---------------------------------------------------------------------------------

PLAN_OPTION: Mapping[str, str] = {"none": "a", "serial": "b", "detector": "c", "coordination": "d"}


def _plan_lever(serial_s: float, detector_scale: float, coordination_s: float) -> str:
    """Which single lever a plan pulls (the first changed of serial, detector, coordination), or 'none'."""
    if serial_s < SERIAL_S:
        return "serial"
    if detector_scale < 1.0:
        return "detector"
    if coordination_s < COORDINATION_S:
        return "coordination"
    return "none"


def cheapest_answer(ctx: str) -> str:
    """Part D's answer: the option key of the engine's cheapest plan that meets the home context's deadline."""
    p = plan_frame_budget(LANES[ctx], DEADLINE_MS[ctx] * 1e-3, WEEKS_BUDGET, SERIAL_S, PARALLEL_S, COORDINATION_S)
    return PLAN_OPTION[_plan_lever(p.serial_s, p.detector_scale, p.coordination_s_per_lane)]


def _plan_text(serial_s: float, scale: float, c: float, lanes: int, weeks: float) -> str:
    return (f"serial {_ms(serial_s, 2)}, detector × {format_number(scale, 2)}, coordination "
            f"{format_value(c, 'us', 2)}, {lanes} lanes ({weeks:g} weeks)")


def deadline_plan(serial_path: tuple[float, float], detector: tuple[float, float], coordination: tuple[float, float],
                  lanes: float, deadline: float, home: str) -> dict[str, Any]:
    """Part D model: the chosen plan's frame time, speedup, cost and verdicts; the engine's cheapest plan."""
    ts, w1 = serial_path
    scale, w2 = detector
    c, w3 = coordination
    weeks = w1 + w2 + w3
    tp = PARALLEL_S * scale
    n = lanes_used(home, lanes)
    ft: FrameTime = frame_time(ts, tp, n, c)
    n_star = optimal_lanes(tp, c, LANES[home])
    best: FrameTime = frame_time(ts, tp, n_star, c)
    n_free = optimal_lanes(tp, c)
    cheapest = plan_frame_budget(LANES[home], deadline, WEEKS_BUDGET, SERIAL_S, PARALLEL_S, COORDINATION_S)
    lever = _plan_lever(cheapest.serial_s, cheapest.detector_scale, cheapest.coordination_s_per_lane)
    fix = {
        "serial": "shorten the serial path",
        "detector": "shrink the detector (then re-validate its quality, v1-10)",
        "coordination": "halve coordination",
        "none": f"use {n_star} lanes",
    }[lever]
    if not cheapest.feasible:
        fix = "no plan within 6 weeks meets it; relax the deadline"
    retro = c > 0 and n > n_free
    late = ft.total_s > deadline
    base = frame_time(SERIAL_S, PARALLEL_S, 1, COORDINATION_S).total_s
    return {
        "frame_time": ft.total_s,
        "frame_serial": ft.serial_s,
        "frame_parallel": ft.parallel_s,
        "frame_coordination": ft.coordination_s,
        "speedup": ratio(base, ft.total_s),
        "weeks": weeks,
        "lanes_note": f"{n} of {LANES[home]}" + (" (capped)" if int(round(lanes)) > LANES[home] else ""),
        "lanes_used": float(n),
        "best_lanes": float(n_star),
        "best_frame": best.total_s,
        "deadline_used": deadline,
        "verdict": (f"meets {_ms(deadline, 3)}" if not late else f"misses {_ms(deadline, 3)} by {_ms(ft.total_s - deadline, 3)}"),
        "quality_flag": (
            "quality must be re-validated (v1-10): the detector shrank to × 0.6" if scale < 1.0 else "not needed"
        ),
        "serial_fraction": ts / (ts + tp),
        "binding": ft.bound,
        "binding_text": {"serial": "the serial path", "lanes": "parallel work ÷ N",
                         "coordination": "coordination"}[ft.bound],
        "lanes_text": str(n),
        "best_lanes_text": str(n_star),
        "plan": f"serial_ms: {ts * 1e3:g}, detector_scale: {scale:g}, coordination_us: {c * 1e6:g}, lanes: {n}",
        "cheapest_text": (
            _plan_text(cheapest.serial_s, cheapest.detector_scale, cheapest.coordination_s_per_lane, cheapest.lanes,
                       cheapest.weeks) + f": {_ms(cheapest.frame.total_s, 3)}"
            + ("" if cheapest.feasible else " (none meets the deadline)")
        ),
        "cheapest_answer": cheapest_answer(home),
        "late": late,
        "over_budget": weeks > WEEKS_BUDGET,
        "retrograde": retro,
        "late_message": (
            f"Frame {_ms(ft.total_s, 3)} > deadline {_ms(deadline, 3)} at {n} lanes (best lane count {n_star}: "
            f"{_ms(best.total_s, 3)}). First fix: {fix}."
        ),
        "budget_message": (
            f"Plan needs {weeks:g} engineer-weeks > {WEEKS_BUDGET:g}. First fix: "
            + ("serial path to 2 ms instead of 1 ms." if ts < 2e-3 else
               f"drop a lever; the cheapest plan that meets the deadline is "
               f"{_plan_text(cheapest.serial_s, cheapest.detector_scale, cheapest.coordination_s_per_lane, cheapest.lanes, cheapest.weeks)}.")
        ),
        "retrograde_message": (
            f"Retrograde scaling: {n} lanes give {_x(ratio(base, ft.total_s), 4)}, below "
            f"{_x(ratio(base, best.total_s), 4)} at {n_star} lanes; each extra lane adds more coordination than it "
            f"removes work. First fix: cap at {n_star} lanes"
            + (" or halve coordination." if c >= COORDINATION_S else ".")
        ),
        "charts": {"frame_parts": _frame_chart(home, ft, deadline)},
    }


def _frame_chart(home: str, ft: FrameTime, deadline: float) -> dict[str, Any]:
    """Grouped bars (the schema has no stacked bar): serial, parallel ÷ N, coordination and their sum, before/after."""
    before = frame_time(SERIAL_S, PARALLEL_S, LANES[home], COORDINATION_S)
    frames = (before, ft)
    return {
        "x": [f"as built ({LANES[home]} lanes)", f"your plan ({ft.lanes} lanes)"],
        "series": [
            {"name": "serial", "y": [f.serial_s for f in frames]},
            {"name": "parallel ÷ N", "y": [f.parallel_s for f in frames]},
            {"name": "coordination", "y": [f.coordination_s for f in frames]},
            {"name": "frame time (sum)", "y": [f.total_s for f in frames],
             "status": ["fail" if f.total_s > deadline else "ok" for f in frames]},
        ],
        "lines": [{"y": deadline, "label": f"deadline {format_number(deadline * 1e3, 3)} ms"}],
    }


def _reveal_d() -> str:
    def t(ts: float, scale: float, c: float, ctx: str) -> tuple[int, FrameTime]:
        n = optimal_lanes(PARALLEL_S * scale, c, LANES[ctx])
        return n, frame_time(ts, PARALLEL_S * scale, n, c)

    n0, c0 = t(SERIAL_S, 1.0, COORDINATION_S, "cloud")
    _, cs = t(2e-3, 1.0, COORDINATION_S, "cloud")
    _, cd = t(SERIAL_S, 0.6, COORDINATION_S, "cloud")
    _, cc = t(SERIAL_S, 1.0, COORDINATION_S / 2, "cloud")
    _, e0 = t(SERIAL_S, 1.0, COORDINATION_S, "edge")
    _, ed = t(SERIAL_S, 0.6, COORDINATION_S, "edge")
    _, es = t(2e-3, 1.0, COORDINATION_S, "edge")
    _, t0 = t(SERIAL_S, 1.0, COORDINATION_S, "tiny")
    _, td = t(SERIAL_S, 0.6, COORDINATION_S, "tiny")
    base = frame_time(SERIAL_S, PARALLEL_S, 1).total_s
    return (
        f"**Cloud → (b).** As built, the best lane count is {n0} → {_ms(c0.total_s, 3)} ✗ (deadline 5 ms). Serial "
        f"2 ms (3 wk): 2 + 95/{n0} + {format_number(cs.coordination_s * 1e3, 2)} = **{_ms(cs.total_s, 3)} ✓, "
        f"{_x(ratio(base, cs.total_s), 3)}** — above the \"20× ceiling\", because f itself moved. Shrinking the "
        f"detector alone gives {_ms(cd.total_s, 3)} ✗ and halving coordination {_ms(cc.total_s, 3)} ✗: on "
        f"{LANES['cloud']} lanes the serial path is everything.\n\n"
        f"**Edge / mobile (16 lanes) → (c).** As built {_ms(e0.total_s, 4)} ✗; detector × 0.6: 5 + 57/16 + 0.15 = "
        f"**{_ms(ed.total_s, 3)} ✓ (2 wk, flagged)**; serial 2 ms: {_ms(es.total_s, 3)} ✓ (3 wk) → (c) with a "
        f"quality check, (b) if the flag is unacceptable.\n\n"
        f"**Tiny (2 lanes) → (c).** As built {_ms(t0.total_s, 4)} ✗; detector × 0.6: 5 + 28.5 + 0.01 = "
        f"**{_ms(td.total_s, 4)} ✓**; with only two lanes, the parallel work still dominates."
    )


PART_D = Part(
    id="D",
    title="Design challenge: make the deadline",
    kind="design",
    scenario=Scenario(
        speaker="Odile Marchetti",
        role="CTO, Tidewatch",
        text=(
            "Contracts require a result per frame within 5 ms on the server, 10 ms on the quay box and the phone, and "
            "50 ms on the camera tag. You have 6 engineer-weeks. Spend them."
        ),
    ),
    prediction=ChoicePrediction(
        prompt="Cheapest change that meets your home context's deadline?",
        options=(
            Option("a", "just use all the lanes"),
            Option("b", "take decoding off the serial path (T_s 5 → 2 ms, 3 weeks)"),
            Option("c", "shrink the detector (T_p × 0.6, 2 weeks)"),
            Option("d", "halve coordination (c 10 → 5 µs, 2 weeks)"),
        ),
        answer="cheapest_answer",
    ),
    instruments=(
        Select("serial_path", "Serial path", SERIAL_OPTIONS, default="5", unit="ms"),
        Select("detector", "Detector work", DETECTOR_OPTIONS, default="1.0", unit="x"),
        Select("coordination", "Coordination", COORDINATION_OPTIONS, default="10", unit="us"),
        Slider("lanes", "Lanes used", "count", 1, MAX_LANES, MAX_LANES, step=1, default_from=HOME,
               default_by={k: float(v) for k, v in LANES.items()},
               help=f"Capped at the home context's lanes ({' / '.join(str(LANES[k]) for k in CONTEXT_KEYS)})."),
        Slider("deadline", "Frame deadline", "ms", 1, 100, 5, step=0.5, default_from=HOME,
               default_by=dict(DEADLINE_MS), help="The contract's time per frame on your home context."),
    ),
    compute=deadline_plan,
    ledger_inputs={"home": HOME},
    outputs=(
        Output("frame_time", "Frame time", "ms", 3),
        Output("verdict", "Deadline", kind="text"),
        Output("speedup", "Speedup over one lane as built", "x", 3),
        Output("weeks", "Engineer-weeks spent", "engineer-week", 2),
        Output("lanes_note", "Lanes used", kind="text"),
        Output("best_frame", "Frame at the best lane count for this plan", "ms", 3),
        Output("quality_flag", "Quality check", kind="text"),
        Output("binding_text", "Largest part of the frame", kind="text"),
        Output("binding", "Binding part", kind="text", show=False),
        Output("lanes_text", "Lanes", kind="text", show=False),
        Output("best_lanes_text", "Best lanes", kind="text", show=False),
        Output("cheapest_text", "Engine's cheapest plan", kind="text"),
        Output("plan", "Plan", kind="text", show=False),
        Output("serial_fraction", "Serial fraction of the plan", "fraction", 3, show=False),
        Output("frame_serial", "Serial", "ms", 3, show=False),
        Output("frame_parallel", "Parallel per lane", "ms", 3, show=False),
        Output("frame_coordination", "Coordination", "ms", 3, show=False),
        Output("lanes_used", "Lanes used", "count", 3, show=False),
        Output("best_lanes", "Best lane count", "count", 3, show=False),
        Output("deadline_used", "Deadline", "ms", 3, show=False),
        Output("cheapest_answer", "Answer key", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="frame_parts",
            kind="grouped_bar",
            title="Where the frame time goes, as built and with your plan",
            x_label="Plan",
            y_label="Time",
            y_unit="ms",
            description=(
                "Serial, parallel ÷ N and coordination time, and their sum, for the as-built pipeline on all lanes and "
                "for your plan; a hatched red sum misses the dashed deadline."
            ),
        ),
    ),
    failures=(
        FailureState("deadline", "Deadline missed", when="late", message="late_message"),
        FailureState("budget", "Over the engineering budget", when="over_budget",
                     message="budget_message"),
        FailureState("retrograde", "Past the peak", when="retrograde",
                     message="retrograde_message"),
    ),
    math=MathPeek(
        equations=(
            r"T(N) = T_s + m\,T_p/N + c\,(N-1)",
            r"\min\ \text{weeks}\ \text{s.t.}\ T(N) \le D,\ \text{weeks} \le 6,\ N \le N_\text{ctx}",
        ),
        substituted=(
            "T({lanes_text}) = {frame_serial} + {frame_parallel} + {frame_coordination} = {frame_time} vs {deadline}",
            "best lanes {best_lanes_text}: {best_frame}; weeks {weeks}; cheapest: {cheapest_text}",
        ),
        engine=("engine.latency.frame_time", "engine.latency.optimal_lanes", "engine.latency.plan_frame_budget"),
        note=(
            "Engineering costs (3 / 8 / 2 / 2 weeks) and deadlines are Tidewatch's planning assumptions; the "
            "detector's quality at × 0.6 is not modelled here (v1-10's table is the only quality evidence)."
        ),
    ),
    reveal=Reveal(_reveal_d()),
)

# --- the lab -------------------------------------------------------------------------------------------------


def _self_assessment() -> tuple[tuple[str, str], ...]:
    return (
        (
            "With 1 % serial, what is the limit and the speedup at 1,024 lanes?",
            f"{_x(amdahl_limit(0.01), 3)}; 1/(0.01 + 0.99/1,024) = {_x(amdahl_speedup(0.01, 1024), 3)}.",
        ),
        (
            "Why did the serial-path fix beat 20× on the cloud?",
            "Because it changed f (5 % → 2 %); 20× was the ceiling of the old f.",
        ),
        (
            "Where does speedup peak with T_p = 95 ms and c = 40 µs?",
            f"N* = √(95/0.04) = {format_number(math.sqrt(PARALLEL_S / 40e-6), 3)} lanes.",
        ),
    )


def _lanes_table() -> str:
    rows = "\n".join(
        f"| {k} | {get_context(k).device.name} | {LANES[k]} | {format_value(DEADLINE_MS[k] * 1e-3, 'ms', 2)} |"
        for k in CONTEXT_KEYS
    )
    return "| context | device | parallel lanes | frame deadline (Part D) |\n|---|---|---|---|\n" + rows


LAB = Lab(
    id="v1-12",
    title="The Serial Tax",
    volume=1,
    section="Deploy",
    minutes=45,
    prerequisites=("v1-00", "v1-02", "v1-11"),
    core_question=(
        "Amdahl's Law says 5% sequential code limits speedup to 20× regardless of parallelism. Is that right?"
    ),
    briefing=Briefing(
        objectives=(
            "Compute Amdahl's speedup and its 1/f ceiling, and see how little of the ceiling more lanes buy.",
            "Reconcile Amdahl with Gustafson: the \"5 %\" depends on which run you measured, and scaled work changes "
            "the answer by 50×.",
            "Add the cost of coordinating lanes, find the lane count past which speedup falls, and choose the "
            "cheapest engineering change that meets a frame deadline on your home hardware.",
        ),
        decide=(
            "Which engineering change to fund (serial path, coordination, model size) and how many lanes to use, "
            "under a 6 engineer-week budget."
        ),
        body=(
            "**Pipeline** (same in every part; `latency.frame_time`). One video frame on one lane takes "
            f"T₁ = {format_value(T1_S, 'ms', 3)}: T_s = {format_value(SERIAL_S, 'ms', 1)} serial (frame decode + "
            f"harbour-wide track fusion, single-threaded) and T_p = {format_value(PARALLEL_S, 'ms', 2)} of detector "
            "work that splits evenly across lanes. Coordination adds c = "
            f"{format_value(COORDINATION_S, 'us', 2)} per extra lane per frame (off in Parts A–B). All three numbers "
            "are **assumptions** chosen to make f = 5 %, the seed's figure. Parts A–B use the vendor's hypothetical "
            "1,024-lane accelerator; your home context's real lane count enters in Parts C–D.\n\n" + _lanes_table()
        ),
    ),
    parts=(PART_A, PART_B, PART_C, PART_D),
    synthesis=Synthesis(
        takeaways=(
            "Amdahl is arithmetic, not pessimism: with 5 % serial, 1,024 lanes give 19.6× and the serial 5 ms is 98 % "
            "of the remaining frame.",
            "\"Is that right?\" — only for fixed work. If the workload grows with the hardware and the serial part does "
            "not, Gustafson's 973× is equally right; the fraction you quote must name the run it came from.",
            "Real lanes coordinate, so speedup peaks (97 lanes on the H100, 14.4×) and then falls; the cheapest fix "
            "depends on the hardware — shorten the serial path on wide machines, shrink the parallel work on narrow "
            "ones.",
        ),
        connections=(
            "v1-02 (iron law), v1-11 (per-kernel time), v1-13 (frame time becomes service time), v2-01 and v2-05 "
            "(the same shape across GPUs and nodes)."
        ),
        self_assessment=_self_assessment(),
    ),
    model_note=(
        "The frame is T(N) = T_s + T_p/N + c(N − 1): the serial part never shrinks, the parallel part splits "
        "perfectly, and every lane beyond the first adds a fixed coordination cost (Gunther's universal scalability "
        "law with σ = T_s/T₁ and κ = c/T₁). T₁ = 100 ms, T_s = 5 ms, c = 10 µs, the engineering costs and the "
        "deadlines are Tidewatch's assumptions; lane counts are the registry's (132 H100 SMs, 16 Orin SMs, 16 A17 Pro "
        "Neural Engine cores, 2 Cortex-M7 MAC lanes, the last an assumption). Memory bandwidth, load imbalance and "
        "the detector's quality at × 0.6 are not modelled. Changes from the spec, and why: the lane counts in Parts "
        "A–B are drop-downs (1 … 4,096) because the page prints slider values to three significant figures (1,024 "
        "would read 1,020); the Parts C–D lanes slider runs 1–132 on every context (the schema has no per-context "
        "maximum) and is capped at the home context's lanes, which the readout states; instruments carry their "
        "unit in the unit field rather than the name (coordination, deadline, serial_path); Part D's frame chart is "
        "grouped bars with the sum as a fourth bar (the schema has no stacked bar). Retrograde scaling needs more "
        "lanes than √(T_p/c) ≈ 97, so only the cloud can reach it within 0–50 µs of coordination."
    ),
    reads=(
        LedgerRead(HOME, "Home context (v1-00)", "cloud", choices=CONTEXT_KEYS),
        LedgerRead(V111, "Layer time from v1-11 (µs)", "not recorded"),
    ),
    writes=(
        LedgerWrite("v1-12.amdahl_prediction", "prediction", "A", "prediction"),
        LedgerWrite("v1-12.amdahl_speedup", "number", "A", "speedup", unit="x"),
        LedgerWrite("v1-12.gustafson_speedup", "number", "B", "gustafson", unit="x"),
        LedgerWrite("v1-12.optimal_lanes", "number", "C", "home_nstar", unit="count"),
        LedgerWrite("v1-12.serial_fraction", "number", "D", "serial_fraction", unit="fraction", when="change"),
        # text "serial_ms: 2, detector_scale: 1, coordination_us: 10, lanes: 97": split on ", " then on ": "
        LedgerWrite("v1-12.plan", "decision", "D", "plan", when="change"),
        LedgerWrite("v1-12.frame_time_ms", "number", "D", "frame_time", unit="ms", when="change"),
        LedgerWrite("v1-12.deadline_ms", "number", "D", "deadline", unit="ms", when="change"),
        LedgerWrite("v1-12.engineer_weeks", "number", "D", "weeks", unit="engineer-week", when="change"),
        LedgerWrite("v1-12.binding_constraint", "number", "D", "binding", when="change"),
    ),
)
