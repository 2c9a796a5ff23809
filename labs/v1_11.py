"""v1-11 — Which Roof Are You Under?

Optimize lab: time one dense layer on the roofline instead of the peak-FLOP headline (Part A), find the batch at
which it turns compute-bound and which upgrade helps on each side (Part B), compare the four contexts' ridges
(Part C), and plan LLaMA-7B decoding on the home context under capacity and latency budgets (Part D).
Spec: shared/labs/v1-11.md.

Every number comes from the engine: peaks and bandwidths from `registry.hardware`, layer shapes from
`registry.models`, checkpoint sizes from `compression.checkpoint_bytes`, times from `roofline.gemm_time` and
`roofline.decode_step`. This module chooses the scenario's settings, searches the decode plans and words results.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from engine.compression import checkpoint_bytes
from engine.memory import kv_cache_bytes, weight_bytes
from engine.registry.hardware import CONTEXT_KEYS, get_context
from engine.registry.models import KWS_DENSE_256, LLAMA_7B, Model
from engine.roofline import (
    DecodeStep,
    KernelTime,
    attainable,
    classify_regime,
    crossover_batch,
    decode_intensity,
    decode_step,
    gemm_time,
    ridge_point,
    upgrade_speedup,
)
from engine.units import format_auto, format_number, format_value, ratio
from labs.common import context_options
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
V110 = "v1-10.selected_model"
V110_PRESET = "7B GPTQ 4-bit g128"

# --- the scenario's settings ---------------------------------------------------------------------------------
# Cloud, edge and mobile run LLaMA-7B's MLP up-projection (K = d_model, N = MLP width); tiny runs one 256 × 256
# layer of a keyword-spotting stack (registry.models.KWS_DENSE_256, a labelled stand-in). Native precision: FP16 on
# cloud and edge, INT8 on mobile and tiny (spec's context register).
NATIVE: Mapping[str, str] = {"cloud": "fp16", "edge": "fp16", "mobile": "int8", "tiny": "int8"}
PRECISION_BITS: Mapping[str, int] = {"fp16": 16, "int8": 8}
PRECISION_OPTIONS = (
    Option("fp16", "FP16 (2 B per value)", value="fp16"),
    Option("int8", "INT8 (1 B per value)", value="int8"),
)
BATCH_STEPS = tuple(float(2**i) for i in range(13))  # 1 … 4,096 tokens, ×2
# A drop-down rather than a log slider: the page prints slider values to 3 significant figures (4,096 → "4,100").
BATCH_OPTIONS = tuple(Option(str(int(b)), f"{int(b):,}", value=b) for b in BATCH_STEPS)
SCALE_STEPS = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0)
UPGRADE = 2.0  # procurement's offer: 2× compute or 2× bandwidth (scenario)

# Part D: decode LLaMA-7B with a 2,048-token context per sequence (scenario). Per-token latency budgets: 50 ms, 100 ms
# on phones (spec). On tiny the stack classifies audio frames; its budget is the 20 ms frame hop of Hello Edge's
# 40 ms / 20 ms MFCC framing (Zhang et al. 2017, §3) — a keyword spotter must keep up with its input. The spec's
# 50 ms left tiny with no reachable failure (35 ms at batch 128); see the model note.
DECODE_BATCHES = (1, 2, 4, 8, 16, 32, 48, 64, 96, 128)
CONTEXT_STEPS = (128.0, 256.0, 512.0, 1024.0, 2048.0)
CONTEXT_OPTIONS = tuple(Option(str(int(t)), f"{int(t):,} tokens", value=t) for t in CONTEXT_STEPS)
DECODE_BATCH_OPTIONS = tuple(Option(str(b), f"{b:,}", value=b) for b in DECODE_BATCHES)
SCENARIO_CONTEXT_TOKENS: Mapping[str, float] = {"cloud": 2048.0, "edge": 2048.0, "mobile": 128.0, "tiny": 2048.0}
SCENARIO_STEP_BUDGET_MS: Mapping[str, float] = {"cloud": 50.0, "edge": 50.0, "mobile": 100.0, "tiny": 20.0}
KV_BITS = 16  # FP16 KV cache (spec: 524,288 B per token)
DECODE_MODEL: Model = LLAMA_7B
WEIGHT_OPTIONS = (
    Option("fp16", "FP16 (LLaMA-7B 12.5 GiB)", value="fp16"),
    Option("int8", "INT8 (1 B per weight)", value="int8"),
    Option("quantised", "Quantised: v1-10's pick", value="quantised"),
)
WEIGHT_DEFAULT: Mapping[str, str] = {"cloud": "fp16", "edge": "fp16", "mobile": "fp16", "tiny": "int8"}
WEIGHT_BITS: Mapping[str, int] = {"fp16": 16, "int8": 8}
# The quantised option: a LLaMA-7B row of v1-10's table (method, bits). Preset: GPTQ 4-bit g128 (3.6 GiB).
QUANT_PRESET = ("gptq_g128", 4)
QUANT_LABEL: Mapping[tuple[str, int], str] = {
    ("gptq_g128", 4): "7B GPTQ 4-bit g128",
    ("gptq", 4): "7B GPTQ 4-bit",
    ("rtn", 4): "7B RTN 4-bit",
    ("gptq_g128", 3): "7B GPTQ 3-bit g128",
    ("gptq", 3): "7B GPTQ 3-bit",
    ("rtn", 3): "7B RTN 3-bit",
}
LIMIT_OPTION: Mapping[str, str] = {"compute": "a", "bandwidth": "b", "capacity": "c", "none": "d"}

CONTEXT_NAME: Mapping[str, str] = {k: f"{get_context(k).label} ({get_context(k).device.name})" for k in CONTEXT_KEYS}

# --- shared helpers (wording and registry look-ups; every number is an engine or registry value) --------------


def layer_model(ctx: str) -> Model:
    """The layer each context runs: LLaMA-7B's up-projection, or the keyword-spotting layer on tiny."""
    return KWS_DENSE_256 if ctx == "tiny" else LLAMA_7B


def layer_shape(ctx: str) -> tuple[float, float]:
    """(K, N) of the context's layer: d_model × MLP width."""
    m = layer_model(ctx)
    assert m.hidden is not None and m.ffn_hidden is not None
    return m.hidden, m.ffn_hidden


def peak(ctx: str, precision: str) -> float:
    """Dense peak for a precision: INT8 op/s, FP16 FLOP/s, or the FP32 FPU on a core without FP16 arithmetic."""
    dev = get_context(ctx).device
    if precision == "int8":
        assert dev.peak_int8_dense_op_per_s is not None
        return dev.peak_int8_dense_op_per_s
    if dev.peak_fp16_dense_flop_per_s is not None:
        return dev.peak_fp16_dense_flop_per_s
    assert dev.peak_fp32_flop_per_s is not None  # Cortex-M7: FP16 is stored, converted and computed in FP32
    return dev.peak_fp32_flop_per_s


def bandwidth(ctx: str) -> float:
    return get_context(ctx).memory_bandwidth_bytes_per_s


def bytes_per_value(precision: str) -> float:
    return weight_bytes(1, PRECISION_BITS[precision])


def layer_time(ctx: str, batch: float, precision: str, eta: float = 1.0, compute_scale: float = 1.0,
               bandwidth_scale: float = 1.0) -> KernelTime:
    k, n = layer_shape(ctx)
    return gemm_time(batch, k, n, bytes_per_value(precision), peak(ctx, precision) * compute_scale,
                     bandwidth(ctx) * bandwidth_scale, eta)


def layer_crossover(ctx: str, precision: str, eta: float = 1.0, compute_scale: float = 1.0,
                    bandwidth_scale: float = 1.0) -> float:
    k, n = layer_shape(ctx)
    return crossover_batch(k, n, bytes_per_value(precision), eta * compute_scale * peak(ctx, precision),
                           bandwidth_scale * bandwidth(ctx))


