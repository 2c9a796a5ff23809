"""v1-02 — The Iron Law: Why 2× Compute Isn't 2× Faster.

Foundations lab: split one ResNet-50 inference into compute, memory and fixed-overhead time and see what a 2× faster
compute unit buys on the home context (Part A), pick the single lever worth doubling and its Amdahl ceiling under an
SLO (Part B), compare the same upgrade on three machines (Part C), and buy one upgrade per product for next year's
256-px model (Part D). Spec: shared/labs/v1-02.md.

Every number comes from the engine: the workload from `registry.models.RESNET50` (derived from its layer list) and
`latency.image_workload`, the terms from `latency.iron_law` / `latency.kernel_overhead`, each lever from
`latency.scale_iron_law`, speedups from `units.ratio` and `latency.amdahl_*`, the SLO verdict and its sentence from
`latency.check_latency_slo`. This module chooses the scenario's settings and words the results.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.latency import (
    CITED as LATENCY_CITED,
    PER_KERNEL_OVERHEAD_S,
    IronLaw,
    amdahl_limit,
    amdahl_speedup,
    check_latency_slo,
    image_workload,
    iron_law,
    kernel_overhead,
    scale_iron_law,
)
from engine.memory import check_fit, weight_bytes
from engine.registry.hardware import CONTEXT_KEYS, get_context
from engine.registry.models import RESNET50
from engine.units import format_auto, format_number, format_value, ratio, to_base
from labs.common import envelope_table_md, failures_per, log_steps
from labs.schema import (
    Briefing,
    Chart,
    ChoicePrediction,
    FailureState,
    Lab,
    LedgerRead,
    LedgerWrite,
    MathPeek,
    Option,
    Output,
    Part,
    Reveal,
    SIGNED,
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

MODEL = RESNET50
REF_SIDE_PX = 224.0  # the resolution the registry's counts are derived at
FP16_BITS = 16
BYTES_PER_ELEMENT = weight_bytes(1, FP16_BITS)  # FP16: 2 bytes per weight and per activation element
ETA = LATENCY_CITED["batch1_conv_efficiency"].value  # η = 0.5 (assumption, slider)
LATENCY_CONTEXTS: tuple[str, ...] = ("cloud", "edge", "mobile")  # tiny cannot hold ResNet-50 (Part C shows it)
NEXT_YEAR_SIDE_PX = 256.0  # Part D: next year's model

# Per-item budgets are scenario requirements (assumption): 10,000 images/s per GPU; 1,000 frames/s robot vision;
# half of a 120 Hz frame on the phone, rounded to 4 ms. Tiny has no SLO here: Parts A and B use cloud for it.
SLO_US: Mapping[str, float] = {"cloud": 100.0, "edge": 1_000.0, "mobile": 4_000.0, "tiny": 100.0}
ITEM: Mapping[str, str] = {"cloud": "image", "edge": "frame", "mobile": "frame"}

SHORT_NAME: Mapping[str, str] = {"cloud": "Cloud (H100)", "edge": "Edge (Orin)", "mobile": "Mobile (phone)",
                                  "tiny": "Tiny (STM32H7)"}
CONTEXT_NAME: Mapping[str, str] = {
    "cloud": "Cloud API (H100)",
    "edge": "Kestrel robot (Orin)",
    "mobile": "Phone app",
    "tiny": "Tiny (STM32H743)",
}

# Part D upgrade menu: key -> (label, compute_x, bandwidth_x, overhead_x, points). Point costs are scenario values.
UPGRADES: Mapping[str, tuple[str, float, float, float, int]] = {
    "none": ("none (0 points)", 1.0, 1.0, 1.0, 0),
    "compute": ("2× compute (5 points)", 2.0, 1.0, 1.0, 5),
    "bandwidth": ("2× bandwidth (4 points)", 1.0, 2.0, 1.0, 4),
    "overhead": ("½ overhead (2 points)", 1.0, 1.0, 0.5, 2),
}
UPGRADE_OPTIONS = tuple(Option(k, v[0]) for k, v in UPGRADES.items())

# The three single levers of Part B: (key, label, compute_x, bandwidth_x, overhead_x)
LEVERS: tuple[tuple[str, str, float, float, float], ...] = (
    ("compute", "2× compute", 2.0, 1.0, 1.0),
    ("bandwidth", "2× bandwidth", 1.0, 2.0, 1.0),
    ("overhead", "½ overhead", 1.0, 1.0, 0.5),
)
LEVER_OPTION: Mapping[str, str] = {"compute": "a", "bandwidth": "b", "overhead": "c"}
ABOUT_EQUAL = 1.05  # Part B option (d): the best lever beats the worst by less than 5 %

MULTIPLIER_STEPS = (0.5, 0.7, 1.0, 1.4, 2.0, 3.0, 4.0, 6.0, 8.0)
OVERHEAD_STEPS = (0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.4, 2.0)
SLO_STEPS = log_steps(10, 10_000, (1, 2, 3, 4, 5, 7))

# --- shared helpers (wording only; every number comes from an engine call) -----------------------------------


def home_reference(home: str) -> str:
    """The context Parts A and B open in: the home context, or cloud when home is tiny (ResNet-50 cannot load)."""
    return "cloud" if home == "tiny" else home


def base_law(ctx: str, side_px: float = REF_SIDE_PX, efficiency: float = ETA, overlap: bool = False) -> IronLaw:
    """ResNet-50 at batch 1, FP16, on context `ctx`: the three iron-law terms."""
    env = get_context(ctx)
    w = image_workload(
        MODEL.flop_per_image, MODEL.params, MODEL.activation_elements_per_image, side_px, REF_SIDE_PX,
        BYTES_PER_ELEMENT,
    )
    overhead = kernel_overhead(MODEL.kernels_per_image, PER_KERNEL_OVERHEAD_S[ctx])
    return iron_law(
        w.flop, env.device.peak_fp16_dense_flop_per_s, efficiency, w.bytes_moved, env.memory_bandwidth_bytes_per_s,
        overhead, overlap,
    )


def tiny_fit():
    """ResNet-50 even at INT8 against the microcontroller's 2 MiB of flash (v1-01's capacity wall)."""
    tiny = get_context("tiny")
    return check_fit(weight_bytes(MODEL.params, 8), tiny.model_memory_bytes, f"flash on tiny ({tiny.device.name.split(' (')[0]})")


def _us(seconds: float, sig: int = 4) -> str:
    return format_value(seconds, "us", sig)


def _x(value: float, sig: int = 3) -> str:
    return format_value(value, "x", sig)


def _terms(law: IronLaw) -> str:
    """'T_c 16.53 + T_m 32.22 + L 49.00 = 97.75 µs' (with max(…) under overlap)."""
    tc, tm, lo = (format_number(v * 1e6, 4) for v in (law.compute_s, law.memory_s, law.overhead_s))
    head = f"max({tc}, {tm}) + {lo}" if law.overlap else f"{tc} + {tm} + {lo}"
    return f"{head} = {_us(law.total_s)}"


def _speedup_option(s: float) -> str:
    """Part A's bands: (a) ≥ 1.8×, (b) 1.4–1.8×, (c) 1.2–1.4×, (d) under 1.2×."""
    if s >= 1.8:
        return "a"
    if s >= 1.4:
        return "b"
    if s >= 1.2:
        return "c"
    return "d"