def _is_int(precision: str) -> bool:
    return precision == "int8"


def _count(x: float) -> str:
    """A whole count with thousands separators (90,177,536), else 4 significant figures."""
    return f"{int(round(x)):,}" if x == round(x) and abs(x) < 1e15 else format_number(x, 4)


def _work_text(x: float, precision: str) -> str:
    return f"{_count(x)} {'op' if _is_int(precision) else 'FLOP'}"


def _rate_text(x: float, precision: str, sig: int = 3) -> str:
    return format_auto(x, "op_rate" if _is_int(precision) else "flop_rate", sig)


def _intensity_text(x: float, precision: str, sig: int = 3) -> str:
    return format_value(x, "OP/B" if _is_int(precision) else "FLOP/B", sig)


def _t(x: float, sig: int = 3) -> str:
    return format_auto(x, "time", sig)


def _regime_text(regime: str) -> str:
    return f"{regime}-bound"


def _layer_label(ctx: str) -> str:
    k, n = layer_shape(ctx)
    what = "LLaMA-7B up-projection" if ctx != "tiny" else "keyword-spotting layer"
    return f"{what} {_count(k)} × {_count(n)}"


def _crossover_text(b_star: float) -> str:
    if math.isinf(b_star):
        return "never: compute time stays below memory time at every batch"
    if b_star < 1:
        return f"{format_number(b_star, 2)} tokens: compute-bound from B = 1"
    return f"{format_number(b_star, 4)} tokens"


def _finite(x: float, fallback: float = 1e9) -> float:
    return x if math.isfinite(x) else fallback


def _log_grid(lo: float, hi: float, per_decade: int = 4) -> list[float]:
    n = round(per_decade * math.log10(hi / lo))
    return [lo * 10 ** (i / per_decade) for i in range(n + 1)]


# --- Part A: calibration -------------------------------------------------------------------------------------


def roofline_layer(batch: float, precision: str, eta: float, home: str) -> dict[str, Any]:
    """Part A model: the layer's work, traffic, intensity and the two times on the home context."""
    ctx = home
    kt = layer_time(ctx, batch, precision, eta)
    p, bw = peak(ctx, precision), bandwidth(ctx)
    r = ridge_point(p, bw)
    r_eff = ridge_point(eta * p, bw)
    regime = classify_regime(kt.intensity, r_eff)
    fantasy = layer_time(ctx, batch, precision).compute_s  # FLOPs ÷ peak, η = 1
    x_grid = sorted({*_log_grid(0.1, 1e4), r_eff})
    xs = sorted([*x_grid, kt.intensity, kt.intensity])
    i_idx = [i for i, x in enumerate(xs) if x == kt.intensity][:2]
    roof = [attainable(x, eta * p, bw) for x in xs]
    floor = min(roof)
    kernel: list[float | None] = [None] * len(xs)
    kernel[i_idx[0]], kernel[i_idx[1]] = floor, kt.attained_flop_per_s
    return {
        "layer": f"{_layer_label(ctx)}, {precision.upper()}",
        "flop": kt.flop,
        "work_text": _work_text(kt.flop, precision),
        "bytes_moved": kt.bytes_moved,
        "bytes_text": f"{_count(kt.bytes_moved)} B",
        "intensity": kt.intensity,
        "intensity_text": _intensity_text(kt.intensity, precision),
        "ridge": r,
        "ridge_text": _intensity_text(r, precision, 4),
        "ridge_eff_text": _intensity_text(r_eff, precision, 4),
        "peak": p,
        "peak_text": _rate_text(p, precision, 4),
        "bandwidth": bw,
        "bandwidth_text": format_auto(bw, "bandwidth", 4),
        "compute_time": kt.compute_s,
        "compute_time_text": _t(kt.compute_s),
        "memory_time": kt.memory_s,
        "memory_time_text": _t(kt.memory_s, 4),
        "time": kt.total_s,
        "fantasy_time": fantasy,
        "fantasy_ratio": ratio(kt.total_s, fantasy),
        "attained": kt.attained_flop_per_s,
        "attained_text": _rate_text(kt.attained_flop_per_s, precision),
        "pct_peak": kt.attained_flop_per_s / p,
        "regime": _regime_text(regime),
        "regime_key": regime,
        "charts": {
            "roofline": {
                "x": xs,
                "series": [
                    {"name": "roof: min(η·peak, I·BW)", "y": roof},
                    {"name": "your layer (I, attained)", "y": kernel},
                ],
                "lines": [{"y": p, "label": "peak: what FLOPs ÷ peak assumes"}],
            }
        },
    }


def _reveal_a() -> str:
    c = roofline_layer(1, NATIVE["cloud"], 1.0, "cloud")
    others = []
    for ctx in ("edge", "mobile", "tiny"):
        r = roofline_layer(1, NATIVE[ctx], 1.0, ctx)
        extra = f" (memory {_t(r['memory_time'])})" if r["regime_key"] == "compute" else ""
        others.append(
            f"{ctx} {NATIVE[ctx].upper()}: {r['work_text']}, {r['bytes_text']} → **{_t(r['time'], 4)}, "
            f"{r['regime']}**{extra}, {format_value(r['pct_peak'], 'percent', 2)} of peak"
        )
    return (
        f"FLOPs = 2 × K × N = **{c['work_text']}**. Bytes = 2 × (KN + K + N) = {c['bytes_text']}. Intensity "
        f"{c['intensity_text']} against a ridge of {c['ridge_text']}. Compute time {c['work_text']} ÷ "
        f"{c['peak_text']} = {c['compute_time_text']} (the 91-nanosecond fantasy); memory time {c['bytes_text']} ÷ "
        f"{c['bandwidth_text']} = **{_t(c['memory_time'], 4)}** → {c['regime']}, "
        f"{format_number(c['fantasy_ratio'], 3)}× the fantasy, attained {c['attained_text']} = "
        f"{format_value(c['pct_peak'], 'percent', 2)} of peak.\n\n"
        f"Other homes at batch 1: " + "; ".join(others) + ". The microcontroller is the exception: its core is "
        "even weaker than its memory, so the same layer is compute-bound there."
    )