def _parse_ready(pairs: Mapping[str, str]) -> str:
    """'cloud: overhead, edge: bandwidth, …' — the ledger's text form of a small mapping (as in v1-01)."""
    return ", ".join(f"{k}: {v}" for k, v in pairs.items())


def _workload_texts(ctx: str, side_px: float = REF_SIDE_PX) -> dict[str, str]:
    env = get_context(ctx)
    w = image_workload(
        MODEL.flop_per_image, MODEL.params, MODEL.activation_elements_per_image, side_px, REF_SIDE_PX,
        BYTES_PER_ELEMENT,
    )
    return {
        "flop_text": format_auto(w.flop, "flop", 4),
        "peak_text": format_auto(env.device.peak_fp16_dense_flop_per_s, "flop_rate", 4),
        "bytes_text": format_auto(w.bytes_moved, "bytes", 4),
        "bandwidth_text": format_auto(env.memory_bandwidth_bytes_per_s, "bandwidth", 4),
        "kernels_text": f"{MODEL.kernels_per_image:.0f} kernels × {_us(PER_KERNEL_OVERHEAD_S[ctx], 3)}",
    }


# --- Part A: calibration -------------------------------------------------------------------------------------


def speedup_2x_compute(ctx: str) -> float:
    """Part A's answer: T before / T after doubling peak compute, at the scenario's settings (η 0.5, no overlap)."""
    before = base_law(ctx)
    return ratio(before.total_s, scale_iron_law(before, compute_x=2.0).total_s)


def double_compute(context: str, compute_x: float, eta: float, overlap: bool, home: str, binding_axis: str) -> dict[str, Any]:
    """Part A model: the three terms before and after a faster compute unit, and the speedup."""
    before = base_law(context, efficiency=eta, overlap=overlap)
    after = scale_iron_law(before, compute_x=compute_x)
    ref = home_reference(home)
    s_home = speedup_2x_compute(ref)
    out: dict[str, Any] = {
        "context_label": SHORT_NAME[context],
        "tc_before": before.compute_s,
        "tm_before": before.memory_s,
        "l_before": before.overhead_s,
        "t_before": before.total_s,
        "tc_after": after.compute_s,
        "tm_after": after.memory_s,
        "l_after": after.overhead_s,
        "t_after": after.total_s,
        "speedup": ratio(before.total_s, after.total_s),
        "compute_fraction": before.compute_fraction,
        "terms_before": _terms(before),
        "terms_after": _terms(after),
        "speedup_home": s_home,
        "speedup_answer": _speedup_option(s_home),
        "v1_01_context": (
            f"{binding_axis}; ResNet-50 cannot load on tiny either, so Parts A and B use cloud"
            if home == "tiny"
            else f"{binding_axis} (7B assistant); ResNet-50 fits, so the question is where time goes"
        ),
        **_workload_texts(context),
    }
    out["charts"] = {
        "before_after": {
            "x": ["compute T_c", "memory T_m", "overhead L", "total T"],
            "series": [
                {"name": "before (1× compute)", "y": [before.compute_s, before.memory_s, before.overhead_s,
                                                      before.total_s]},
                {"name": f"after ({format_number(compute_x, 2)}× compute)",
                 "y": [after.compute_s, after.memory_s, after.overhead_s, after.total_s]},
            ],
        }
    }
    return out


def _reveal_a() -> str:
    c = base_law("cloud")
    c2 = scale_iron_law(c, compute_x=2.0)
    co = base_law("cloud", overlap=True)
    co2 = scale_iron_law(co, compute_x=2.0)
    t = _workload_texts("cloud")
    others = "; ".join(
        f"{k} {format_number(base_law(k).total_s * 1e6, 5)} → "
        f"{format_number(scale_iron_law(base_law(k), compute_x=2.0).total_s * 1e6, 5)} µs = "
        f"**{_x(speedup_2x_compute(k))}**"
        for k in ("edge", "mobile")
    )
    return (
        f"On the cloud GPU: $T_c$ = {t['flop_text']} ÷ ({t['peak_text']} × {ETA:g}) = {_us(c.compute_s)}; "
        f"$T_m$ = {t['bytes_text']} ÷ {t['bandwidth_text']} = {_us(c.memory_s)}; $L$ = {t['kernels_text']} = "
        f"{_us(c.overhead_s)}; $T$ = {_us(c.total_s)}. "
        f"Doubling FLOP/s halves only the first term: {_terms(c2)}, a speedup of **{_x(speedup_2x_compute('cloud'))}** "
        f"(answer (d)), because compute is only {format_value(c.compute_fraction, 'percent', 3)} of the time. "
        f"Half the latency was never on offer.\n\n"
        f"Other homes: {others}. Tiny cannot load ResNet-50 at all ({format_auto(tiny_fit().num_bytes, 'bytes')} "
        f"at INT8 > 2 MiB of flash, v1-01). With perfect overlap on cloud, memory hides compute: "
        f"{_terms(co)}, and 2× compute gives exactly {_x(ratio(co.total_s, co2.total_s))}."
    )


PART_A = Part(
    id="A",
    title="Calibration: double the FLOP/s",
    kind="calibration",
    scenario=Scenario(
        speaker="Rafael Ortega",
        role="infrastructure lead at Tessellate (a photo-moderation service)",
        text=(
            "Finance will approve next-generation accelerators that have twice the FLOP/s. Our moderation model runs "
            "one image at a time. I'm promising the product team half the latency. Am I right?"
        ),
    ),
    prediction=ChoicePrediction(
        prompt=(
            "With 2× peak compute on your home context, per-image latency improves by… (If home = tiny, the "
            "question uses cloud: ResNet-50 does not fit on the microcontroller.)"
        ),
        options=(
            Option("a", "≈2× (≥1.8×)"),
            Option("b", "1.4–1.8×"),
            Option("c", "1.2–1.4×"),
            Option("d", "under 1.2×"),
        ),
        answer="speedup_answer",
    ),
    instruments=(
        Select(
            "context", "Where it runs",
            tuple(Option(k, SHORT_NAME[k]) for k in LATENCY_CONTEXTS),
            default="cloud", default_from=HOME, default_by={k: home_reference(k) for k in CONTEXT_KEYS},
            help="Opens in your home context (cloud when home is tiny: ResNet-50 does not fit in 2 MiB of flash).",
        ),
        Slider("compute_x", "Peak compute multiplier", "x", 0.5, 8, 2.0, steps=MULTIPLIER_STEPS,
               help="New peak FLOP/s ÷ today's; 'before' is always 1×."),
        Slider("eta", "Compute efficiency", "fraction", 0.1, 1.0, ETA, step=0.05,
               help="η: the share of peak FLOP/s batch-1 convolutions actually reach."),
        Toggle("overlap", "Perfect compute/memory overlap", default=False,
               help="Off: T = T_c + T_m + L. On: T = max(T_c, T_m) + L."),
    ),
    compute=double_compute,
    ledger_inputs={"home": HOME, "binding_axis": AXIS},
    outputs=(
        Output("context_label", "Context", kind="text"),
        Output("tc_before", "Compute time T_c, before", "us", 4),
        Output("tm_before", "Memory time T_m, before", "us", 4),
        Output("l_before", "Fixed overhead L, before", "us", 4),
        Output("t_before", "Latency T, before", "us", 4),
        Output("tc_after", "Compute time T_c, after", "us", 4),
        Output("tm_after", "Memory time T_m, after", "us", 4),
        Output("l_after", "Fixed overhead L, after", "us", 4),
        Output("t_after", "Latency T, after", "us", 4),
        Output("speedup", "Speedup (T before ÷ T after)", "x", 3),
        Output("v1_01_context", "v1-01: binding axis on your home context", kind="text"),
        Output("compute_fraction", "Compute share f_c, before", "fraction", 3, show=False),
        Output("terms_before", "T before", kind="text", show=False),
        Output("terms_after", "T after", kind="text", show=False),
        Output("speedup_home", "2× compute speedup on the home context", "x", 3, show=False),
        Output("speedup_answer", "Answer key", kind="text", show=False),
        Output("flop_text", "Operations O", kind="text", show=False),
        Output("peak_text", "Peak FP16 R", kind="text", show=False),
        Output("bytes_text", "Bytes moved D", kind="text", show=False),
        Output("bandwidth_text", "Bandwidth BW", kind="text", show=False),
        Output("kernels_text", "Kernels × per-kernel cost", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="before_after",
            kind="grouped_bar",
            title="Where one image's time goes, before and after the faster compute unit",
            x_label="Term",
            y_label="Time per image",
            y_unit="us",
            description=(
                "Each term before (1×) and after the compute multiplier; only compute shrinks, so the total barely "
                "moves. With overlap on, the total is max(compute, memory) + overhead."
            ),
        ),
    ),
    math=MathPeek(
        equations=(
            r"T = \frac{O}{R\,\eta} + \frac{D}{BW} + L",
            r"T = \max\!\left(\frac{O}{R\eta}, \frac{D}{BW}\right) + L \quad \text{(perfect overlap)}",
            r"L = N_k\, t_k,\qquad S = \frac{T_\text{before}}{T_\text{after}}",
        ),
        substituted=(
            "T_c = {flop_text} ÷ ({peak_text} × {eta}) = {tc_before}",
            "T_m = {bytes_text} ÷ {bandwidth_text} = {tm_before}",
            "L = {kernels_text} = {l_before}",
            "before: T = {terms_before}",
            "after {compute_x}: T = {terms_after}",
            "S = {t_before} ÷ {t_after} = {speedup}",
        ),
        engine=(
            "engine.latency.iron_law",
            "engine.latency.kernel_overhead",
            "engine.latency.image_workload",
            "engine.latency.scale_iron_law",
        ),
        note=(
            "D = (25.56 M weights + 28.40 M activation elements) × 2 bytes: each of the 56 fused kernels reads its "
            "input and writes its output once (derived by the engine from ResNet-50's layer list)."
        ),
    ),
    reveal=Reveal(_reveal_a()),
)

# --- Part B: which lever -------------------------------------------------------------------------------------


def _lever_speedups(now: IronLaw) -> dict[str, float]:
    return {k: ratio(now.total_s, scale_iron_law(now, cx, bx, ox).total_s) for k, _, cx, bx, ox in LEVERS}


def best_lever_answer(ctx: str) -> str:
    """Part B's answer at the scenario's settings: the option key of the best single 2× lever on `ctx`."""
    s = _lever_speedups(base_law(ctx))
    if max(s.values()) / min(s.values()) < ABOUT_EQUAL:
        return "d"
    return LEVER_OPTION[max(s, key=lambda k: s[k])]