PART_A = Part(
    id="A",
    title="Calibration: the 91-nanosecond fantasy",
    kind="calibration",
    scenario=Scenario(
        speaker="Aiko Tanaka",
        role="Inference Lead at Ferrow Labs (a legal-search startup)",
        text=(
            "Each MLP up-projection is 90 million FLOPs. The H100 does 989 teraFLOPs. So one call should take about "
            "91 nanoseconds, and our 32 layers barely register. Why is our profiler showing microseconds per layer?"
        ),
    ),
    prediction=NumericPrediction(
        prompt="Time for one batch-1 call of this layer on your home context (roofline, η = 1).",
        unit="us",
        min=0.01,
        max=1e4,
        answer="time",
        scale="log",
    ),
    instruments=(
        Select("batch", "Batch (tokens)", BATCH_OPTIONS, default="1", unit="tokens",
               help="Rows B of X: tokens processed together through the layer (×2 steps)."),
        Select("precision", "Weight/activation precision", PRECISION_OPTIONS, default="fp16", default_from=HOME,
               default_by=dict(NATIVE), help="Bytes per value b; INT8 uses the INT8 peak, FP16 the FP16 peak."),
        Slider("eta", "Achieved fraction of peak", "fraction", 0.05, 1.0, 1.0, step=0.05,
               help="η: the share of peak compute the kernel reaches; the roofline is the upper bound η = 1."),
    ),
    compute=roofline_layer,
    ledger_inputs={"home": HOME},
    outputs=(
        Output("layer", "Layer", kind="text"),
        Output("work_text", "Work F = 2BKN", kind="text"),
        Output("bytes_text", "Bytes moved D = b(KN + BK + BN)", kind="text"),
        Output("intensity_text", "Arithmetic intensity I = F/D", kind="text"),
        Output("ridge_text", "Ridge point R = peak/BW", kind="text"),
        Output("compute_time_text", "Compute time F/(η·peak)", kind="text"),
        Output("memory_time_text", "Memory time D/BW", kind="text"),
        Output("time", "Roofline time (the larger)", "us", 4),
        Output("fantasy_ratio", "Roofline time ÷ (FLOPs ÷ peak)", "x", 3),
        Output("attained_text", "Attained rate", kind="text"),
        Output("pct_peak", "Share of peak", "percent", 2, bounds=SHARE),
        Output("regime", "Regime", kind="text"),
        Output("flop", "Work", "FLOP", 4, show=False),
        Output("bytes_moved", "Bytes moved", "B", 4, show=False),
        Output("intensity", "Intensity", "FLOP/B", 3, show=False),
        Output("ridge", "Ridge point", "FLOP/B", 4, show=False),
        Output("ridge_eff_text", "Ridge at η·peak", kind="text", show=False),
        Output("peak", "Peak", "FLOP/s", 4, show=False),
        Output("peak_text", "Peak", kind="text", show=False),
        Output("bandwidth", "Bandwidth", "GB/s", 4, show=False),
        Output("bandwidth_text", "Bandwidth", kind="text", show=False),
        Output("compute_time", "Compute time", "us", 4, show=False),
        Output("memory_time", "Memory time", "us", 4, show=False),
        Output("fantasy_time", "FLOPs ÷ peak", "us", 4, show=False),
        Output("attained", "Attained rate", "FLOP/s", 3, show=False),
        Output("regime_key", "Regime key", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="roofline",
            kind="line",
            title="The roofline of your home context, and where the layer sits",
            x_label="Arithmetic intensity (FLOP/B; op/B for INT8)",
            y_label="Attainable rate",
            y_unit="GFLOP/s",
            x_log=True,
            y_log=True,
            description=(
                "GFLOP/s, or GOP/s for INT8. The roof rises with intensity (memory-bound) until the ridge, then is flat at η·peak. The layer is "
                "the vertical mark at its intensity, topped at its attained rate; the dashed line is the peak that "
                "'FLOPs ÷ peak' assumes."
            ),
        ),
    ),
    math=MathPeek(
        equations=(
            r"I = \dfrac{2BKN}{b\,(KN + BK + BN)}",
            r"t = \max\!\left(\dfrac{2BKN}{\eta P},\ \dfrac{b(KN+BK+BN)}{\mathrm{BW}}\right)",
            r"R = P/\mathrm{BW}",
        ),
        substituted=(
            "I = {work_text} ÷ {bytes_text} = {intensity_text}",
            "t = max({work_text} ÷ ({eta} × {peak_text}), {bytes_text} ÷ {bandwidth_text}) "
            "= max({compute_time_text}, {memory_time_text}) = {time}",
            "R = {peak_text} ÷ {bandwidth_text} = {ridge_text} (at η·peak: {ridge_eff_text}) → {regime}",
        ),
        engine=("engine.roofline.gemm_time", "engine.roofline.ridge_point", "engine.roofline.classify_regime"),
        note=(
            "The layer reads X and W and writes Y once. With η < 1 the ridge moves left to η·P/BW, so a slower "
            "kernel turns compute-bound at a lower intensity."
        ),
    ),
    reveal=Reveal(_reveal_a()),
)

# --- Part B: crossover and upgrades --------------------------------------------------------------------------


def crossover_and_upgrades(batch: float, precision: str, eta: float, compute_scale: float, bandwidth_scale: float,
                           home: str) -> dict[str, Any]:
    """Part B model: the crossover batch, time per token, and the speedup of each upgrade at the current batch."""
    ctx = home
    k, n = layer_shape(ctx)
    b = bytes_per_value(precision)
    p, bw = peak(ctx, precision), bandwidth(ctx)
    b_star = layer_crossover(ctx, precision, eta, compute_scale, bandwidth_scale)
    base = layer_time(ctx, batch, precision, eta)
    up = layer_time(ctx, batch, precision, eta, compute_scale, bandwidth_scale)
    s_comp = upgrade_speedup(batch, k, n, b, p, bw, compute_scale=UPGRADE, efficiency=eta)
    s_bw = upgrade_speedup(batch, k, n, b, p, bw, bandwidth_scale=UPGRADE, efficiency=eta)
    s_yours = upgrade_speedup(batch, k, n, b, p, bw, compute_scale, bandwidth_scale, eta)
    r_eff = ridge_point(eta * compute_scale * p, bandwidth_scale * bw)
    if math.isclose(s_comp, s_bw, rel_tol=1e-6):
        better = "either: at the crossover both halve nothing alone"
    else:
        better = "2× bandwidth" if s_bw > s_comp else "2× compute"
    xs = sorted({*BATCH_STEPS, *([b_star] if 1 <= b_star <= BATCH_STEPS[-1] else [])})
    today = [layer_time(ctx, x, precision, eta) for x in xs]
    series = [
        {"name": "roofline time per token", "y": [t.total_s / x for t, x in zip(today, xs)]},
        {"name": "memory time ÷ B (falls as 1/B)", "y": [t.memory_s / x for t, x in zip(today, xs)]},
        {"name": "compute time ÷ B (flat)", "y": [t.compute_s / x for t, x in zip(today, xs)]},
    ]
    if compute_scale != 1 or bandwidth_scale != 1:
        series.append({
            "name": "with your upgrade",
            "y": [layer_time(ctx, x, precision, eta, compute_scale, bandwidth_scale).total_s / x for x in xs],
        })
    return {
        "crossover": _finite(b_star),
        "crossover_text": _crossover_text(b_star),
        "ridge_text": _intensity_text(r_eff, precision, 4),
        "bytes_per_value": b,
        "k": k,
        "n": n,
        "time_per_token": up.total_s / batch,
        "time_per_token_text": _t(up.total_s / batch),
        "time_text": _t(up.total_s, 4),
        "batch_text": _count(batch),
        "regime": _regime_text(up.bound),
        "speedup_compute2": s_comp,
        "speedup_bandwidth2": s_bw,
        "speedup_yours": s_yours,
        "better_upgrade": better,
        "base_time": base.total_s,
        "charts": {"per_token": {"x": xs, "series": series}},
    }


def _reveal_b() -> str:
    c = crossover_and_upgrades(1, "fp16", 1.0, 1.0, 1.0, "cloud")
    others = ", ".join(
        f"{ctx} ({NATIVE[ctx].upper()}) {format_number(layer_crossover(ctx, NATIVE[ctx]), 4 if ctx != 'tiny' else 2)}"
        for ctx in ("edge", "mobile", "tiny")
    )
    t2c = c["base_time"] / c["speedup_compute2"]
    t2b = c["base_time"] / c["speedup_bandwidth2"]
    return (
        f"Set compute time equal to memory time: $B^* = R\\,b\\,KN / (2KN - R\\,b\\,(K+N))$. Cloud: "
        f"{c['ridge_text']} × 2 × {_count(c['k'] * c['n'])} / ({_count(2 * c['k'] * c['n'])} − "
        f"{c['ridge_text'].split()[0]} × 2 × {_count(c['k'] + c['n'])}) = **{format_number(c['crossover'], 4)}** "
        f"(the familiar ≈ 295 appears when B ≪ K, N; here activations add about 10 %). Other homes: {others} — the "
        f"microcontroller is already compute-bound at B = 1.\n\n"
        f"At B = 1 on the cloud: 2× compute → {_t(t2c, 4)}, **{format_value(c['speedup_compute2'] - 1, 'percent', 2)} "
        f"faster**; 2× bandwidth → {_t(t2b, 4)}, **{format_number(c['speedup_bandwidth2'], 2)}× faster**. Beyond "
        f"B*, the reverse: bigger batches are 'free' only until the crossover, and then compute is what you buy."
    )