def which_lever(compute_x: float, bw_x: float, overhead_x: float, resolution: float, slo_us: float,
                home: str) -> dict[str, Any]:
    """Part B model: the home context's terms after the student's multipliers, each 2× lever on top, the Amdahl
    ceiling of compute upgrades, and the SLO check."""
    ctx = home_reference(home)
    base = base_law(ctx, side_px=resolution)
    now = scale_iron_law(base, compute_x, bw_x, overhead_x)
    s = _lever_speedups(now)
    best = max(s, key=lambda k: s[k])
    labels = {k: label for k, label, *_ in LEVERS}
    serial = 1.0 - now.compute_fraction
    ceiling = amdahl_limit(serial)
    t_inf = now.total_s / ceiling
    slo = check_latency_slo(now, slo_us, ITEM[ctx])
    lever_laws = {k: scale_iron_law(now, cx, bx, ox) for k, _, cx, bx, ox in LEVERS}
    totals = [now.total_s, *(lever_laws[k].total_s for k, *_ in LEVERS), t_inf]
    out: dict[str, Any] = {
        "context_label": SHORT_NAME[ctx],
        "tc": now.compute_s,
        "tm": now.memory_s,
        "l": now.overhead_s,
        "t": now.total_s,
        "terms": _terms(now),
        "compute_fraction": now.compute_fraction,
        "serial_fraction": serial,
        "speedup_compute": s["compute"],
        "speedup_bandwidth": s["bandwidth"],
        "speedup_overhead": s["overhead"],
        "amdahl_2x": amdahl_speedup(serial, 2.0),
        "ceiling": ceiling,
        "t_infinite_compute": t_inf,
        "slo": slo.slo_s,
        "slo_margin": slo.margin_s,
        "slo_used": slo.ratio,
        "slo_ok": slo.passes,
        "slo_message": slo.message(),
        "best_lever": labels[best],
        "dominant_term": now.bound,
        "lever_answer": best_lever_answer(ctx),
    }
    out["charts"] = {
        "levers": {
            "x": ["as set", "+ 2× compute", "+ 2× bandwidth", "+ ½ overhead", "compute → ∞"],
            "series": [
                {
                    "name": "latency per item",
                    "y": totals,
                    "status": ["ok" if t <= slo.slo_s else "fail" for t in totals],
                    "labels": ["", *(_x(s[k]) for k, *_ in LEVERS), _x(ceiling)],
                }
            ],
            "lines": [{"y": slo.slo_s, "label": "SLO"}],
        }
    }
    return out


def _reveal_b() -> str:
    c = base_law("cloud")
    s = _lever_speedups(c)
    fc = c.compute_fraction
    edge, mobile = _lever_speedups(base_law("edge")), _lever_speedups(base_law("mobile"))
    return (
        f"Cloud: $f_c$ = {format_number(c.compute_s * 1e6, 4)} ÷ {format_number(c.total_s * 1e6, 4)} = "
        f"{format_number(fc, 3)}. 2× compute: 1 ÷ ({format_number(1 - fc, 3)} + {format_number(fc / 2, 2)}) = "
        f"{_x(s['compute'], 4)}; 2× bandwidth: {format_number(c.total_s * 1e6, 4)} ÷ "
        f"({format_number(c.compute_s * 1e6, 4)} + {format_number(c.memory_s / 2 * 1e6, 4)} + "
        f"{format_number(c.overhead_s * 1e6, 4)}) = {_x(s['bandwidth'], 4)}; ½ overhead: "
        f"{format_number(c.total_s * 1e6, 4)} ÷ ({format_number(c.compute_s * 1e6, 4)} + "
        f"{format_number(c.memory_s * 1e6, 4)} + {format_number(c.overhead_s / 2 * 1e6, 4)}) = "
        f"**{_x(s['overhead'], 4)}** (answer (c)). Even infinitely fast compute only reaches "
        f"{_x(amdahl_limit(1 - fc), 4)}: the {_us(c.overhead_s, 2)} of kernel overhead is the biggest term.\n\n"
        f"The best lever is the largest term, so it changes with the context: edge → 2× bandwidth "
        f"{_x(edge['bandwidth'], 4)}; mobile → 2× bandwidth {_x(mobile['bandwidth'], 4)}."
    )


PART_B = Part(
    id="B",
    title="Deepening: which lever, and how far can it go?",
    kind="deepening",
    scenario=Scenario(
        speaker="Maya Lindqvist",
        role="performance engineer at Tessellate",
        text=(
            "Before we buy anything, tell me which single thing is worth doubling — FLOP/s, memory bandwidth, or "
            "halving our per-kernel overhead — and what the ceiling is if we made compute infinitely fast."
        ),
    ),
    prediction=ChoicePrediction(
        prompt="Which single 2× improvement helps most on your home context?",
        options=(
            Option("a", "2× compute"),
            Option("b", "2× bandwidth"),
            Option("c", "½ overhead"),
            Option("d", "all about equal"),
        ),
        answer="lever_answer",
    ),
    instruments=(
        Slider("compute_x", "Peak compute multiplier", "x", 0.5, 8, 1.0, steps=MULTIPLIER_STEPS),
        Slider("bw_x", "Bandwidth multiplier", "x", 0.5, 8, 1.0, steps=MULTIPLIER_STEPS),
        Slider("overhead_x", "Fixed-overhead multiplier", "x", 0.1, 2, 1.0, steps=OVERHEAD_STEPS,
               help="0.5 = a runtime that halves the per-kernel cost."),
        Slider("resolution", "Input side in pixels (ops and activations scale with pixel count)", "count", 160, 384,
               REF_SIDE_PX, step=32),
        Slider("slo_us", "Per-image budget", "us", 10, 10_000, SLO_US["cloud"], steps=SLO_STEPS,
               default_from=HOME, default_by=dict(SLO_US),
               help="Cloud 100 µs (10,000 images/s per GPU), edge 1,000 µs, mobile 4,000 µs."),
    ),
    compute=which_lever,
    ledger_inputs={"home": HOME},
    outputs=(
        Output("context_label", "Context", kind="text"),
        Output("terms", "T = T_c + T_m + L", kind="text"),
        Output("compute_fraction", "Compute share f_c", "fraction", 3),
        Output("speedup_compute", "Add 2× compute", "x", 3),
        Output("speedup_bandwidth", "Add 2× bandwidth", "x", 3),
        Output("speedup_overhead", "Add ½ overhead", "x", 3),
        Output("best_lever", "Best single lever now", kind="text"),
        Output("ceiling", "Amdahl ceiling of compute upgrades", "x", 3),
        Output("slo_margin", "SLO margin (budget − T)", "us", 3, bounds=SIGNED),
        Output("slo_used", "Budget used", "percent", 3),
        Output("tc", "T_c", "us", 4, show=False),
        Output("tm", "T_m", "us", 4, show=False),
        Output("l", "L", "us", 4, show=False),
        Output("t", "T", "us", 4, show=False),
        Output("serial_fraction", "1 − f_c", "fraction", 3, show=False),
        Output("amdahl_2x", "Amdahl, 2× compute", "x", 3, show=False),
        Output("t_infinite_compute", "T with infinitely fast compute", "us", 4, show=False),
        Output("slo", "Budget", "us", 3, show=False),
        Output("dominant_term", "Largest term", kind="text", show=False),
        Output("lever_answer", "Answer key", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="levers",
            kind="bar",
            title="Latency as set, after each single lever, and with infinitely fast compute",
            x_label="Change",
            y_label="Latency per item",
            y_unit="us",
            description="Bar labels are speedups over 'as set'; red bars miss the SLO line.",
        ),
    ),
    failures=(
        FailureState("slo_missed", "SLO missed", when="not slo_ok", message="slo_message"),
    ),
    math=MathPeek(
        equations=(
            r"f_c = \frac{T_c}{T},\qquad S(k) = \frac{1}{(1-f_c) + f_c/k},\qquad S(\infty) = \frac{1}{1-f_c}",
            r"S_\text{bw} = \frac{T}{T_c + T_m/2 + L},\qquad S_\text{oh} = \frac{T}{T_c + T_m + L/2}",
            r"T \le T_\text{SLO}",
        ),
        substituted=(
            "T = {terms}; f_c = {tc} ÷ {t} = {compute_fraction}",
            "S(2) = 1 ÷ ({serial_fraction} + {compute_fraction} ÷ 2) = {amdahl_2x}; S(∞) = 1 ÷ {serial_fraction} "
            "= {ceiling}",
            "2× bandwidth → {speedup_bandwidth}; ½ overhead → {speedup_overhead}",
            "T = {t} vs budget {slo}: margin {slo_margin}",
        ),
        engine=("engine.latency.amdahl_speedup", "engine.latency.amdahl_limit", "engine.latency.iron_law",
                "engine.latency.check_latency_slo"),
        note="A 2× lever halves one term, so the best lever is always the largest term (Amdahl on the sum).",
    ),
    reveal=Reveal(_reveal_b()),
)

# --- Part C: same model, three machines ----------------------------------------------------------------------


def most_helped_answer() -> str:
    """Part C's answer: the context where 2× compute helps most at the scenario's settings ('d' if within 1 %)."""
    s = {k: speedup_2x_compute(k) for k in LATENCY_CONTEXTS}
    if max(s.values()) / min(s.values()) < 1.01:
        return "d"
    return {"cloud": "a", "edge": "b", "mobile": "c"}[max(s, key=lambda k: s[k])]


def three_machines(compute_x: float, bw_x: float, overhead_x: float, overlap: bool, show_tiny: bool,
                   home: str) -> dict[str, Any]:
    """Part C model: each context's terms, compute share and the speedup of the chosen multipliers."""
    out: dict[str, Any] = {}
    shares: dict[str, list[float | None]] = {"compute": [], "memory": [], "overhead": []}
    labels: list[str] = []
    xs: list[str] = []
    for ctx in LATENCY_CONTEXTS:
        base = base_law(ctx, overlap=overlap)
        now = scale_iron_law(base, compute_x, bw_x, overhead_x)
        speedup = ratio(base.total_s, now.total_s)
        out[f"{ctx}_tc"] = base.compute_s
        out[f"{ctx}_tm"] = base.memory_s
        out[f"{ctx}_l"] = base.overhead_s
        out[f"{ctx}_t"] = base.total_s
        out[f"{ctx}_fc"] = base.compute_fraction
        out[f"{ctx}_t_after"] = now.total_s
        out[f"{ctx}_speedup"] = speedup
        out[f"{ctx}_row"] = (
            f"T_c {format_number(base.compute_s * 1e6, 4)} · T_m {format_number(base.memory_s * 1e6, 4)} · "
            f"L {format_number(base.overhead_s * 1e6, 4)} → T {_us(base.total_s)} · f_c "
            f"{format_number(base.compute_fraction, 3)} · after: {_us(now.total_s)} = {_x(speedup)}"
        )
        xs.append(SHORT_NAME[ctx] + (" (home)" if ctx == home else ""))
        shares["compute"].append(ratio(base.exposed_compute_s, base.total_s) if base.exposed_compute_s else 0.0)
        shares["memory"].append(ratio(base.exposed_memory_s, base.total_s) if base.exposed_memory_s else 0.0)
        shares["overhead"].append(ratio(base.overhead_s, base.total_s))
        labels.append("")
    fit = tiny_fit()
    out["tiny_row"] = (
        f"cannot load: {format_auto(fit.num_bytes, 'bytes')} > {format_auto(fit.capacity_bytes, 'bytes')} flash "
        f"({format_number(fit.ratio)}×)"
    )
    out["tiny_fits"] = fit.fits
    out["tiny_message"] = fit.message()
    out["show_tiny"] = show_tiny
    out["most_helped_answer"] = most_helped_answer()
    if show_tiny:
        xs.append(SHORT_NAME["tiny"] + (" (home)" if home == "tiny" else ""))
        for k in shares:
            shares[k].append(None)
        labels.append("does not fit")
    out["charts"] = {
        "shares": {
            "x": xs,
            "series": [
                {"name": "compute", "y": shares["compute"], "labels": labels},
                {"name": "memory", "y": shares["memory"]},
                {"name": "overhead", "y": shares["overhead"]},
            ],
        }
    }
    return out


def _reveal_c() -> str:
    rows = []
    for k in LATENCY_CONTEXTS:
        b = base_law(k)
        t = _workload_texts(k)
        rows.append(
            f"- **{k}**: $T_c$ = {t['flop_text']} ÷ ({t['peak_text']} × {ETA:g}) = {b.compute_s * 1e6:,.2f} µs; "
            f"$T_m$ = {t['bytes_text']} ÷ {t['bandwidth_text']} = {b.memory_s * 1e6:,.2f} µs; "
            f"$L$ = {b.overhead_s * 1e6:,.2f} µs; $T$ = {b.total_s * 1e6:,.2f} µs; "
            f"$f_c$ = {format_number(b.compute_fraction, 3)}; 2× compute → **{_x(speedup_2x_compute(k))}**"
        )
    e = base_law("edge")
    cloud_r = get_context("cloud").device.peak_fp16_dense_flop_per_s
    edge_r = get_context("edge").device.peak_fp16_dense_flop_per_s
    return (
        "\n".join(rows)
        + f"\n\n**Edge gains most** (answer (b)): its compute share is the largest "
        f"({format_value(e.compute_fraction, 'percent', 2)}), because the Orin's FP16 peak is "
        f"{format_number(ratio(cloud_r, edge_r), 3)}× below the H100's while its fixed overhead is the same "
        f"{_us(e.overhead_s, 3)}. The phone's {_us(PER_KERNEL_OVERHEAD_S['mobile'], 2)} per kernel "
        f"({_us(base_law('mobile').overhead_s, 3)} in all) and slow memory dilute its compute share. The vendor's "
        f"\"2× compute, 2× faster\" is wrong on all three."
    )