PART_B = Part(
    id="B",
    title="Deepening: the crossover and the upgrade that matters",
    kind="deepening",
    scenario=Scenario(
        speaker="Aiko Tanaka",
        role="Inference Lead, Ferrow Labs",
        text=(
            "Procurement offers two upgrades for the same price: a part with 2× the compute, or one with 2× the "
            "memory bandwidth. And our batching team says bigger batches are 'free'. Who is right, and when?"
        ),
    ),
    prediction=NumericPrediction(
        prompt="At what batch size does this layer become compute-bound on your home context?",
        unit="tokens",
        min=1,
        max=1e4,
        answer="crossover",
        scale="log",
    ),
    instruments=(
        Select("batch", "Batch (tokens)", BATCH_OPTIONS, default="1", unit="tokens"),
        Select("precision", "Weight/activation precision", PRECISION_OPTIONS, default="fp16", default_from=HOME,
               default_by=dict(NATIVE)),
        Slider("eta", "Achieved fraction of peak", "fraction", 0.05, 1.0, 1.0, step=0.05),
        Slider("compute_scale", "Compute upgrade", "x", 0.5, 4.0, 1.0, steps=SCALE_STEPS,
               help="Multiplies the peak (s); 2× is procurement's compute offer."),
        Slider("bandwidth_scale", "Bandwidth upgrade", "x", 0.5, 4.0, 1.0, steps=SCALE_STEPS,
               help="Multiplies the memory bandwidth (s′); 2× is procurement's bandwidth offer."),
    ),
    compute=crossover_and_upgrades,
    ledger_inputs={"home": HOME},
    outputs=(
        Output("crossover_text", "Crossover batch B*", kind="text"),
        Output("time_per_token_text", "Time per token (time ÷ B)", kind="text"),
        Output("regime", "Regime at this batch", kind="text"),
        Output("speedup_compute2", "2× compute: speedup at this batch", "x", 3),
        Output("speedup_bandwidth2", "2× bandwidth: speedup at this batch", "x", 3),
        Output("better_upgrade", "The upgrade that helps here", kind="text"),
        Output("speedup_yours", "Your upgrade (sliders): speedup", "x", 3),
        Output("crossover", "Crossover batch", "tokens", 4, show=False),
        Output("ridge_text", "Ridge", kind="text", show=False),
        Output("time_per_token", "Time per token", "us", 4, show=False),
        Output("time_text", "Layer time", kind="text", show=False),
        Output("batch_text", "Batch", kind="text", show=False),
        Output("base_time", "Layer time without upgrades", "us", 4, show=False),
    ),
    charts=(
        Chart(
            id="per_token",
            kind="line",
            title="Time per token as the batch grows",
            x_label="Batch (tokens)",
            y_label="Time per token (µs)",
            x_unit="tokens",
            y_unit="us",
            x_log=True,
            y_log=True,
            description=(
                "Memory time per token falls as 1/B while compute time per token is flat; the roofline follows the "
                "larger and the two asymptotes cross at B*. Move an upgrade slider to overlay its curve."
            ),
        ),
    ),
    math=MathPeek(
        equations=(
            r"B^* = \dfrac{R\,b\,KN}{2KN - R\,b\,(K+N)},\quad R = \dfrac{\eta\,s\,P}{s'\,\mathrm{BW}}",
            r"S = \dfrac{t(P,\mathrm{BW})}{t(sP,\ s'\mathrm{BW})}",
        ),
        substituted=(
            "R = {ridge_text}, b = {precision} → B* = {crossover_text}",
            "at B = {batch_text}: t = {time_text}, {time_per_token_text} per token ({regime})",
            "2× compute: {speedup_compute2}; 2× bandwidth: {speedup_bandwidth2}; "
            "yours (s = {compute_scale}, s′ = {bandwidth_scale}): {speedup_yours}",
        ),
        engine=("engine.roofline.crossover_batch", "engine.roofline.upgrade_speedup", "engine.roofline.gemm_time"),
        note="Below B* only bandwidth (or fewer bytes) helps; above it only compute does.",
    ),
    reveal=Reveal(_reveal_b()),
)

# --- Part C: four contexts -----------------------------------------------------------------------------------


def batch1_answer() -> str:
    """Part C's answer: the option key of the context whose native layer is compute-bound at batch 1."""
    bound = [ctx for ctx in CONTEXT_KEYS if layer_time(ctx, 1, NATIVE[ctx]).bound == "compute"]
    return {"cloud": "a", "edge": "b", "mobile": "c", "tiny": "d"}[bound[0]] if len(bound) == 1 else "d"


def four_roofs(batch: float, precision_cloud: str, precision_edge: str, precision_mobile: str,
               precision_tiny: str) -> dict[str, Any]:
    """Part C model: ridge, intensity, regime, time, share of peak and crossover on every context."""
    precs = {"cloud": precision_cloud, "edge": precision_edge, "mobile": precision_mobile, "tiny": precision_tiny}
    out: dict[str, Any] = {}
    kts: dict[str, KernelTime] = {}
    for ctx in CONTEXT_KEYS:
        pr = precs[ctx]
        kt = layer_time(ctx, batch, pr)
        kts[ctx] = kt
        p, bw = peak(ctx, pr), bandwidth(ctx)
        r = ridge_point(p, bw)
        regime = classify_regime(kt.intensity, r)
        b_star = layer_crossover(ctx, pr)
        out[f"ridge_{ctx}"] = r
        out[f"intensity_{ctx}"] = kt.intensity
        out[f"regime_{ctx}"] = regime
        out[f"time_{ctx}"] = kt.total_s
        out[f"pct_{ctx}"] = kt.attained_flop_per_s / p
        out[f"crossover_{ctx}"] = _finite(b_star)
        out[f"row_{ctx}"] = (
            f"{_regime_text(regime)}: I {_intensity_text(kt.intensity, pr)} vs R {_intensity_text(r, pr, 4)}, "
            f"{_t(kt.total_s, 3)}, {format_value(kt.attained_flop_per_s / p, 'percent', 3)} of peak"
        )
    compute_bound = [ctx for ctx in CONTEXT_KEYS if out[f"regime_{ctx}"] == "compute"]
    out["compute_bound"] = ", ".join(compute_bound) if compute_bound else "none"
    out["crossovers"] = " · ".join(
        f"{c} {format_number(out[f'crossover_{c}'], 3 if out[f'crossover_{c}'] >= 1 else 2)}" for c in CONTEXT_KEYS
    )
    out["batch1_answer"] = batch1_answer()
    # chart: four roofs and each layer as a vertical mark in its roof's colour
    intensities = [kts[c].intensity for c in CONTEXT_KEYS]
    ridges = [out[f"ridge_{c}"] for c in CONTEXT_KEYS]
    xs = sorted([*_log_grid(0.1, 1e4), *ridges, *intensities, *intensities])
    roofs = {c: [attainable(x, peak(c, precs[c]), bandwidth(c)) for x in xs] for c in CONTEXT_KEYS}
    floor = min(min(v) for v in roofs.values())
    marks = {}
    used: set[int] = set()
    for c in CONTEXT_KEYS:  # two x slots per layer; equal intensities take consecutive slots
        idx = [i for i, x in enumerate(xs) if x == kts[c].intensity and i not in used][:2]
        used.update(idx)
        y: list[float | None] = [None] * len(xs)
        y[idx[0]], y[idx[1]] = floor, kts[c].attained_flop_per_s
        marks[c] = y
    out["charts"] = {
        "four_roofs": {
            "x": xs,
            "series": [{"name": f"{c} roof", "y": roofs[c]} for c in CONTEXT_KEYS]
            + [{"name": f"{c} layer", "y": marks[c]} for c in CONTEXT_KEYS],
        }
    }
    return out