PART_C = Part(
    id="C",
    title="Cross-context: same model, three machines",
    kind="cross-context",
    scenario=Scenario(
        speaker="Rafael Ortega",
        role="infrastructure lead at Tessellate",
        text=(
            "Tessellate also ships this model inside Kestrel warehouse robots (Orin) and in our phone app. The "
            "vendor's pitch deck says '2× compute, 2× faster' for all three. Put numbers next to each."
        ),
    ),
    prediction=ChoicePrediction(
        prompt="On which context does 2× compute help most?",
        options=(Option("a", "cloud"), Option("b", "edge"), Option("c", "mobile"), Option("d", "same everywhere")),
        answer="most_helped_answer",
    ),
    instruments=(
        Slider("compute_x", "Peak compute multiplier (all contexts)", "x", 0.5, 8, 2.0, steps=MULTIPLIER_STEPS),
        Slider("bw_x", "Bandwidth multiplier (all contexts)", "x", 0.5, 8, 1.0, steps=MULTIPLIER_STEPS),
        Slider("overhead_x", "Fixed-overhead multiplier (all contexts)", "x", 0.1, 2, 1.0, steps=OVERHEAD_STEPS),
        Toggle("overlap", "Perfect compute/memory overlap", default=False),
        Toggle("show_tiny", "Show tiny (capacity failure from v1-01)", default=True),
    ),
    compute=three_machines,
    ledger_inputs={"home": HOME},
    outputs=(
        *(
            Output(f"{ctx}_{name}", f"{SHORT_NAME[ctx]}: {label}", unit, sig, show=show)
            for ctx in LATENCY_CONTEXTS
            for name, label, unit, sig, show in (
                ("t", "latency T", "us", 4, True), ("fc", "compute share f_c", "fraction", 3, True),
                ("speedup", "speedup", "x", 3, True),
                ("tc", "T_c", "us", 4, False), ("tm", "T_m", "us", 4, False), ("l", "L", "us", 4, False),
                ("t_after", "T after", "us", 4, False),
            )
        ),
        Output("tiny_row", SHORT_NAME["tiny"], kind="text"),
        *(Output(f"{ctx}_row", f"{ctx} row", kind="text", show=False) for ctx in LATENCY_CONTEXTS),
        Output("most_helped_answer", "Answer key", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="shares",
            kind="grouped_bar",
            title="Where each context's time goes (share of its own T, before the upgrade)",
            x_label="Context",
            y_label="Share of T",
            y_unit="percent",
            description=(
                "Per context, the compute, memory and overhead shares add to 100 %; the larger the compute share, "
                "the more a compute upgrade buys. Tiny has no bars: the weights cannot load."
            ),
        ),
    ),
    failures=(
        FailureState(
            id="tiny_does_not_fit",
            title="Tiny cannot hold ResNet-50",
            when=lambda r: bool(r["show_tiny"]) and not r["tiny_fits"],
            message="tiny_message",
        ),
    ),
    math=MathPeek(
        equations=(
            r"T = \frac{O}{R\,\eta} + \frac{D}{BW} + L \quad\text{per context}",
            r"S = \frac{T}{T_c/k_c + T_m/k_b + L\,k_L} = \frac{1}{(1-f_c) + f_c/k_c}\ \text{ when only compute changes}",
        ),
        substituted=(
            "cloud: {cloud_row}",
            "edge: {edge_row}",
            "mobile: {mobile_row}",
            "multipliers: compute {compute_x}, bandwidth {bw_x}, overhead {overhead_x}",
        ),
        engine=("engine.latency.iron_law", "engine.latency.scale_iron_law", "engine.memory.check_fit"),
        note="The speedup of a compute upgrade depends only on that context's compute share f_c.",
    ),
    reveal=Reveal(_reveal_c()),
)

# --- Part D: next year's model -------------------------------------------------------------------------------


def _upgraded(ctx: str, upgrade: str) -> IronLaw:
    _, cx, bx, ox, _ = UPGRADES[upgrade]
    return scale_iron_law(base_law(ctx, side_px=NEXT_YEAR_SIDE_PX), cx, bx, ox)


def _slo_s(ctx: str) -> float:
    return to_base(SLO_US[ctx], "us")


def cheapest_plan() -> tuple[dict[str, str], int]:
    """The cheapest passing upgrade per context at 256 px (ties: fewer points first, then menu order)."""
    plan: dict[str, str] = {}
    for ctx in LATENCY_CONTEXTS:
        passing = [k for k in UPGRADES if check_latency_slo(_upgraded(ctx, k), _slo_s(ctx)).passes]
        plan[ctx] = min(passing, key=lambda k: UPGRADES[k][4]) if passing else "none"
    return plan, sum(UPGRADES[k][4] for k in plan.values())


def overhead_rescues_edge() -> str:
    """Part D's answer: does ½ overhead alone bring the edge robot inside its SLO at 256 px?"""
    return "yes" if check_latency_slo(_upgraded("edge", "overhead"), _slo_s("edge")).passes else "no"


def one_upgrade_each(upgrade_cloud: str, upgrade_edge: str, upgrade_mobile: str) -> dict[str, Any]:
    """Part D model: each context at 256 px after its one upgrade, against its SLO, and the points spent."""
    chosen = {"cloud": upgrade_cloud, "edge": upgrade_edge, "mobile": upgrade_mobile}
    out: dict[str, Any] = {}
    before, after, ok = [], [], []
    for ctx, upgrade in chosen.items():
        base = _upgraded(ctx, "none")
        law = _upgraded(ctx, upgrade)
        chk = check_latency_slo(law, _slo_s(ctx), ITEM[ctx])
        out[f"{ctx}_t"] = law.total_s
        out[f"{ctx}_ok"] = chk.passes
        out[f"{ctx}_message"] = chk.message()
        out[f"{ctx}_row"] = (
            f"{UPGRADES[upgrade][0].split(' (')[0]}: T = {_terms(law)} vs {_us(chk.slo_s, 3)} → "
            + ("passes" if chk.passes else f"misses ({format_number(chk.ratio, 3)}×)")
        )
        before.append(check_latency_slo(base, _slo_s(ctx)).ratio)
        after.append(chk.ratio)
        ok.append(chk.passes)
    points = sum(UPGRADES[k][4] for k in chosen.values())
    plan, plan_points = cheapest_plan()
    out["points"] = float(points)
    out["upgrade_plan"] = _parse_ready(chosen)
    out["verdict"] = f"{sum(ok)} of {len(ok)} contexts inside their SLO for {points} points"
    out["cheapest_plan"] = _parse_ready(plan)
    out["cheapest_points"] = float(plan_points)
    out["edge_overhead_answer"] = overhead_rescues_edge()
    out["charts"] = {
        "t_vs_slo": {
            "x": [SHORT_NAME[c] for c in chosen],
            "series": [
                {"name": "no upgrade", "y": before, "status": ["ok" if r <= 1 else "fail" for r in before]},
                {"name": "your upgrade", "y": after, "status": ["ok" if s else "fail" for s in ok]},
            ],
            "lines": [{"y": 1.0, "label": "SLO"}],
        }
    }
    return out


def _reveal_d() -> str:
    start = {c: _upgraded(c, "none").total_s for c in LATENCY_CONTEXTS}
    plan, points = cheapest_plan()
    e_o, e_b, e_c = (_upgraded("edge", k).total_s for k in ("overhead", "bandwidth", "compute"))
    return (
        f"At 256 px every term that scales with pixels grows by (256/224)² = {format_number((256 / 224) ** 2, 4)}, "
        f"and all three contexts miss: cloud {_us(start['cloud'], 5)}, edge {_us(start['edge'], 6)}, mobile "
        f"{_us(start['mobile'], 6)}.\n\n"
        f"**No** for the robot: ½ overhead saves only {_us(_upgraded('edge', 'none').total_s - e_o, 3)} → {_us(e_o, 6)} > 1,000 µs. Bandwidth is its largest "
        f"term: 2× bandwidth → {_us(e_b, 5)} (passes, 4 points); 2× compute → {_us(e_c, 5)} (passes, 5 points). "
        f"Cloud: ½ overhead → {_us(_upgraded('cloud', 'overhead').total_s, 4)} (passes, 2 points). Mobile: "
        f"½ overhead → {_us(_upgraded('mobile', 'overhead').total_s, 5)} (passes, 2 points). Cheapest passing plan: "
        + " + ".join(f"{UPGRADES[plan[c]][0].split(' (')[0]} on {c}" for c in LATENCY_CONTEXTS)
        + f" = {' + '.join(str(UPGRADES[plan[c]][4]) for c in LATENCY_CONTEXTS)} = **{points} points**."
    )


PART_D = Part(
    id="D",
    title="Design challenge: next year's model",
    kind="design",
    scenario=Scenario(
        speaker="Maya Lindqvist",
        role="performance engineer at Tessellate",
        text=(
            "Next year's model uses 256×256 inputs. Each context gets exactly one upgrade: a 2× compute part (cost "
            "5 points), a 2× bandwidth memory (4 points) or a runtime project that halves per-kernel overhead "
            "(2 points). Stay inside each SLO for the fewest points."
        ),
    ),
    prediction=ChoicePrediction(
        prompt="On the edge robot, does the cheap overhead project alone rescue the SLO?",
        options=(Option("yes", "yes"), Option("no", "no")),
        answer="edge_overhead_answer",
    ),
    instruments=(
        Select("upgrade_cloud", "Upgrade for the cloud API (100 µs)", UPGRADE_OPTIONS, default="none"),
        Select("upgrade_edge", "Upgrade for the Kestrel robot (1,000 µs)", UPGRADE_OPTIONS, default="none"),
        Select("upgrade_mobile", "Upgrade for the phone app (4,000 µs)", UPGRADE_OPTIONS, default="none"),
    ),
    compute=one_upgrade_each,
    outputs=(
        *(
            Output(f"{ctx}_t", f"{CONTEXT_NAME[ctx]}: latency at 256 px (SLO {format_number(SLO_US[ctx])} µs)", "us", 4)
            for ctx in LATENCY_CONTEXTS
        ),
        Output("verdict", "Result", kind="text"),
        Output("points", "Points spent", "count", 2),
        Output("upgrade_plan", "Plan", kind="text", show=False),
        *(Output(f"{ctx}_row", f"{ctx} row", kind="text", show=False) for ctx in LATENCY_CONTEXTS),
        Output("cheapest_plan", "Cheapest passing plan", kind="text", show=False),
        Output("cheapest_points", "Cheapest passing plan, points", "count", 2, show=False),
        Output("edge_overhead_answer", "Answer key", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="t_vs_slo",
            kind="grouped_bar",
            title="Latency at 256 px as a share of each context's SLO, before and after its upgrade",
            x_label="Product",
            y_log=False,
            y_label="Latency ÷ SLO",
            y_unit="percent",
            description="100 % is the SLO line; red bars miss it.",
        ),
    ),
    failures=failures_per(
        LATENCY_CONTEXTS,
        id="slo_{key}",
        title=lambda ctx: f"{CONTEXT_NAME[ctx]}: SLO missed",
        when="not {key}_ok",
        message="{key}_message",
    ),
    math=MathPeek(
        equations=(
            r"T(256) = \frac{O\,s}{R\eta} + \frac{(P + A\,s)\,b}{BW} + L,\qquad s = (256/224)^2 = 1.306",
            r"\text{upgrade: } T_c/2,\ T_m/2 \text{ or } L/2;\quad T \le T_\text{SLO}",
        ),
        substituted=(
            "cloud: {cloud_row}",
            "edge: {edge_row}",
            "mobile: {mobile_row}",
            "points: {points}",
        ),
        engine=("engine.latency.image_workload", "engine.latency.scale_iron_law", "engine.latency.check_latency_slo"),
        note="Each upgrade halves one term of that context; the one to buy is the largest term the budget allows.",
    ),
    reveal=Reveal(_reveal_d()),
)

# --- the lab -------------------------------------------------------------------------------------------------


def _self_assessment() -> tuple[tuple[str, str], ...]:
    co = base_law("cloud", overlap=True)
    co_bw = scale_iron_law(co, bandwidth_x=2.0)
    m = base_law("mobile")
    e = base_law("edge")
    return (
        (
            "Cloud with perfect overlap: what does 2× bandwidth buy?",
            f"{_terms(co_bw)}; {format_number(co.total_s * 1e6, 4)} ÷ {format_number(co_bw.total_s * 1e6, 4)} = "
            f"{_x(ratio(co.total_s, co_bw.total_s))}.",
        ),
        (
            "Ceiling of compute upgrades on the phone?",
            f"1 ÷ (1 − {format_number(m.compute_fraction, 3)}) = {_x(amdahl_limit(1 - m.compute_fraction))}.",
        ),
        (
            "Why does the edge gain most from 2× compute?",
            f"Its compute share ({format_value(e.compute_fraction, 'percent', 2)}) is the largest.",
        ),
    )