def _reveal_c() -> str:
    b1 = four_roofs(1, *(NATIVE[c] for c in CONTEXT_KEYS))
    b64 = four_roofs(64, *(NATIVE[c] for c in CONTEXT_KEYS))
    ints = " / ".join(format_number(b1[f"intensity_{c}"], 3) for c in CONTEXT_KEYS)
    rids = " / ".join(format_number(b1[f"ridge_{c}"], 4) for c in CONTEXT_KEYS)
    regs = ", ".join(b1[f"regime_{c}"] for c in CONTEXT_KEYS)
    pct = ", ".join(
        f"{c} {format_value(b64[f'pct_{c}'], 'percent', 3)} ({b64[f'regime_{c}']}-bound)" for c in CONTEXT_KEYS
    )
    return (
        f"**Tiny.** At B = 1 the native layers have intensities {ints} against ridges {rids} (cloud / edge / mobile "
        f"/ tiny) → {regs}. At B = 64: {pct}. The MCU's weak memory is matched by an even weaker core, so its ridge "
        f"sits at 1 op/B: on tiny, cutting operations (INT8 SIMD, smaller layers) is the lever; on the others, "
        f"cutting bytes is."
    )


PART_C = Part(
    id="C",
    title="Cross-context: same question, four answers",
    kind="cross-context",
    scenario=Scenario(
        speaker="Lars Eriksen",
        role="Hardware Architect, Ferrow Labs",
        text=(
            "We also run a tiny wake-word layer on a Cortex-M7 and an INT8 variant on phones. Does the 'memory-bound "
            "at batch 1' rule hold everywhere?"
        ),
    ),
    prediction=ChoicePrediction(
        prompt="At batch 1, on which context is the native layer compute-bound?",
        options=(Option("a", "cloud"), Option("b", "edge"), Option("c", "mobile"), Option("d", "tiny")),
        answer="batch1_answer",
    ),
    instruments=(
        Select("batch", "Batch (all four columns)", BATCH_OPTIONS, default="1", unit="tokens"),
        *(
            Select(f"precision_{c}", f"Precision, {c}", PRECISION_OPTIONS, default=NATIVE[c])
            for c in CONTEXT_KEYS
        ),
    ),
    compute=four_roofs,
    outputs=(
        *(Output(f"row_{c}", CONTEXT_NAME[c], kind="text") for c in CONTEXT_KEYS),
        Output("compute_bound", "Compute-bound at this batch", kind="text"),
        Output("crossovers", "Crossover batch B* per context (tokens)", kind="text"),
        *(Output(f"ridge_{c}", f"{c} ridge", "FLOP/B", 4, show=False) for c in CONTEXT_KEYS),
        *(Output(f"intensity_{c}", f"{c} intensity", "FLOP/B", 3, show=False) for c in CONTEXT_KEYS),
        *(Output(f"regime_{c}", f"{c} regime", kind="text", show=False) for c in CONTEXT_KEYS),
        *(Output(f"time_{c}", f"{c} time", "us", 4, show=False) for c in CONTEXT_KEYS),
        *(Output(f"pct_{c}", f"{c} share of peak", "percent", 3, show=False, bounds=SHARE) for c in CONTEXT_KEYS),
        *(Output(f"crossover_{c}", f"{c} crossover", "tokens", 4, show=False) for c in CONTEXT_KEYS),
        Output("batch1_answer", "Answer key", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="four_roofs",
            kind="line",
            title="Four roofs, four layers",
            x_label="Arithmetic intensity (FLOP/B; op/B for INT8)",
            y_label="Attainable rate",
            y_unit="GFLOP/s",
            x_log=True,
            y_log=True,
            description=(
                "GFLOP/s, or GOP/s for INT8. Each context's roof and, in the same colour, its layer as a vertical mark at its intensity, topped "
                "at its attained rate. A mark left of its roof's knee is memory-bound; on or right of it, compute-bound."
            ),
        ),
    ),
    math=MathPeek(
        equations=(r"\text{regime} = \begin{cases}\text{memory} & I < R\\ \text{compute} & I \ge R\end{cases}",),
        substituted=(
            "B*: {crossovers}",
            "cloud: {row_cloud}",
            "edge: {row_edge}",
            "mobile: {row_mobile}",
            "tiny: {row_tiny}",
        ),
        engine=("engine.roofline.classify_regime", "engine.roofline.gemm_time", "engine.roofline.crossover_batch"),
        note="Each column uses its own layer (LLaMA-7B up-projection; 256 × 256 on tiny) and its own precision.",
    ),
    reveal=Reveal(_reveal_c()),
)

# --- Part D: decode plan -------------------------------------------------------------------------------------


def quantised_row(selected: Any) -> tuple[str, int, str]:
    """(method, bits, label) of the quantised option: v1-10's LLaMA-7B pick when it is a 3/4-bit table row, else
    the preset GPTQ 4-bit g128."""
    if isinstance(selected, Mapping):
        size = str(selected.get("size", selected.get("model", ""))).lower()
        method = str(selected.get("method", "")).lower()
        try:
            bits = int(selected.get("bits", 0))
        except (TypeError, ValueError):
            bits = 0
        if ("7b" in size or size == "llama_7b") and (method, bits) in QUANT_LABEL:
            return method, bits, QUANT_LABEL[(method, bits)]
    if isinstance(selected, str):
        for key, label in QUANT_LABEL.items():
            if selected == label:
                return key[0], key[1], label
    return QUANT_PRESET[0], QUANT_PRESET[1], QUANT_LABEL[QUANT_PRESET]


def decode_model(ctx: str) -> Model:
    """The model each context decodes: LLaMA-7B, or the 4-layer keyword-spotting stack on tiny."""
    return KWS_DENSE_256 if ctx == "tiny" else DECODE_MODEL


def _decode(ctx: str, weights: str, batch: int, context_tokens: float, step_budget: float,
            selected: Any) -> tuple[DecodeStep, str]:
    """One decode step on `ctx` and the format's label. Tiny runs its INT8 keyword-spotting stack instead."""
    env = get_context(ctx)
    m = decode_model(ctx)
    if ctx == "tiny":
        bits = {"fp16": 16, "int8": 8, "quantised": 4}[weights]
        w = weight_bytes(m.params, bits)
        kv = 0.0
        p = peak(ctx, "fp16" if weights == "fp16" else "int8")  # 4-bit weights are unpacked to INT8 for SMLAD
        label = {"fp16": "FP16 stack", "int8": "INT8 stack", "quantised": "4-bit stack (unpacked to INT8)"}[weights]
    else:
        if weights == "fp16":
            w = checkpoint_bytes(m.key, "fp16", 16)
            label = "FP16"
        elif weights == "int8":
            w = weight_bytes(m.params, 8)
            label = "INT8"
        else:
            method, bits, label = quantised_row(selected)
            w = checkpoint_bytes(m.key, method, bits)
        assert w is not None
        assert m.layers is not None and m.kv_heads is not None and m.head_dim is not None
        kv = kv_cache_bytes(m.layers, m.kv_heads, m.head_dim, KV_BITS, context_tokens)
        p = peak(ctx, "int8" if weights == "int8" else "fp16")  # quantised weights are dequantised to FP16
    step = decode_step(batch, w, kv, m.params, p, env.memory_bandwidth_bytes_per_s, env.model_memory_bytes,
                       step_budget)
    return step, label


def _limit(ctx: str, weights: str, batch: int, context_tokens: float, step_budget: float, selected: Any) -> str:
    """What stops this configuration from going faster: compute | bandwidth | capacity | none."""
    step, _ = _decode(ctx, weights, batch, context_tokens, step_budget, selected)
    if not step.feasible:
        return "capacity" if step.total_bytes > step.capacity_bytes else (
            "compute" if step.bound == "compute" else "bandwidth")
    if step.bound == "compute":
        return "compute"
    larger = [b for b in DECODE_BATCHES if b > batch]
    if not larger:
        return "none"
    nxt, _ = _decode(ctx, weights, larger[0], context_tokens, step_budget, selected)
    if nxt.feasible:
        return "none"
    return "capacity" if nxt.total_bytes > nxt.capacity_bytes else ("compute" if nxt.bound == "compute" else "bandwidth")


def best_plan(ctx: str, context_tokens: float, step_budget: float, selected: Any) -> tuple[str, int] | None:
    """The feasible (weights, batch) with the most tokens/s (ties: smaller batch, list order), or None."""
    best: tuple[float, str, int] | None = None
    for o in WEIGHT_OPTIONS:
        for b in DECODE_BATCHES:
            step, _ = _decode(ctx, o.key, b, context_tokens, step_budget, selected)
            if step.feasible and (best is None or step.tokens_per_s > best[0] * (1 + 1e-9)):
                best = (step.tokens_per_s, o.key, b)
    return None if best is None else (best[1], best[2])


def limit_answer(ctx: str, context_tokens: float, step_budget: float, selected: Any) -> str:
    """Part D's answer: the option key of what stops the best configuration (nothing fits → its smallest plan)."""
    plan = best_plan(ctx, context_tokens, step_budget, selected)
    if plan is None:
        smallest = min((o.key for o in WEIGHT_OPTIONS),
                       key=lambda k: _decode(ctx, k, 1, context_tokens, step_budget, selected)[0].total_bytes)
        return LIMIT_OPTION[_limit(ctx, smallest, 1, context_tokens, step_budget, selected)]
    return LIMIT_OPTION[_limit(ctx, plan[0], plan[1], context_tokens, step_budget, selected)]


def _plan_text(ctx: str, weights: str, batch: int, context_tokens: float, step_budget: float, selected: Any) -> str:
    step, label = _decode(ctx, weights, batch, context_tokens, step_budget, selected)
    unit = "frames/s" if ctx == "tiny" else "tokens/s"
    return (f"{label}, B = {batch}: {format_auto(step.total_bytes, 'bytes', 4)}, {format_value(step.step_s, 'ms', 4)}, "
            f"{format_number(step.tokens_per_s, 4)} {unit}")


def _slow_fix(ctx: str, weights: str, batch: int, context_tokens: float, step_budget: float, selected: Any,
              step: DecodeStep) -> str:
    if step.bound == "memory" and weights != "quantised":
        q, _ = _decode(ctx, "quantised", batch, context_tokens, step_budget, selected)
        return f"First fix: 4-bit weights ({format_value(q.step_s, 'ms', 3)})."
    smaller = [b for b in DECODE_BATCHES if b < batch
               and _decode(ctx, weights, b, context_tokens, step_budget, selected)[0].step_s <= step_budget]
    why = "compute-bound, so fewer bytes do not help" if step.bound == "compute" else "weights already quantised"
    if smaller:
        s, _ = _decode(ctx, weights, smaller[-1], context_tokens, step_budget, selected)
        return f"First fix: batch {smaller[-1]} ({format_value(s.step_s, 'ms', 3)}; {why})."
    return f"First fix: a longer budget or a faster device ({why})."


def decode_plan(batch: float, weights: str, context_tokens: float, step_budget: float, home: str,
                selected_model: Any) -> dict[str, Any]:
    """Part D model: memory, step time, tokens/s, intensity and the binding constraint of one decode plan."""
    ctx = home
    bsz = int(round(batch))
    step, label = _decode(ctx, weights, bsz, context_tokens, step_budget, selected_model)
    unit = "frames/s" if ctx == "tiny" else "tokens/s"
    _, _, qlabel = quantised_row(selected_model)
    plan = best_plan(ctx, context_tokens, step_budget, selected_model)
    oom = step.total_bytes > step.capacity_bytes
    slow = step.step_s > step.step_budget_s
    what = f"{ctx}, {label}, batch {bsz}"
    oom_msg = (
        f"Memory {format_auto(step.total_bytes, 'bytes')} > budget {format_auto(step.capacity_bytes, 'bytes')} at "
        f"batch {bsz} ({label}; KV {format_auto(step.kv_bytes, 'bytes')}). First fix: 4-bit weights or fewer "
        f"concurrent sequences."
        if ctx != "tiny"
        else step.message()
    )
    slow_msg = (
        f"Step {format_value(step.step_s, 'ms', 3)} > budget {format_value(step.step_budget_s, 'ms', 3)} ({what}). "
        + _slow_fix(ctx, weights, bsz, context_tokens, step_budget, selected_model, step)
    )
    # chart: tokens/s per batch for each weight format; infeasible bars hatched and labelled
    series = []
    for o in WEIGHT_OPTIONS:
        ys, st, lab = [], [], []
        for b in DECODE_BATCHES:
            s, _ = _decode(ctx, o.key, b, context_tokens, step_budget, selected_model)
            ys.append(s.tokens_per_s)
            st.append("ok" if s.feasible else "fail")
            lab.append("" if s.feasible else ("OOM" if s.total_bytes > s.capacity_bytes else "slow"))
        name = qlabel if o.key == "quantised" and ctx != "tiny" else o.label.split(" (")[0]
        series.append({"name": name, "y": ys, "status": st, "labels": lab})
    return {
        "workload": (
            f"LLaMA-7B, {_count(context_tokens)} tokens per sequence"
            if ctx != "tiny"
            else "4 × 256² INT8 stack per audio frame (no KV cache)"
        ),
        "quantised_row": qlabel if ctx != "tiny" else "on tiny, the stack's weights packed to 4 bit",
        "memory_text": (
            f"{format_auto(step.total_bytes, 'bytes', 4)} of {format_auto(step.capacity_bytes, 'bytes', 3)} "
            f"(weights {format_auto(step.weight_bytes, 'bytes', 4)} + KV {format_auto(step.kv_bytes, 'bytes', 4)})"
        ),
        "total_bytes": step.total_bytes,
        "weight_bytes": step.weight_bytes,
        "kv_bytes": step.kv_bytes,
        "capacity": step.capacity_bytes,
        "step_time": step.step_s,
        "memory_time": step.memory_s,
        "compute_time": step.compute_s,
        "step_budget_used": step.step_budget_s,
        "tokens_per_s": step.tokens_per_s,
        "throughput_text": f"{format_number(step.tokens_per_s, 4)} {unit}",
        "intensity": decode_intensity(decode_model(ctx).params, bsz, step.total_bytes),
        "intensity_text": _intensity_text(decode_intensity(decode_model(ctx).params, bsz, step.total_bytes),
                                          "fp16" if ctx != "tiny" and weights != "int8" else "int8"),
        "regime": _regime_text(step.bound),
        "feasible": "yes" if step.feasible else "no",
        "binding": _limit(ctx, weights, bsz, context_tokens, step_budget, selected_model),
        "best_text": "nothing fits or meets the budget" if plan is None
        else _plan_text(ctx, plan[0], plan[1], context_tokens, step_budget, selected_model),
        "decode_plan": f"weights: {weights}, batch: {bsz}, context_tokens: {int(context_tokens)}",
        "oom": oom,
        "slow": slow,
        "oom_message": oom_msg if oom else "",
        "slow_message": slow_msg if slow else "",
        "limit_answer": limit_answer(ctx, SCENARIO_CONTEXT_TOKENS[ctx], SCENARIO_STEP_BUDGET_MS[ctx] * 1e-3,
                                     selected_model),
        "charts": {"throughput": {"x": [f"B = {b}" for b in DECODE_BATCHES], "series": series}},
    }