def _constants_md() -> str:
    rows = []
    for k in LATENCY_CONTEXTS:
        env = get_context(k)
        rows.append(
            f"| {k} | {format_auto(env.device.peak_fp16_dense_flop_per_s, 'flop_rate', 4)} | "
            f"{format_auto(env.memory_bandwidth_bytes_per_s, 'bandwidth', 4)} | {_us(PER_KERNEL_OVERHEAD_S[k], 3)} | "
            f"{_us(to_base(SLO_US[k], 'us'), 3)} |"
        )
    return (
        "| context | FP16 peak R | BW | per kernel $t_k$ | SLO |\n|---|---|---|---|---|\n"
        + "\n".join(rows)
    )


LAB = Lab(
    id="v1-02",
    title="The Iron Law: Why 2× Compute Isn't 2× Faster",
    volume=1,
    section="Foundations",
    minutes=50,
    prerequisites=("v1-00", "v1-01"),
    core_question="If you double compute power, why doesn't latency halve?",
    briefing=Briefing(
        objectives=(
            "Decompose one inference into compute time, memory time and fixed overhead, and predict what a 2× faster "
            "compute unit really buys.",
            "Use Amdahl's law on the decomposition: the untouched terms cap the speedup.",
            "Pick the one upgrade that buys the most on a given context, and see that the answer changes with the "
            "context.",
        ),
        decide="Which single 2× upgrade (compute, bandwidth, or overhead) your context should fund.",
        body=(
            f"Workload throughout: ResNet-50 image classification, 224×224, batch 1, FP16 (`registry.models.resnet50`): "
            f"{format_number(MODEL.macs_per_image, 4)} MAC = {format_number(MODEL.flop_per_image, 4)} FLOP per image "
            f"and {format_number(MODEL.params, 5)} parameters (torchvision model card: 4.09 GMAC, 25.6 M). A fused "
            f"runtime runs {MODEL.kernels_per_image:.0f} kernels (53 conv+BN+ReLU with the residual add folded in, "
            f"max-pool, avg-pool, FC) and moves {format_number(MODEL.activation_elements_per_image, 4)} activation "
            "elements (each kernel reads its input and writes its output; shortcut read once), **derived** by the "
            "engine from the layer list.\n\n"
            "The iron law of one inference: $T = \\frac{O}{R\\,\\eta} + \\frac{D}{BW} + L$, with "
            "$D = (P + A)\\,b$ bytes and $L = N_k\\,t_k$. Constants (η = 0.5 everywhere, **assumption**: batch-1 conv "
            "kernels rarely exceed half of peak; the per-kernel costs and SLOs are **assumptions**, see the model "
            "note):\n\n" + _constants_md() + "\n\nThe context envelope from v1-00:\n\n" + envelope_table_md()
        ),
    ),
    parts=(PART_A, PART_B, PART_C, PART_D),
    synthesis=Synthesis(
        takeaways=(
            "Latency is a sum; a faster term only shrinks its own share (Amdahl).",
            "On a data-centre GPU at batch 1, fixed overhead and memory outweigh arithmetic: 2× FLOP/s buys 1.09×.",
            "The best lever depends on the context: overhead on cloud, bandwidth on edge and phone.",
        ),
        connections=(
            "v1-07 (where the 49 µs of overhead comes from), v1-11 (roofline: when overlap makes one term vanish), "
            "v1-12 (Amdahl's 20× ceiling), v1-13 (batching amortises $L$)."
        ),
        self_assessment=_self_assessment(),
    ),
    model_note=(
        "One ResNet-50 image at batch 1 in FP16. Compute time is FLOP ÷ (dense FP16 peak × η) with η = 0.5 "
        "(assumption: batch-1 conv kernels rarely exceed half of peak). Memory time streams every weight once plus "
        "each fused kernel's input and output activations once (28.40 M elements, derived from the layer list), "
        "at peak bandwidth; caches are ignored, so T_m is an upper bound on a GPU whose L2 could hold some "
        "activations. Fixed overhead is 56 kernels × a per-kernel cost: 0.875 µs on cloud and edge (derived from a "
        "published CUDA-graph replay, 80 small kernels in 70 µs, CUDA.jl 'Graphs'), 10 µs on the phone "
        "(assumption: phone runtimes publish no dispatch cost). Without overlap the three terms add; with perfect "
        "overlap only the larger of compute and memory is exposed. Input resolution scales operations and activation "
        "elements with pixel count (the FC layer after global pooling does not, < 0.1 % here). SLOs (100 µs, "
        "1,000 µs, 4 ms) and upgrade point costs are scenario values. The H100's dense FP16 peak is half the "
        "datasheet's 1,979 TFLOP/s sparse figure, 989.5 TFLOP/s; the spec rounds it to 989, so our cloud T_c is "
        "16.53 µs where the spec prints 16.54 (every speedup agrees to the digits shown). Tiny cannot load ResNet-50 "
        "(25.6 MB at INT8 > 2 MiB of flash), so Parts A and B open in cloud for a tiny home, and Part C shows it "
        "greyed. Stacked bars are not among the site's chart kinds, so the spec's stacked and waterfall charts are "
        "drawn as grouped bars (terms side by side) and as one bar per lever."
    ),
    reads=(
        LedgerRead(HOME, "Home context (v1-00)", "cloud", choices=CONTEXT_KEYS),
        LedgerRead(AXIS, "Binding axis on your home context (v1-01)", "capacity", choices=AXIS_CHOICES),
    ),
    writes=(
        LedgerWrite("v1-02.speedup_prediction", "prediction", "A", "prediction"),
        LedgerWrite("v1-02.speedup_2x_compute", "number", "A", "speedup_home", unit="x"),
        LedgerWrite("v1-02.compute_fraction", "number", "B", "compute_fraction", unit="fraction"),
        LedgerWrite("v1-02.dominant_term", "number", "B", "dominant_term"),
        LedgerWrite("v1-02.best_lever", "number", "B", "best_lever"),
        # text "cloud: <upgrade key>, edge: <upgrade key>, mobile: <upgrade key>" (keys of UPGRADES), as in v1-01
        LedgerWrite("v1-02.upgrade_plan", "decision", "D", "upgrade_plan", when="change"),
        LedgerWrite("v1-02.upgrade_points", "decision", "D", "points", unit="count", when="change"),
    ),
)