def _reveal_d() -> str:
    sel = V110_PRESET
    c = {ctx: (SCENARIO_CONTEXT_TOKENS[ctx], SCENARIO_STEP_BUDGET_MS[ctx] * 1e-3) for ctx in CONTEXT_KEYS}

    def step(ctx: str, w: str, b: int, tokens: float | None = None) -> DecodeStep:
        t, budget = c[ctx]
        return _decode(ctx, w, b, t if tokens is None else tokens, budget, sel)[0]

    def gb(x: float) -> str:
        return format_number(x / 1e9, 4)

    d0 = step("cloud", "fp16", 1)
    q64, q96 = step("cloud", "quantised", 64), step("cloud", "quantised", 96)
    ef1, e4, e8 = step("edge", "fp16", 1), step("edge", "quantised", 4), step("edge", "quantised", 8)
    m2048 = step("mobile", "quantised", 1, 2048.0)
    m1, m2, m4 = step("mobile", "quantised", 1), step("mobile", "quantised", 2), step("mobile", "quantised", 4)
    t1, t64 = step("tiny", "int8", 1), step("tiny", "int8", 64)
    ms = lambda x: format_value(x, "ms", 4)  # noqa: E731
    return (
        f"Default (cloud, FP16, B = 1): {gb(d0.weight_bytes)} + {gb(d0.kv_bytes)} = {gb(d0.total_bytes)} GB; "
        f"{gb(d0.total_bytes)}e9 / {format_auto(d0.total_bytes / d0.memory_s, 'bandwidth', 3)} = {ms(d0.memory_s)}; "
        f"{format_number(d0.tokens_per_s, 3)} tokens/s.\n\n"
        f"**Cloud → (c) capacity.** Engine optimum: 4-bit, B = 64: {gb(q64.weight_bytes)} + {gb(q64.kv_bytes)} = "
        f"{gb(q64.total_bytes)} GB, {ms(q64.step_s)}, **{format_number(q64.tokens_per_s, 4)} tokens/s**; intensity "
        f"2 × {format_number(DECODE_MODEL.params / 1e9, 4)}e9 × 64 / {gb(q64.total_bytes)}e9 = "
        f"{format_number(decode_intensity(DECODE_MODEL.params, 64, q64.total_bytes), 3)} FLOP/B — still memory-bound, "
        f"because KV bytes grow with batch; B = 96 needs {gb(q96.total_bytes)} GB → capacity binds.\n\n"
        f"**Edge → (b) bandwidth.** FP16 misses 50 ms even at B = 1 ({ms(ef1.step_s)}); 4-bit B = 4: "
        f"{gb(e4.total_bytes)} GB, {ms(e4.step_s)}, **{format_number(e4.tokens_per_s, 4)} tokens/s**; B = 8 takes "
        f"{ms(e8.step_s)}.\n\n"
        f"**Mobile (4 GB) → (c) capacity.** At 2,048 tokens even 4-bit B = 1 needs {gb(m2048.total_bytes)} GB, so the "
        f"phone's plan starts at 128 tokens: B = 1 {gb(m1.total_bytes)} GB, {ms(m1.step_s)}, "
        f"{format_number(m1.tokens_per_s, 3)} tokens/s; B = 2 {gb(m2.total_bytes)} GB, {ms(m2.step_s)}, "
        f"**{format_number(m2.tokens_per_s, 3)} tokens/s**; B = 4 needs {gb(m4.total_bytes)} GB.\n\n"
        f"**Tiny → (a) compute.** Its 4 × 256² INT8 stack is {format_number(2 * KWS_DENSE_256.params, 6)} op per "
        f"audio frame: {format_value(t1.compute_s, 'us', 3)} per frame at B = 1 and "
        f"{format_value(t64.compute_s / 64, 'us', 3)} per frame at B = 64 — compute-bound, batching buys nothing."
    )


PART_D = Part(
    id="D",
    title="Design challenge: decode throughput",
    kind="design",
    scenario=Scenario(
        speaker="Aiko Tanaka",
        role="Inference Lead, Ferrow Labs",
        text=(
            "We decode LLaMA-7B with a 2,048-token context for many users at once. Get the most tokens per second "
            "out of one device, but each user must see a token at least every 50 ms (100 ms on phones)."
        ),
    ),
    prediction=ChoicePrediction(
        prompt="What stops your best configuration from going faster?",
        options=(
            Option("a", "compute peak"),
            Option("b", "bandwidth: the per-step latency budget"),
            Option("c", "memory capacity: the KV cache"),
            Option("d", "nothing — batch without limit"),
        ),
        answer="limit_answer",
    ),
    instruments=(
        Select("batch", "Concurrent sequences", DECODE_BATCH_OPTIONS, default="1", unit="count",
               help="B sequences decoded together; each brings its own KV cache."),
        Select("weights", "Weight format", WEIGHT_OPTIONS, default="fp16", default_from=HOME,
               default_by=dict(WEIGHT_DEFAULT),
               help="FP16 12.5 GiB; INT8 1 B per weight; quantised = v1-10's row (preset GPTQ 4-bit g128, 3.6 GiB)."),
        Select("context_tokens", "Context per sequence", CONTEXT_OPTIONS, default="2048", unit="tokens",
               default_from=HOME, default_by={k: str(int(v)) for k, v in SCENARIO_CONTEXT_TOKENS.items()},
               help="Tokens of KV cache each sequence holds (FP16, 524,288 B per token)."),
        Slider("step_budget", "Per-token latency budget", "ms", 10, 500, 50, step=5, default_from=HOME,
               default_by=dict(SCENARIO_STEP_BUDGET_MS),
               help="Every user must see a token at least this often (tiny: one audio frame hop)."),
    ),
    compute=decode_plan,
    ledger_inputs={"home": HOME, "selected_model": V110},
    outputs=(
        Output("workload", "Workload", kind="text"),
        Output("quantised_row", "Quantised option (v1-10)", kind="text"),
        Output("memory_text", "Memory: weights + KV vs budget", kind="text"),
        Output("step_time", "Step time", "ms", 4),
        Output("throughput_text", "Throughput B ÷ step", kind="text"),
        Output("intensity_text", "Intensity 2NB ÷ bytes", kind="text"),
        Output("intensity", "Intensity", "FLOP/B", 3, show=False),
        Output("regime", "Regime", kind="text"),
        Output("feasible", "Meets capacity and latency", kind="text"),
        Output("binding", "What stops this plan going faster", kind="text"),
        Output("best_text", "Best plan at this context and budget", kind="text"),
        Output("decode_plan", "Decode plan", kind="text", show=False),
        Output("tokens_per_s", "Throughput", "tokens/s", 4, show=False),
        Output("total_bytes", "Memory", "GB", 4, show=False),
        Output("weight_bytes", "Weights", "GB", 4, show=False),
        Output("kv_bytes", "KV cache", "GB", 4, show=False),
        Output("capacity", "Memory budget", "GB", 3, show=False),
        Output("memory_time", "Memory time", "ms", 4, show=False),
        Output("compute_time", "Compute time", "ms", 4, show=False),
        Output("step_budget_used", "Step budget", "ms", 3, show=False),
        Output("limit_answer", "Answer key", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="throughput",
            kind="grouped_bar",
            title="Throughput per batch for each weight format",
            x_label="Concurrent sequences B",
            y_label="Throughput",
            y_unit="tokens/s",
            y_log=True,
            description=(
                "Tokens/s (frames/s on tiny). One bar per weight format at each batch. Hatched, outlined bars break a budget: 'OOM' (weights + KV "
                "exceed memory) or 'slow' (step time over the latency budget)."
            ),
        ),
    ),
    failures=(
        FailureState("oom", "Out of memory", when="oom", message="oom_message"),
        FailureState("slow", "Step over the latency budget", when="slow",
                     message="slow_message"),
    ),
    math=MathPeek(
        equations=(
            r"M = W + B\,T\,s_{kv}",
            r"t_\text{step} = \max\!\left(M/\mathrm{BW},\ 2NB/P\right),\quad \text{tokens/s} = B/t_\text{step}",
            r"\text{feasible} \iff M \le M_\text{ctx} \wedge t_\text{step} \le t_\text{budget}",
        ),
        substituted=(
            "M = {memory_text}",
            "t_step = max({memory_time}, {compute_time}) = {step_time} vs budget {step_budget} → {throughput_text}",
            "I = {intensity_text} ({regime}); feasible: {feasible}; binding: {binding}",
        ),
        engine=("engine.roofline.decode_step", "engine.memory.kv_cache_bytes", "engine.roofline.decode_intensity",
                "engine.compression.checkpoint_bytes"),
        note=(
            "KV cache per token = 2 × layers × KV heads × head size × 2 B = 524,288 B for LLaMA-7B. The best plan "
            "searches every weight format and batch for the most tokens/s that fits and meets the budget."
        ),
    ),
    reveal=Reveal(_reveal_d()),
)

# --- the lab -------------------------------------------------------------------------------------------------


def _briefing_table() -> str:
    rows = []
    for ctx in CONTEXT_KEYS:
        pr = NATIVE[ctx]
        p, bw = peak(ctx, pr), bandwidth(ctx)
        rows.append(
            f"| {ctx} | {get_context(ctx).device.name} | {_rate_text(p, pr, 4)} {pr.upper()} | "
            f"{format_auto(bw, 'bandwidth', 4)} | {_intensity_text(ridge_point(p, bw), pr, 4)} |"
        )
    return "| context | device | dense peak (native) | memory bandwidth | ridge = peak/BW |\n|---|---|---|---|---|\n" + (
        "\n".join(rows)
    )


def _self_assessment() -> tuple[tuple[str, str], ...]:
    a = roofline_layer(1, "fp16", 1.0, "cloud")
    return (
        (
            "Layer at B = 1 on the H100: does a 2× faster tensor core help?",
            f"No: {a['compute_time_text']} of compute hides under {a['memory_time_text']} of memory.",
        ),
        (
            "Why is the exact cloud crossover 328 rather than 295?",
            "Activation bytes B(K + N) add ≈ 10 % traffic near B ≈ 300.",
        ),
        (
            "On the Cortex-M7, what halves the layer's time?",
            "Halving operations (or doubling MACs per cycle); bandwidth is not the limit.",
        ),
    )


LAB = Lab(
    id="v1-11",
    title="Which Roof Are You Under?",
    volume=1,
    section="Optimize",
    minutes=50,
    prerequisites=("v1-00", "v1-02", "v1-05", "v1-10"),
    core_question="Is your workload compute-bound or memory-bound — and why does the answer change everything?",
    briefing=Briefing(
        objectives=(
            "Compute a kernel's arithmetic intensity and a device's ridge point, and predict its time from the "
            "roofline instead of from the peak-FLOP headline.",
            "Find the batch size at which a layer crosses from memory-bound to compute-bound, and show which hardware "
            "upgrade helps on each side of the ridge.",
            "Use the regime to choose batch and weight format for LLM decoding, and name the constraint that stops you.",
        ),
        decide="Batch size and weight format for decoding on your home context.",
        body=(
            "**Workload.** One dense layer $Y_{B\\times N} = X_{B\\times K}W_{K\\times N}$. Cloud, edge and mobile run "
            f"LLaMA-7B's MLP up-projection (K = {format_number(LLAMA_7B.hidden or 0, 4)}, "
            f"N = {format_number(LLAMA_7B.ffn_hidden or 0, 5)}; Touvron et al. 2023 / released config); tiny runs a "
            "256 × 256 INT8 layer (**assumption**: a keyword-spotting-sized layer whose 64 kB of weights fit the MCU). "
            "Native precision: FP16 on cloud and edge, INT8 on mobile and tiny. The roofline is an upper bound: "
            "efficiency η = 1 unless you move it.\n\n" + _briefing_table()
        ),
    ),
    parts=(PART_A, PART_B, PART_C, PART_D),
    synthesis=Synthesis(
        takeaways=(
            "Time is the larger of two budgets: FLOPs ÷ peak and bytes ÷ bandwidth. At batch 1 a GPU, an Orin and a "
            "phone NPU all run their layers at under 0.5 % of peak.",
            "The ridge point says which upgrade helps: below it, bandwidth (or fewer bytes: quantisation, fusion, "
            "batching); above it, compute. An MCU sits at ridge ≈ 1, so it is compute-bound where GPUs are "
            "memory-bound.",
            "LLM decode stays memory-bound even with big batches, because every sequence brings its own KV bytes; the "
            "binding constraint becomes capacity (cloud, phone) or latency (edge), not FLOPs.",
        ),
        connections=(
            "v1-02 (iron law), v1-05 (bytes and activations), v1-10 (4-bit weights), v1-13 (step time becomes "
            "service time), v2-09 (IO-aware kernels), v2-10 (KV-cache wall)."
        ),
        self_assessment=_self_assessment(),
    ),
    model_note=(
        "Roofline times are upper bounds: t = max(F/(ηP), D/BW) with each operand read once and the output written "
        "once (no cache reuse, no launch overhead). Peaks are dense: H100 FP16 989.5 TFLOP/s (half the 1,979 sparse "
        "datasheet figure; the spec's 989 gives a ridge of 295.2 FLOP/B, the registry's 989.5 gives 295.4, and the "
        "cloud crossover is 327.8 instead of 327.6), Orin FP16 42.5 TFLOP/s (170 sparse INT8 TOP/s ÷ 2 ÷ 2), the "
        "phone's 35 TOP/s taken as INT8 (its FP16 as half), the STM32H743's 1.92 GOP/s INT8 (480 MHz × 2 MAC × 2 op). "
        "The Cortex-M7 has no FP16 arithmetic, so 'FP16' on tiny stores 2-byte values and computes on the FP32 FPU "
        "(0.96 GFLOP/s). Tiny's layer and 4-layer stack are labelled stand-ins (registry.models.kws_dense_256). "
        "Part D: LLaMA-7B weights are the GPTQ-for-LLaMa README sizes (12.5 GiB FP16, 3.6 GiB GPTQ 4-bit g128; GiB "
        "× 2³⁰), INT8 is the nominal 1 B per parameter (an option the spec does not list, added so tiny can open in "
        "its native format), the KV cache is FP16 (524,288 B per token), quantised weights are dequantised to FP16 "
        "for the matmul, and compute is 2 FLOP per parameter per sequence (attention FLOPs ignored). Changes from "
        "the spec, and why: the phone opens Part D at 128 tokens of context (at 2,048 tokens no single control "
        "clears its out-of-memory state, and its answer (c) is the same); tiny's latency budget is 20 ms, the "
        "frame hop of Hello Edge's 40 ms / 20 ms framing (with 50 ms no control could make tiny miss its budget); "
        "the budget instrument is named step_budget (its value is in seconds inside the engine)."
    ),
    reads=(
        LedgerRead(HOME, "Home context (v1-00)", "cloud", choices=CONTEXT_KEYS),
        LedgerRead(V110, "Model chosen in v1-10", V110_PRESET),
    ),
    writes=(
        LedgerWrite("v1-11.latency_prediction_us", "prediction", "A", "prediction", unit="us"),
        LedgerWrite("v1-11.layer_time_us", "number", "A", "time", unit="us"),
        LedgerWrite("v1-11.ridge_point", "number", "A", "ridge", unit="FLOP/B"),
        LedgerWrite("v1-11.regime_batch1", "number", "A", "regime_key"),
        LedgerWrite("v1-11.crossover_batch", "number", "B", "crossover", unit="tokens"),
        # text "weights: <fp16|int8|quantised>, batch: <B>, context_tokens: <T>": split on ", " then on ": "
        LedgerWrite("v1-11.decode_plan", "decision", "D", "decode_plan", when="change"),
        LedgerWrite("v1-11.decode_tokens_per_s", "number", "D", "tokens_per_s", unit="tokens/s", when="change"),
        LedgerWrite("v1-11.decode_step_ms", "number", "D", "step_time", unit="ms", when="change"),
        LedgerWrite("v1-11.step_budget_ms", "number", "D", "step_budget", unit="ms", when="change"),
        LedgerWrite("v1-11.binding_constraint", "number", "D", "binding", when="change"),
    ),
)
