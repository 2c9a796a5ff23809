"""v1-08 — 112 GB Before the First Activation.

Build lab: itemise the bytes per parameter of mixed-precision Adam (Part A), add the activations of one 4,096-token
sequence with the nonlinearity and attention kernel chosen in v1-05 and v1-06 (Part B), find the largest model each
deployment context can fine-tune, fully or with adapters (Part C), and choose a single-server plan that fits 80 GB
per GPU and price it (Part D). Spec: shared/labs/v1-08.md.

Every number shown comes from the engine: model states from `memory.model_state_bytes` / `adapter_state_bytes`,
activations from `memory.activation_bytes` / `layer_activation_blocks`, sharding from `memory.shard_state_bytes`,
fit and first fix from `memory.check_training_memory`, the largest trainable model from
`memory.max_trainable_params`, run time from `training.run_time` and dollars from `economics.run_cost`. Capacities,
peak rates and the GPU price come from engine.registry. This module chooses the scenario's settings and words the
results.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from engine.economics import RunCost, run_cost
from engine.memory import (
    ModelStates,
    TrainingMemory,
    activation_bytes,
    adapter_state_bytes,
    check_training_memory,
    layer_activation_blocks,
    max_trainable_params,
    model_state_bytes,
    optimizer_moments,
    shard_state_bytes,
)
from engine.registry.hardware import CONTEXT_KEYS, H100_SXM, get_context
from engine.registry.models import ASSISTANT_7B, LLAMA2_7B
from engine.training import run_time, training_flop
from engine.units import format_auto, format_number, format_value, from_base, to_base
from labs.common import failures_per, log_steps
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
NONLIN = "v1-05.nonlinearity"
ATTN = "v1-06.attention_impl"

# --- the scenario's settings ---------------------------------------------------------------------------------
# The seed's round 7.0e9 parameters for the model states, with the Llama-2-7B layer shape (L = 32, h = 4,096,
# a = 32) for the activations (assumption: a 4h GELU MLP; Llama's SwiGLU MLP stores somewhat more).

N_PARAMS = ASSISTANT_7B.params
LAYERS = LLAMA2_7B.layers
HIDDEN = LLAMA2_7B.hidden
HEADS = LLAMA2_7B.heads
assert LAYERS is not None and HIDDEN is not None and HEADS is not None
SEQ_LEN = 4096.0  # Part B/D: one support transcript (scenario)
MICRO_BATCH = 1.0  # Part D: one sequence per GPU per micro-step (scenario; the global batch comes from accumulation)
RUN_TOKENS = 1e9  # Part D: 1 billion fine-tuning tokens (scenario)
SERVER_GPUS = 8  # Part D: one 8×H100 server (scenario)
SERVER_GPU = H100_SXM
ADAPTER_SHARE = 1e-3  # Part B's adapter option and Part C's default: 0.1 % of the parameters trained (assumption)
PRICE_USD_PER_H = float(f"{from_base(SERVER_GPU.rental_usd_per_h or 0.0, 'USD/h'):.6g}")  # 2.50, assumed

# Part A/C model-size sliders. The spec says 1e6–1e12 (A) and 1e6–1e11 (C), but the microcontroller's 1 MiB of SRAM
# holds the training state of at most 65,536 parameters: a tiny-home student could never clear the card. Both
# ranges start at 1e4.
PARAMS_MIN = 1e4
CONTEXT_NAME: Mapping[str, str] = {k: f"{get_context(k).label} ({get_context(k).device.name})" for k in CONTEXT_KEYS}
SHORT_NAME: Mapping[str, str] = {"cloud": "Cloud H100", "edge": "Edge Orin", "mobile": "Phone", "tiny": "MCU"}


def training_capacity(ctx: str) -> float:
    """Writable memory that holds training state on context `ctx` (bytes).

    The context's memory for the model, except where the weights execute in place from flash (tiny): gradients and
    optimizer state must be written every step, so there the capacity is the device's SRAM (1 MiB).
    """
    env = get_context(ctx)
    return env.device.memory_capacity_bytes if env.model_memory_label == "flash" else env.model_memory_bytes


def capacity_label(ctx: str) -> str:
    env = get_context(ctx)
    kind = "SRAM" if env.model_memory_label == "flash" else env.model_memory_label
    return f"{format_auto(training_capacity(ctx), 'bytes')} {kind}"


# --- shared helpers (wording only; every number comes from an engine call) -----------------------------------


def _x(r: float) -> str:
    """A demand / limit factor: 3 significant figures below 1,000, whole units above (106,812)."""
    if r >= 1_000:
        return format_number(r, int(math.floor(math.log10(r))) + 1)
    return format_number(r, 3)


def _count(n: float) -> str:
    """A model size as people say it: 7B, 1.98B, 520K, 65.5K."""
    for div, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"), (1.0, "")):
        if n >= div:
            text = format_number(n / div, 3)
            return (text.rstrip("0").rstrip(".") if "." in text else text) + suffix
    return format_number(n, 3)


def _int(x: float) -> str:
    """A whole count with thousands separators (16,777,216; 65,536)."""
    return f"{round(x):,}"


def _gb(b: float, sig: int = 4) -> str:
    return format_value(b, "GB", sig)


def _pct(f: float, sig: int = 3) -> str:
    return format_value(f, "percent", sig)


def _states(params: float, weight_bits: float = 16, master: bool = True, optimizer: str = "adam",
            state_bits: float = 32, adapters: float = 0.0) -> ModelStates:
    """Full fine-tuning states, or a frozen 16-bit base plus adapters when `adapters` > 0."""
    if adapters > 0:
        return adapter_state_bytes(params, adapters, weight_bits=weight_bits, master_copy=master,
                                   optimizer=optimizer, state_bits=state_bits)
    return model_state_bytes(params, weight_bits, master, optimizer, state_bits)


def _check(st: ModelStates, act: float, capacity: float, gpus: int = 1, stage: int = 0,
           where: str = "") -> TrainingMemory:
    sh = shard_state_bytes(st.weights_bytes, st.gradients_bytes, st.master_bytes + st.optimizer_bytes, gpus, stage)
    return check_training_memory(sh.weights_bytes, sh.gradients_bytes, sh.optimizer_bytes, act, capacity, gpus,
                                 stage, where)


def _activations(seq_len: float = SEQ_LEN, micro_batch: float = MICRO_BATCH, nonlinearity: str = "gelu",
                 attention: str = "fused", checkpointing: str = "none") -> float:
    return activation_bytes(seq_len, micro_batch, HIDDEN, LAYERS, HEADS, nonlinearity, attention, checkpointing)


def _parse_ready(pairs: Mapping[str, Any]) -> str:
    """'gpus: 8, zero_stage: 1, …' — the ledger's text form of a small mapping (keys and values have no , or :)."""
    return ", ".join(f"{k}: {v}" for k, v in pairs.items())


# --- Part A: calibration -------------------------------------------------------------------------------------

WEIGHT_BITS = (Option("16", "16-bit (BF16)", value=16), Option("32", "32-bit (FP32)", value=32))
STATE_BITS = (Option("32", "32-bit (FP32)", value=32), Option("8", "8-bit (block-wise)", value=8))
OPTIMIZERS = (
    Option("sgd", "SGD (no state)"),
    Option("momentum", "SGD + momentum (1 moment)"),
    Option("adam", "Adam (2 moments)"),
)


def model_states(params: float, weight_bits: int, master_copy: bool, optimizer: str, state_bits: int,
                 home: str) -> dict[str, Any]:
    """Part A model: bytes per parameter by component, the model-state total and its share of home memory."""
    st = model_state_bytes(params, weight_bits, master_copy, optimizer, state_bits)
    one_moment = model_state_bytes(params, weight_bits, master_copy, "momentum", state_bits).optimizer_bytes
    k = optimizer_moments(optimizer)
    m1 = one_moment if k >= 1 else 0.0
    m2 = one_moment if k >= 2 else 0.0
    cap = training_capacity(home)
    chk = _check(st, 0.0, cap)
    parts = (st.weights_bytes, st.gradients_bytes, st.master_bytes, m1, m2)
    names = ("weights", "gradients", "FP32 master", "1st moment", "2nd moment")
    return {
        "bpp_weights": st.weights_bytes / params,
        "bpp_gradients": st.gradients_bytes / params,
        "bpp_master": st.master_bytes / params,
        "bpp_moment1": m1 / params,
        "bpp_moment2": m2 / params,
        "bpp_state": one_moment / params,
        "moments": float(k),
        "bytes_per_param": st.total_bytes / params,
        "states_total": st.total_bytes,
        "states_gib": st.total_bytes,
        "weights_total": st.weights_bytes,
        "gradients_total": st.gradients_bytes,
        "master_total": st.master_bytes,
        "moments_total": st.optimizer_bytes,
        "optimizer_share": (st.master_bytes + st.optimizer_bytes) / st.total_bytes,
        "home_share": chk.ratio,
        "capacity": cap,
        "home_label": f"{capacity_label(home)} ({home})",
        "fits": chk.fits,
        "message": chk.message(),
        "charts": {
            "components": {
                "x": ["total", *names],
                "series": [
                    {
                        "name": "model states",
                        "y": [st.total_bytes, *parts],
                        "status": ["ok" if chk.fits else "fail"] + ["ok"] * len(parts),
                    }
                ],
                "lines": [{"y": cap, "label": f"{home}: {format_auto(cap, 'bytes')}"}],
            }
        },
    }


def _reveal_a() -> str:
    st = model_state_bytes(N_PARAMS)
    per = {n: b / N_PARAMS for n, b in (("w", st.weights_bytes), ("g", st.gradients_bytes), ("m", st.master_bytes))}
    moment = model_state_bytes(N_PARAMS, optimizer="momentum").optimizer_bytes
    homes = ", ".join(
        f"{k} {_x(st.total_bytes / training_capacity(k))}×" for k in CONTEXT_KEYS
    )
    return (
        f"Per parameter: {per['w']:g} (bf16 weights) + {per['g']:g} (bf16 gradients) + {per['m']:g} (fp32 master) + "
        f"{moment / N_PARAMS:g} (first moment) + {moment / N_PARAMS:g} (second moment) = "
        f"**{st.total_bytes / N_PARAMS:g} B**. For {format_number(N_PARAMS, 2)} parameters that is "
        f"**{_gb(st.total_bytes)}** ({format_value(st.total_bytes, 'GiB', 4)}): weights "
        f"{_gb(st.weights_bytes, 3)}, gradients {_gb(st.gradients_bytes, 3)}, master {_gb(st.master_bytes, 3)}, "
        f"moments {_gb(moment, 3)} + {_gb(moment, 3)}.\n\n"
        f"The {_gb(st.weights_bytes, 2)} of bf16 weights Yara counted are "
        f"{_pct(st.weights_bytes / st.total_bytes, 3)} of the bill: optimizer-related state (master copy "
        f"plus moments) is {format_number((st.master_bytes + st.optimizer_bytes) / N_PARAMS, 2)} of "
        f"{format_number(st.total_bytes / N_PARAMS, 2)} B = "
        f"**{_pct((st.master_bytes + st.optimizer_bytes) / st.total_bytes, 2)}**. Against each home's memory: "
        f"{homes}. Before a single activation is stored, one 80 GB GPU is already short."
    )


PART_A = Part(
    id="A",
    title="Calibration: the model-state bill",
    kind="calibration",
    scenario=Scenario(
        speaker="Yara Nascimento",
        role="research lead at Corvid Labs",
        text=(
            "We want to fully fine-tune a 7B model on our support transcripts. The weights are 14 GB in bf16 and an "
            "H100 has 80 GB, so one GPU should be plenty with room to spare. Before I book the machine — how much "
            "memory does training need before a single activation is stored?"
        ),
    ),
    prediction=NumericPrediction(
        prompt="How much memory does training need before a single activation is stored?",
        unit="GB",
        min=1,
        max=1000,
        answer="states_total",
        scale="log",
    ),
    instruments=(
        Slider("params", "Parameters", "parameters", PARAMS_MIN, 1e12, N_PARAMS, steps=log_steps(PARAMS_MIN, 1e12),
               help="Parameters N being trained."),
        Select("weight_bits", "Weight/gradient format", WEIGHT_BITS, default="16", unit="bit",
               help="Bits per stored weight and per gradient."),
        Toggle("master_copy", "FP32 master weights", default=True,
               help="Mixed precision keeps an FP32 copy of the weights for the update."),
        Select("optimizer", "Optimizer", OPTIMIZERS, default="adam", help="Moments kept per parameter: 0, 1 or 2."),
        Select("state_bits", "Optimizer-state format", STATE_BITS, default="32", unit="bit",
               help="Bits per stored moment."),
    ),
    compute=model_states,
    ledger_inputs={"home": HOME},
    outputs=(
        Output("bpp_weights", "Weights", "B", 3),
        Output("bpp_gradients", "Gradients", "B", 3),
        Output("bpp_master", "FP32 master copy", "B", 3),
        Output("bpp_moment1", "First moment", "B", 3),
        Output("bpp_moment2", "Second moment", "B", 3),
        Output("bytes_per_param", "Bytes per parameter", "B", 3),
        Output("states_total", "Model states", "GB", 4),
        Output("states_gib", "Model states (binary units)", "GiB", 4),
        Output("optimizer_share", "Optimizer-related (master + moments)", "percent", 3, bounds=SHARE),
        Output("home_label", "Home memory", kind="text"),
        Output("home_share", "Share of home memory", "percent", 3),
        Output("bpp_state", "Bytes per moment", "B", 3, show=False),
        Output("moments", "Moments k", "count", 1, show=False),
        Output("weights_total", "Weights", "GB", 3, show=False),
        Output("gradients_total", "Gradients", "GB", 3, show=False),
        Output("master_total", "Master copy", "GB", 3, show=False),
        Output("moments_total", "Moments", "GB", 3, show=False),
        Output("capacity", "Home memory", "GB", 3, show=False),
    ),
    charts=(
        Chart(
            id="components",
            kind="bar",
            title="Model states by component, against your home memory",
            x_label="Component",
            y_label="Memory",
            y_unit="GB",
            description="The total and one bar per component and the total; the dashed line is your home context's memory.",
        ),
    ),
    failures=(
        FailureState("states_oom", "Over your home memory", when="not fits", message="message"),
    ),
    math=MathPeek(
        equations=(
            r"M_\text{states} = N\left(b_w + b_g + b_\text{master} + k\,b_s\right)",
            r"k = 2\ \text{(Adam)},\quad 1\ \text{(momentum)},\quad 0\ \text{(SGD)}",
        ),
        substituted=(
            "M = {params} × ({bpp_weights} + {bpp_gradients} + {bpp_master} + {moments} × {bpp_state}) "
            "= {params} × {bytes_per_param} = {states_total}",
            "= {weights_total} + {gradients_total} + {master_total} + {moments_total}",
            "{states_total} ÷ {capacity} = {home_share} of home memory",
        ),
        engine=("engine.memory.model_state_bytes", "engine.memory.check_training_memory"),
        note=(
            "Bytes per parameter are b/8 for each stored copy. Your home memory is the memory the training state "
            "must live in: HBM on the cloud GPU, LPDDR5 on the edge module, the phone's 4 GB app budget, and on the "
            "microcontroller its 1 MiB of SRAM (its flash is read-only during training)."
        ),
    ),
    reveal=Reveal(_reveal_a()),
)

# --- Part B: now add the activations -------------------------------------------------------------------------

NONLIN_OPTIONS = (
    Option("gelu", "GELU-class (GELU/SiLU)"),
    Option("relu", "ReLU"),
    Option("sigmoid", "sigmoid"),
)
ATTN_OPTIONS = (Option("fused", "fused (FlashAttention-style)"), Option("naive", "naive (scores materialised)"))
CKPT_OPTIONS = (Option("none", "none"), Option("full", "full (recompute each layer)"))
STATES_OPTIONS = (
    Option("full", "Full Adam, 16 B/param"),
    Option("adapters", f"Adapters, {format_value(ADAPTER_SHARE, 'percent', 1)} trained"),
)
SEQ_STEPS = tuple(float(512 * 2**i) for i in range(7))  # 512 … 32,768 tokens
BATCH_STEPS = tuple(float(2**i) for i in range(7))  # 1 … 64 sequences
# Doubling ladders as drop-downs, so the page shows 4,096 tokens exactly (a log slider's label has 3 significant
# figures: "4,100 tokens").
SEQ_OPTIONS = tuple(Option(f"{v:.0f}", f"{_int(v)} tokens", value=v) for v in SEQ_STEPS)
BATCH_OPTIONS = tuple(Option(f"{v:.0f}", f"{_int(v)} sequence{'s' if v > 1 else ''}", value=v) for v in BATCH_STEPS)
# Part B's memory to fit in opens on the home context; on the phone and the microcontroller even one sequence's
# activations (18.25 GB) exceed the device, so no single control could clear the card: those homes open on the
# cloud GPU and can switch to their own device.
FIT_OPTIONS = tuple(Option(k, f"{k}: {capacity_label(k)}", detail=get_context(k).device.name) for k in CONTEXT_KEYS)
FIT_DEFAULT: Mapping[str, str] = {"cloud": "cloud", "edge": "edge", "mobile": "cloud", "tiny": "cloud"}


def with_activations(seq_len: float, micro_batch: float, checkpointing: str, nonlinearity: str, attention_impl: str,
                     fit_on: str, states: str) -> dict[str, Any]:
    """Part B model: per-layer activation blocks, total activations, and states + activations against memory."""
    blocks = layer_activation_blocks(seq_len, micro_batch, HIDDEN, HEADS, nonlinearity, attention_impl)
    act = _activations(seq_len, micro_batch, nonlinearity, attention_impl, checkpointing)
    st = _states(N_PARAMS, adapters=ADAPTER_SHARE if states == "adapters" else 0.0)
    cap = training_capacity(fit_on)
    chk = _check(st, act, cap)
    sbh = seq_len * micro_batch * HIDDEN
    no_ckpt = _activations(seq_len, micro_batch, nonlinearity, attention_impl, "none")
    sweep = [_activations(s, micro_batch, nonlinearity, attention_impl, checkpointing) for s in SEQ_STEPS]
    return {
        "attention_block": blocks.attention_bytes,
        "mlp_block": blocks.mlp_bytes,
        "layernorm_block": blocks.layernorm_bytes,
        "scores_block": blocks.scores_bytes,
        "per_layer": blocks.total_bytes,
        "activations": act,
        "states": st.total_bytes,
        "total": chk.total_bytes,
        "capacity": cap,
        "fit_label": f"{capacity_label(fit_on)} ({fit_on})",
        "activation_share": act / chk.total_bytes,
        "ratio": chk.ratio,
        "checkpoint_saving": no_ckpt - act,
        "sbh": _int(sbh),
        "s_text": _int(seq_len),
        "b_text": _int(micro_batch),
        "h_text": _int(HIDDEN),
        "layers": _int(LAYERS),
        "ckpt_text": "no recompute" if checkpointing == "none" else "full recompute",
        "coefficient": (blocks.attention_bytes + blocks.mlp_bytes + blocks.layernorm_bytes) / sbh,
        "scores_term": blocks.scores_bytes / sbh,
        "states_fit": chk.states_fit,
        "fits": chk.fits,
        "message": chk.message(),
        "charts": {
            "memory_vs_seq": {
                "x": list(SEQ_STEPS),
                "series": [
                    {"name": "model states", "y": [st.total_bytes] * len(SEQ_STEPS)},
                    {"name": "activations", "y": sweep},
                    {"name": "states + activations", "y": [st.total_bytes + a for a in sweep]},
                ],
                "lines": [{"y": cap, "label": f"{fit_on}: {format_auto(cap, 'bytes')}"}],
            }
        },
    }


def _reveal_b() -> str:
    s, h, L, a = SEQ_LEN, HIDDEN, LAYERS, HEADS
    sbh = s * MICRO_BATCH * h
    gelu = _activations()
    relu = _activations(nonlinearity="relu")
    naive = _activations(attention="naive")
    full = _activations(checkpointing="full")
    blocks = layer_activation_blocks(s, MICRO_BATCH, h, a)
    states = model_state_bytes(N_PARAMS).total_bytes
    scores = layer_activation_blocks(s, MICRO_BATCH, h, a, attention="naive").scores_bytes * L
    return (
        f"s·b·h = {_int(s)} × {MICRO_BATCH:g} × {_int(h)} = {_int(sbh)}; per layer "
        f"{format_number(blocks.total_bytes / sbh, 2)} × {_int(sbh)} = "
        f"{_int(blocks.total_bytes)} B; × {L:g} layers = **{_gb(gelu)}**. Total "
        f"{_gb(states)} + {_gb(gelu)} = **{_gb(states + gelu, 5)}**: the activations are "
        f"{_pct(gelu / (states + gelu), 2)} of it, so the model states, not the activations, break the 80 GB GPU.\n\n"
        f"If v1-05 chose ReLU or sigmoid: 26 × s·b·h × {L:g} = {_gb(relu)} (the GELU input, 8·sbh, is no longer "
        f"kept; the mask is rebuilt from the stored output). If v1-06 chose naive attention: + 5 × {a:g} × "
        f"{format_number(s, 4)}² × {L:g} = {_gb(scores)} → {_gb(naive, 5)} of activations. Full checkpointing "
        f"keeps only each layer's input plus one live layer: {L:g} × 2·sbh + 34·sbh = {_gb(full, 3)}, at +33 % "
        f"compute (one extra forward pass)."
    )


PART_B = Part(
    id="B",
    title="Deepening: now add the activations",
    kind="deepening",
    scenario=Scenario(
        speaker="Arjun Malhotra",
        role="Corvid's training engineer",
        text=(
            "Fine, 112 GB. But our transcripts are 4,096 tokens long. How much do the activations add for a single "
            "sequence, given the nonlinearity and attention kernel we picked in the earlier labs?"
        ),
    ),
    prediction=NumericPrediction(
        prompt="Activation memory for one 4,096-token sequence, no checkpointing.",
        unit="GB",
        min=0.1,
        max=1000,
        answer="activations",
        scale="log",
    ),
    instruments=(
        Select("seq_len", "Sequence length", SEQ_OPTIONS, default=f"{SEQ_LEN:.0f}", unit="tokens",
               help="Tokens s per sequence (512 to 32,768, doubling)."),
        Select("micro_batch", "Micro-batch", BATCH_OPTIONS, default=f"{MICRO_BATCH:.0f}", unit="count",
               help="Sequences b processed together on one GPU (1 to 64, doubling)."),
        Select("checkpointing", "Activation checkpointing", CKPT_OPTIONS, default="none",
               help="Full: keep each layer's input and recompute the rest in the backward pass."),
        Select("nonlinearity", "MLP nonlinearity (from v1-05)", NONLIN_OPTIONS, default="gelu", default_from=NONLIN,
               help="GELU-class keeps its input for the backward pass; ReLU and sigmoid do not."),
        Select("attention_impl", "Attention kernel (from v1-06)", ATTN_OPTIONS, default="fused", default_from=ATTN,
               help="Naive attention stores the a·s² score matrices; fused kernels recompute them."),
        Select("fit_on", "Memory to fit in", FIT_OPTIONS, default="cloud", default_from=HOME,
               default_by=dict(FIT_DEFAULT),
               help="Your home context (the cloud GPU when home is the phone or the microcontroller)."),
        Select("states", "Model states", STATES_OPTIONS, default="full",
               help="The 112 GB of Part A, or a frozen base with 0.1 % of the parameters trained (Part C)."),
    ),
    compute=with_activations,
    ledger_inputs={},
    outputs=(
        Output("attention_block", "Attention block, per layer (11·sbh)", "MB", 4),
        Output("mlp_block", "MLP block, per layer (19 or 11·sbh)", "MB", 4),
        Output("layernorm_block", "LayerNorms, per layer (4·sbh)", "MB", 4),
        Output("scores_block", "Attention scores, per layer (5·a·s²·b)", "MB", 4),
        Output("per_layer", "Per layer, without checkpointing", "MB", 4),
        Output("activations", "Activations (all layers)", "GB", 4),
        Output("states", "Model states", "GB", 4),
        Output("total", "States + activations", "GB", 5),
        Output("fit_label", "Memory to fit in", kind="text"),
        Output("ratio", "Demand ÷ memory", "x", 3),
        Output("activation_share", "Activations' share of the total", "percent", 3, bounds=SHARE),
        Output("sbh", "s·b·h", kind="text", show=False),
        Output("s_text", "Sequence length s", kind="text", show=False),
        Output("b_text", "Micro-batch b", kind="text", show=False),
        Output("h_text", "Hidden width h", kind="text", show=False),
        Output("layers", "Layers L", kind="text", show=False),
        Output("ckpt_text", "Checkpointing", kind="text", show=False),
        Output("coefficient", "Coefficient c", "count", 2, show=False),
        Output("scores_term", "Score term 5as/h", "count", 3, show=False),
        Output("capacity", "Memory", "GB", 3, show=False),
        Output("checkpoint_saving", "Saved by checkpointing", "GB", 4, show=False),
    ),
    charts=(
        Chart(
            id="memory_vs_seq",
            kind="line",
            title="Model states and activations as the sequence grows",
            x_label="Sequence length (tokens)",
            y_label="Memory",
            x_unit="tokens",
            y_unit="GB",
            x_log=True,
            y_log=True,
            description="States stay flat; activations grow with s (s² with naive attention); dashed: the memory.",
        ),
    ),
    failures=(
        FailureState("states_oom", "The model states do not fit", when="not states_fit", message="message"),
        FailureState(
            id="activations_oom",
            title="The activations push it over",
            when=lambda r: bool(r["states_fit"]) and not r["fits"],
            message="message",
        ),
    ),
    math=MathPeek(
        equations=(
            r"A_\text{layer} = s\,b\,h\left(c + \frac{5\,a\,s}{h}\right),\quad c = 34\ \text{(GELU-class)},\ "
            r"26\ \text{(ReLU/sigmoid)}",
            r"A = L\,A_\text{layer}\ \text{(no recompute)},\qquad A = 2\,s\,b\,h\,L + c\,s\,b\,h\ \text{(full recompute)}",
            r"M = M_\text{states} + A",
        ),
        substituted=(
            "s·b·h = {s_text} × {b_text} × {h_text} = {sbh}",
            "A_layer = {sbh} × ({coefficient} + {scores_term}) = {per_layer}",
            "A = {activations} ({layers} layers, {ckpt_text})",
            "M = {states} + {activations} = {total}; ÷ {capacity} = {ratio}",
        ),
        engine=(
            "engine.memory.activation_bytes",
            "engine.memory.layer_activation_blocks",
            "engine.memory.check_training_memory",
        ),
        note=(
            "16-bit activations, Korthikanti et al.'s count: the 5as/h term is the score matrices and is 0 with a "
            "fused kernel. Full recompute keeps each layer's 2·sbh input plus one live layer."
        ),
    ),
    reveal=Reveal(_reveal_b()),
)

# --- Part C: who can train what? -----------------------------------------------------------------------------

MODE_OPTIONS = (
    Option("full", "Full Adam (16 B/param)"),
    Option("adapters", "Adapters (2 B/param frozen + 16 B per trainable)"),
)


def _fix_text(ctx: str, mode: str, max_adapters: float) -> str:
    if mode == "full":
        where = "or shard the states across GPUs (Part D)" if ctx == "cloud" else "or train in the cloud"
        return f"adapters on a ≤ {_count(max_adapters)} model, {where}"
    where = "or shard across GPUs" if ctx == "cloud" else "or train in the cloud"
    return f"a ≤ {_count(max_adapters)} model or a smaller adapter share, {where}"


def who_can_train(mode: str, trainable_fraction: float, target_params: float) -> dict[str, Any]:
    """Part C model: the largest model each context can fine-tune (full / adapters), and the chosen model checked."""
    need = _states(target_params, adapters=trainable_fraction if mode == "adapters" else 0.0).total_bytes
    beta_full = model_state_bytes(1.0).total_bytes
    beta_adapters = adapter_state_bytes(1.0, trainable_fraction).total_bytes
    out: dict[str, Any] = {"beta_full": beta_full, "beta_adapters": beta_adapters, "need": need}
    fulls, adapts, status = [], [], []
    for ctx in CONTEXT_KEYS:
        cap = training_capacity(ctx)
        mf = max_trainable_params(cap, "full")
        ma = max_trainable_params(cap, "adapters", trainable_fraction)
        limit = mf if mode == "full" else ma
        fits = target_params <= limit
        out[f"cap_{ctx}"] = capacity_label(ctx)
        out[f"maxf_{ctx}"] = _int(mf) if mf < 1e6 else format_number(mf, 3)
        out[f"maxa_{ctx}"] = _int(ma) if ma < 1e6 else format_number(ma, 3)
        out[f"max_full_{ctx}"] = mf
        out[f"max_adapters_{ctx}"] = ma
        out[f"fits_{ctx}"] = fits
        out[f"row_{ctx}"] = (
            f"≤ {_count(mf)} full, ≤ {_count(ma)} adapters; {_count(target_params)} "
            + ("fits" if fits else f"is {_x(need / cap)}× over")
        )
        mode_text = "full fine-tune" if mode == "full" else f"with {format_value(trainable_fraction, 'percent', 2)} adapters"
        out[f"message_{ctx}"] = (
            ""
            if fits
            else f"{_count(target_params)} {mode_text} needs {format_auto(need, 'bytes')} > "
            f"{capacity_label(ctx)} ({_x(need / cap)}×). First fix: {_fix_text(ctx, mode, ma)}."
        )
        fulls.append(mf)
        adapts.append(ma)
        status.append("ok" if fits else "fail")
    out["verdict"] = (
        f"{sum(out[f'fits_{c}'] for c in CONTEXT_KEYS)} of {len(CONTEXT_KEYS)} contexts can fine-tune "
        f"{_count(target_params)} ({'full Adam' if mode == 'full' else 'adapters'}), activations excluded"
    )
    out["charts"] = {
        "max_params": {
            "x": [SHORT_NAME[c] for c in CONTEXT_KEYS],
            "series": [
                {"name": "full Adam", "y": fulls, "status": status if mode == "full" else ["ok"] * len(status)},
                {"name": "adapters", "y": adapts, "status": status if mode == "adapters" else ["ok"] * len(status)},
            ],
            "lines": [{"y": target_params, "label": f"your model: {_count(target_params)}"}],
        }
    }
    return out


def _reveal_c() -> str:
    full = {c: max_trainable_params(training_capacity(c), "full") for c in CONTEXT_KEYS}
    ad = {c: max_trainable_params(training_capacity(c), "adapters", ADAPTER_SHARE) for c in CONTEXT_KEYS}
    beta = adapter_state_bytes(1.0, ADAPTER_SHARE).total_bytes
    f_rows = "; ".join(
        f"{c} {capacity_label(c)} / 16 = "
        + (f"**{format_number(full[c], 2)}**" if c == "mobile" else format_number(full[c], 2) if full[c] >= 1e6
           else _int(full[c]))
        for c in CONTEXT_KEYS
    )
    a_rows = ", ".join(f"{c} {format_number(ad[c], 3) if ad[c] >= 1e6 else _int(ad[c])}" for c in CONTEXT_KEYS)
    return (
        f"Full fine-tuning at 16 B per parameter: {f_rows} (1,048,576 B of SRAM). Adapters at {format_value(ADAPTER_SHARE, 'percent', 1)} "
        f"(2 + 0.016 = {format_number(beta, 4)} B per base parameter): {a_rows}.\n\n"
        f"Not even the cloud GPU can fully fine-tune 7B alone ({format_number(full['cloud'], 2)} is its ceiling, "
        f"before activations). Adapters buy {format_number(ad['cloud'] / full['cloud'], 2)}× in model size everywhere, "
        f"not 1,000×, because the frozen base still costs 2 B per parameter: "
        f"\"personalised fine-tuning everywhere\" means adapters on ≤ {_count(ad['mobile'])} models on the phone and "
        f"a ≤ {_count(ad['tiny'])}-parameter model on the microcontroller."
    )


PART_C = Part(
    id="C",
    title="Cross-context: who can train what?",
    kind="cross-context",
    scenario=Scenario(
        speaker="Yara Nascimento",
        role="research lead at Corvid Labs",
        text=(
            "Product wants 'personalised fine-tuning everywhere': cloud, the Orin box, the phone, even the MCU. Give "
            "me the largest model each can fully fine-tune with Adam — and with adapters instead."
        ),
    ),
    prediction=NumericPrediction(
        prompt="Largest model the phone (4 GB budget) can fully fine-tune with Adam, before activations.",
        unit="parameters",
        min=1e3,
        max=1e11,
        answer="max_full_mobile",
        scale="log",
    ),
    instruments=(
        Select("mode", "Training mode", MODE_OPTIONS, default="full"),
        Slider("trainable_fraction", "Adapter share of parameters", "percent", 0.01, 10.0, 0.1,
               steps=log_steps(0.01, 10.0), help="Trainable adapter parameters as a share f of the base model."),
        Slider("target_params", "Model to check against each context", "parameters", PARAMS_MIN, 1e11, N_PARAMS,
               steps=log_steps(PARAMS_MIN, 1e11), help="The model size each context is checked against."),
    ),
    compute=who_can_train,
    outputs=(
        *(Output(f"row_{c}", CONTEXT_NAME[c], kind="text") for c in CONTEXT_KEYS),
        Output("verdict", "Verdict", kind="text"),
        Output("beta_adapters", "Adapter bytes per base parameter", "B", 4),
        *(Output(f"max_full_{c}", f"{c}: largest full fine-tune", "parameters", 3, show=False) for c in CONTEXT_KEYS),
        *(Output(f"max_adapters_{c}", f"{c}: largest with adapters", "parameters", 3, show=False)
          for c in CONTEXT_KEYS),
        *(Output(f"cap_{c}", f"{c}: training memory", kind="text", show=False) for c in CONTEXT_KEYS),
        *(Output(f"maxf_{c}", f"{c}: largest full fine-tune", kind="text", show=False) for c in CONTEXT_KEYS),
        *(Output(f"maxa_{c}", f"{c}: largest with adapters", kind="text", show=False) for c in CONTEXT_KEYS),
        Output("beta_full", "Full fine-tune bytes per parameter", "B", 3, show=False),
        Output("need", "States of the chosen model", "GB", 3, show=False),
    ),
    charts=(
        Chart(
            id="max_params",
            kind="grouped_bar",
            title="Largest model each context can fine-tune (activations excluded)",
            x_label="Context",
            y_label="Largest model",
            y_unit="parameters",
            y_log=True,
            description="Full-Adam and adapter ceilings per context; dashed: your model; hatched: it does not fit.",
        ),
    ),
    failures=failures_per(
        CONTEXT_KEYS,
        id="fails_{key}",
        title=lambda ctx: f"{CONTEXT_NAME[ctx]} cannot fine-tune this model",
        when="not fits_{key}",
        message="message_{key}",
    ),
    math=MathPeek(
        equations=(
            r"N_\text{max} = \frac{C}{\beta}",
            r"\beta = 16\ \text{B (full Adam)},\qquad \beta = 2 + 16 f\ \text{B (adapters)}",
        ),
        substituted=(
            "β = {beta_full} (full); 2 + 16 × {trainable_fraction} = {beta_adapters} (adapters)",
            "cloud: {cap_cloud} ÷ β = {maxf_cloud} full, {maxa_cloud} with adapters",
            "edge: {cap_edge} ÷ β = {maxf_edge} full, {maxa_edge} with adapters",
            "mobile: {cap_mobile} ÷ β = {maxf_mobile} full, {maxa_mobile} with adapters",
            "tiny: {cap_tiny} ÷ β = {maxf_tiny} full, {maxa_tiny} with adapters",
        ),
        engine=("engine.memory.max_trainable_params", "engine.memory.adapter_state_bytes"),
        note="Activations are excluded here (Part B adds them); the frozen base is stored in 16 bits.",
    ),
    reveal=Reveal(_reveal_c()),
)

# --- Part D: one server, one plan ----------------------------------------------------------------------------

ADAPTER_OPTIONS = (
    Option("off", "off (full fine-tune)", value=0.0),
    *(Option(f"{f:g}", f"{format_value(f, 'percent', 1)} of parameters", value=f) for f in (1e-4, 1e-3, 1e-2, 1e-1)),
)
BASELINE: Mapping[str, Any] = {"gpus": SERVER_GPUS, "zero_stage": 0, "state_bits": 32, "checkpointing": "none",
                               "adapters": 0.0}
SINGLE_CHANGES: Mapping[str, tuple[str, Mapping[str, Any]]] = {
    "a": ("(a) recompute", {"checkpointing": "full"}),
    "b": ("(b) 8-bit states", {"state_bits": 8}),
    "c": ("(c) ZeRO-1", {"zero_stage": 1}),
}
MORE_PLANS: Mapping[str, tuple[str, Mapping[str, Any]]] = {
    "z2": ("ZeRO-2", {"zero_stage": 2}),
    "z3": ("ZeRO-3", {"zero_stage": 3}),
}


def _plan_memory(gpus: int, zero_stage: int, state_bits: int, checkpointing: str, adapters: float,
                 nonlinearity: str) -> TrainingMemory:
    st = _states(N_PARAMS, state_bits=state_bits, adapters=adapters)
    act = _activations(nonlinearity=nonlinearity, checkpointing=checkpointing)
    return _check(st, act, SERVER_GPU.memory_capacity_bytes, int(gpus), int(zero_stage), " per GPU")


def _plan_cost(gpus: int, checkpointing: str, mfu: float, price_usd_per_h: float) -> tuple[float, float, RunCost]:
    """(run time s, compute multiplier, cost record) of the 1e9-token run."""
    rt = run_time(N_PARAMS, RUN_TOKENS, int(gpus), SERVER_GPU.peak_fp16_dense_flop_per_s or 0.0, mfu,
                  full_recompute=checkpointing == "full")
    return rt.total_s, rt.total_s / rt.compute_s, run_cost(rt.total_s, int(gpus), price_usd_per_h)


def single_change_answer(nonlinearity: str) -> str:
    """Part D's answer: the first single change from plain data parallel on 8 GPUs that makes each GPU fit, or d."""
    for key, (_, change) in SINGLE_CHANGES.items():
        if _plan_memory(**{**BASELINE, **change}, nonlinearity=nonlinearity).fits:
            return key
    return "d"


def server_plan(gpus: float, zero_stage: float, state_bits: int, checkpointing: str, adapters: float, mfu: float,
                gpu_usd_per_h: float, nonlinearity: str) -> dict[str, Any]:
    """Part D model: per-GPU memory of the plan, communication, compute multiplier, run time and cost."""
    g, stage = int(gpus), int(zero_stage)
    price = from_base(gpu_usd_per_h, "USD/h")
    mem = _plan_memory(g, stage, state_bits, checkpointing, adapters, nonlinearity)
    sh = shard_state_bytes(mem.weights_bytes, mem.gradients_bytes, mem.optimizer_bytes, 1, 0)
    comm = shard_state_bytes(1.0, 1.0, 1.0, g, stage).communication_x
    t, mult, cost = _plan_cost(g, checkpointing, mfu, price)
    plan = {"gpus": g, "zero_stage": stage, "state_bits": int(state_bits), "checkpointing": checkpointing,
            "adapters": "off" if adapters == 0 else f"{adapters:g}"}
    xs, states_y, total_y, status, labels = [], [], [], [], []
    for label, settings in [("your plan", dict(plan, adapters=adapters))] + [
        (lbl, {**BASELINE, **ch}) for lbl, ch in [*SINGLE_CHANGES.values(), *MORE_PLANS.values()]
    ]:
        m = _plan_memory(settings["gpus"], settings["zero_stage"], settings["state_bits"], settings["checkpointing"],
                         settings["adapters"], nonlinearity)
        _, _, c = _plan_cost(settings["gpus"], settings["checkpointing"], mfu, price)
        xs.append(label)
        states_y.append(m.states_bytes)
        total_y.append(m.total_bytes)
        status.append("ok" if m.fits else "fail")
        labels.append(f"${c.total_usd:,.0f}")
    return {
        "weights_gpu": sh.weights_bytes,
        "gradients_gpu": sh.gradients_bytes,
        "optimizer_gpu": sh.optimizer_bytes,
        "states_gpu": mem.states_bytes,
        "activations": mem.activation_bytes,
        "total_per_gpu": mem.total_bytes,
        "capacity": mem.capacity_bytes,
        "ratio": mem.ratio,
        "communication": comm,
        "compute_multiplier": mult,
        "run_time": t,
        "gpu_hours": to_base(cost.gpu_hours, "GPU-h"),
        "run_cost": cost.total_usd,
        "cost_text": f"${cost.total_usd:,.2f}",
        "price_text": f"${price:,.2f} per GPU-hour",
        "gpus_text": _int(g),
        "gpu_price": gpu_usd_per_h,
        "peak": SERVER_GPU.peak_fp16_dense_flop_per_s or 0.0,
        "params": N_PARAMS,
        "tokens": RUN_TOKENS,
        "train_flop": training_flop(N_PARAMS, RUN_TOKENS),
        "binding": mem.binding,
        "binding_text": mem.binding.replace("_", " "),
        "plan": _parse_ready(plan),
        "verdict": ("fits" if mem.fits else "does not fit") + f": {_pct(mem.ratio)} of "
        f"{format_auto(mem.capacity_bytes, 'bytes')}",
        "fits": mem.fits,
        "message": mem.message(),
        "single_change_answer": single_change_answer(nonlinearity),
        "charts": {
            "plans": {
                "x": xs,
                "series": [
                    {"name": "model states", "y": states_y},
                    {"name": "states + activations", "y": total_y, "status": status, "labels": labels},
                ],
                "lines": [{"y": SERVER_GPU.memory_capacity_bytes, "label": "80 GB per GPU"}],
            }
        },
    }


def _reveal_d() -> str:
    base = _plan_memory(**BASELINE, nonlinearity="gelu")
    a = _plan_memory(**{**BASELINE, "checkpointing": "full"}, nonlinearity="gelu")
    b = _plan_memory(**{**BASELINE, "state_bits": 8}, nonlinearity="gelu")
    c = _plan_memory(**{**BASELINE, "zero_stage": 1}, nonlinearity="gelu")
    z2 = _plan_memory(**{**BASELINE, "zero_stage": 2}, nonlinearity="gelu")
    z3 = _plan_memory(**{**BASELINE, "zero_stage": 3}, nonlinearity="gelu")
    act = base.activation_bytes
    t, _, cost = _plan_cost(SERVER_GPUS, "none", 0.4, PRICE_USD_PER_H)
    t_r, _, cost_r = _plan_cost(SERVER_GPUS, "full", 0.4, PRICE_USD_PER_H)
    usd, usd_r = cost.total_usd, cost_r.total_usd
    peak = SERVER_GPU.peak_fp16_dense_flop_per_s or 0.0
    b_states = model_state_bytes(N_PARAMS, state_bits=8)
    return (
        f"Plain data parallel keeps a full replica on each GPU: {_gb(base.total_bytes, 5)} per GPU. "
        f"(a) checkpointing: {_gb(base.states_bytes, 3)} + {_gb(a.activation_bytes, 3)} = "
        f"{_gb(a.total_bytes, 5)} (fails). (b) 8-bit states: 2 + 2 + 4 + 1 + 1 = "
        f"{format_number(b_states.total_bytes / N_PARAMS, 2)} B/param → {_gb(b.states_bytes, 2)} + {_gb(act)} = "
        f"{_gb(b.total_bytes)} (fails). **(c) ZeRO-1 on 8 GPUs**: 14 + 14 + 84/8 = {_gb(c.states_bytes, 3)} + "
        f"{_gb(act)} = **{_gb(c.total_bytes)}** (fits, same communication volume as data parallel). ZeRO-2: "
        f"{_gb(z2.states_bytes)} + {_gb(act)} = {_gb(z2.total_bytes)}; ZeRO-3: {_gb(z3.states_bytes, 3)} + "
        f"{_gb(act)} = {_gb(z3.total_bytes)} (1.5× communication).\n\n"
        f"The run: 6 × {format_number(N_PARAMS, 2)} × {format_number(RUN_TOKENS, 2)} = "
        f"{format_number(training_flop(N_PARAMS, RUN_TOKENS), 2)} FLOP ÷ (8 × "
        f"{format_value(peak, 'TFLOP/s', 4)} × 0.4) = {format_value(t, 'h', 3)} = "
        f"{format_number(cost.gpu_hours, 3)} GPU-h × \\${PRICE_USD_PER_H:.2f} = **\\${usd:,.2f}** "
        f"(\\${usd_r:,.2f} with full recompute, {format_value(t_r, 'h', 3)}). The cheapest fix attacks the largest "
        f"term: {_gb(base.optimizer_bytes, 2)} of optimizer state on every GPU."
    )


PART_D = Part(
    id="D",
    title="Design challenge: one server, one plan",
    kind="design",
    scenario=Scenario(
        speaker="Yara Nascimento",
        role="research lead at Corvid Labs",
        text=(
            "We have one 8×H100 server for a week. Plan a full fine-tune of the 7B on 1 billion tokens at 4,096 "
            "tokens per sequence. It must fit in 80 GB per GPU; tell me the cheapest way, and what it costs."
        ),
    ),
    prediction=ChoicePrediction(
        prompt="Which single change makes each GPU fit?",
        options=(
            Option("a", "full activation checkpointing"),
            Option("b", "8-bit optimizer states"),
            Option("c", "sharding optimizer states across the 8 GPUs (ZeRO-1)"),
            Option("d", "none alone"),
        ),
        answer="single_change_answer",
    ),
    instruments=(
        Slider("gpus", "GPUs in the server used", "count", 1, 8, SERVER_GPUS, step=1,
               help="Data-parallel GPUs; each sees a replica (stage 0) or a shard of the states."),
        Slider("zero_stage", "Sharding stage", "count", 0, 3, 0, step=1,
               help="ZeRO stage: 1 shards optimizer state, 2 also gradients, 3 also weights."),
        Select("state_bits", "Optimizer-state format", STATE_BITS, default="32", unit="bit"),
        Select("checkpointing", "Activation checkpointing", CKPT_OPTIONS, default="none"),
        Select("adapters", "Adapters instead of full fine-tuning", ADAPTER_OPTIONS, default="off",
               help="Train only this share of parameters on a frozen bf16 base."),
        Slider("mfu", "Model FLOPs utilisation", "percent", 20, 60, 40, step=5,
               help="Useful FLOP/s ÷ peak bf16 FLOP/s (assumption: 40 %)."),
        Slider("gpu_usd_per_h", "GPU price", "USD/h", 0.5, 10, PRICE_USD_PER_H, step=0.05,
               help=f"Rental price per GPU-hour (assumption: ${PRICE_USD_PER_H:.2f})."),
    ),
    compute=server_plan,
    ledger_inputs={"nonlinearity": NONLIN},
    outputs=(
        Output("weights_gpu", "Weights per GPU", "GB", 4),
        Output("gradients_gpu", "Gradients per GPU", "GB", 4),
        Output("optimizer_gpu", "Optimizer state per GPU (master + moments)", "GB", 4),
        Output("states_gpu", "Model states per GPU", "GB", 4),
        Output("activations", "Activations per GPU", "GB", 4),
        Output("total_per_gpu", "Total per GPU", "GB", 4),
        Output("verdict", "Per GPU", kind="text"),
        Output("communication", "Communication vs plain data parallel", "x", 2),
        Output("compute_multiplier", "Compute multiplier", "x", 3),
        Output("run_time", "Run time", "h", 3),
        Output("gpu_hours", "GPU-hours", "GPU-h", 3),
        Output("cost_text", "Run cost", kind="text"),
        Output("run_cost", "Run cost", "USD", 4, show=False),
        Output("price_text", "GPU price", kind="text", show=False),
        Output("gpus_text", "GPUs", kind="text", show=False),
        Output("binding_text", "Largest component", kind="text"),
        Output("plan", "Plan (ledger)", kind="text", show=False),
        Output("binding", "Largest component (ledger key)", kind="text", show=False),
        Output("capacity", "Memory per GPU", "GB", 3, show=False),
        Output("ratio", "Demand ÷ memory", "x", 3, show=False),
        Output("gpu_price", "GPU price", "USD/h", 3, show=False),
        Output("peak", "Peak bf16", "TFLOP/s", 4, show=False),
        Output("params", "Parameters", "parameters", 2, show=False),
        Output("tokens", "Tokens", "tokens", 2, show=False),
        Output("train_flop", "Training compute", "FLOP", 2, show=False),
        Output("single_change_answer", "Answer key", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="plans",
            kind="grouped_bar",
            title="Per-GPU memory of your plan and of single changes (8 GPUs), with run cost",
            x_label="Plan",
            y_label="Memory per GPU",
            y_unit="GB",
            description="Model states and states + activations per plan; hatched: over 80 GB; label: run cost.",
        ),
    ),
    failures=(
        FailureState("oom_per_gpu", "Over 80 GB per GPU", when="not fits", message="message"),
    ),
    math=MathPeek(
        equations=(
            r"M_\text{GPU} = N\left[\frac{b_w}{g_3} + \frac{b_g}{g_2} + \frac{b_\text{master} + k\,b_s}{g_1}\right] + A,"
            r"\quad g_i = \begin{cases} n & \text{stage} \ge i \\ 1 & \text{else}\end{cases}",
            r"t = \frac{6\,N\,D}{n\,R\,\text{MFU}}\times\left(1 \text{ or } \tfrac{4}{3}\right),\qquad "
            r"\$ = n\,t\,p",
        ),
        substituted=(
            "M = {weights_gpu} + {gradients_gpu} + {optimizer_gpu} + {activations} = {total_per_gpu} "
            "(limit {capacity})",
            "t = 6 × {params} × {tokens} ÷ ({gpus_text} × {peak} × {mfu}) × {compute_multiplier} = {run_time}",
            "cost = {gpu_hours} × {price_text} = {cost_text}",
        ),
        engine=(
            "engine.memory.shard_state_bytes",
            "engine.memory.check_training_memory",
            "engine.training.run_time",
            "engine.economics.run_cost",
        ),
        note=(
            "Fused attention throughout (a fine-tune at 4,096 tokens would not use a naive kernel; Part B shows the "
            "86 GB it would add); your v1-05 nonlinearity sets the activation coefficient. Adapters keep the "
            "6ND compute count (conservative: frozen weights skip their weight-gradient GEMMs)."
        ),
    ),
    reveal=Reveal(_reveal_d()),
)

# --- the lab -------------------------------------------------------------------------------------------------


def _self_assessment() -> tuple[tuple[str, str], ...]:
    sgd = model_state_bytes(N_PARAMS, 32, False, "momentum", 32)
    saved = _activations() - _activations(checkpointing="full")
    long = _activations(seq_len=2 * SEQ_LEN)
    return (
        (
            "SGD with momentum, fp32 weights, no master copy: bytes per parameter?",
            f"4 + 4 + 4 = {format_number(sgd.total_bytes / N_PARAMS, 2)} B → {_gb(sgd.total_bytes, 2)} for 7B.",
        ),
        (
            "Why does full checkpointing alone not rescue the single GPU?",
            f"It removes ~{_gb(saved, 3)} of activations; the {_gb(model_state_bytes(N_PARAMS).total_bytes, 3)} "
            "of states remain.",
        ),
        (
            "Sequence 8,192 with fused attention: activations?",
            f"32 × 34 × 8,192 × 4,096 = {_gb(long)}.",
        ),
    )


def _model_note() -> str:
    peak = SERVER_GPU.peak_fp16_dense_flop_per_s or 0.0
    _, _, cost = _plan_cost(SERVER_GPUS, "none", 0.4, PRICE_USD_PER_H)
    return (
        "**Model states** follow ZeRO's accounting (Rajbhandari et al. 2020, §3.1): bf16 weights and gradients "
        "(2 + 2 B), an FP32 master copy (4 B) and two FP32 Adam moments (4 + 4 B) = 16 B per parameter; 8-bit "
        "optimizer states store 1 B per moment (Dettmers et al. 2022). Parameters are the seed's round "
        f"{format_number(N_PARAMS, 2)} (Llama-2-7B has {format_number(LLAMA2_7B.params, 3)}).\n\n"
        "**Activations** use Korthikanti et al. 2022's per-layer count s·b·h·(34 + 5as/h) in 16 bits, for the "
        "Llama-2-7B shape with a 4h GELU MLP (assumption); ReLU and sigmoid keep 26·sbh (v1-05's rule), fused "
        "attention drops the 5as/h score term, full recompute keeps 2·sbh per layer plus one live layer at +33 % "
        "compute. Temporary buffers, fragmentation and the CUDA context are ignored.\n\n"
        "**Adapters** (LoRA-style, Hu et al. 2021) keep a frozen 16-bit base (2 B per parameter) plus 16 B per "
        "trained parameter; their activations are taken equal to full fine-tuning's and their compute keeps 6ND "
        "(both conservative). **Sharding**: ZeRO stages divide the optimizer state (1), gradients (2) and weights (3) "
        "by the GPU count; stage 3 moves 1.5× the data of plain data parallel (ZeRO §7).\n\n"
        f"**Run time** 6ND / (n·R·MFU) with R the H100's dense bf16 peak from the registry, "
        f"{format_value(peak, 'TFLOP/s', 4)} (half the sparse datasheet figure), so the default run costs "
        f"\\${cost.total_usd:,.2f} rather than the spec's \\$73.73, which rounds the peak to 989 TFLOP/s. MFU 40 % and "
        f"\\${PRICE_USD_PER_H:.2f} per GPU-hour are assumptions.\n\n"
        "**Changes from the spec.** The microcontroller's training memory is its 1 MiB of SRAM (its flash is "
        "read-only during training), which gives the spec's 106,812× and 65,536. The parameter sliders of Parts A "
        "and C start at 10⁴, so a tiny-home student can reach a model that fits. Part B adds *Memory to fit in* "
        "(the home context, or the cloud GPU when home is the phone or the microcontroller, where even one "
        "sequence's activations exceed the device) and a *Model states* choice (full / adapters), so its "
        "out-of-memory card can be cleared; the card is split into \"the model states\" and \"the activations push "
        "it over\". Sequence length and micro-batch are drop-downs of the same doubling ladders. Part D opens on all "
        "8 GPUs (the spec's reveal and its option (c) assume the 8-GPU server), uses fused attention, offers adapters "
        "as a list (off, 0.01 %, 0.1 %, 1 %, 10 %) and shows MFU in percent. Bars are grouped, not stacked."
    )


def _briefing_body() -> str:
    rows = "\n".join(f"| {k} | {capacity_label(k)} | {get_context(k).device.name} |" for k in CONTEXT_KEYS)
    return (
        f"Model throughout: **{format_number(N_PARAMS, 2)} parameters** (the seed's round figure) with a 7B-class "
        f"GPT-style shape for activations: L = {LAYERS:g}, h = {format_number(HIDDEN, 4)}, a = {HEADS:g} heads (the "
        "Llama-2-7B shape with a 4h GELU MLP, **assumption**: Llama's SwiGLU MLP stores somewhat more). Mixed "
        "precision: bf16 weights and gradients, an FP32 master copy, FP32 Adam moments; activations in 16 bits. "
        "GB are 10⁹ bytes.\n\n"
        "Memory that holds the training state in each context:\n\n"
        "| context | memory | device |\n|---|---|---|\n" + rows
    )


LAB = Lab(
    id="v1-08",
    title="112 GB Before the First Activation",
    volume=1,
    section="Build",
    minutes=50,
    prerequisites=("v1-00", "v1-05", "v1-06"),
    core_question="Why does a 7B parameter model need 112 GB of memory before storing a single activation?",
    briefing=Briefing(
        objectives=(
            "Itemise the bytes per parameter of mixed-precision Adam training (weights, gradients, master copy, two "
            "moments).",
            "Add activation memory from the layer shape and from the choices made in v1-05 (nonlinearity) and v1-06 "
            "(attention implementation), and see which term dominates.",
            "Choose a single-server training plan (sharding, optimizer precision, checkpointing, adapters) that fits "
            "per-GPU memory, and price it.",
        ),
        decide="A fine-tuning plan for a 7B model on one 8-GPU server, written to the Design Ledger.",
        body=_briefing_body(),
    ),
    parts=(PART_A, PART_B, PART_C, PART_D),
    synthesis=Synthesis(
        takeaways=(
            "Mixed-precision Adam costs 16 B per parameter; for 7B that is 112 GB, 75 % of it optimizer-related.",
            "At 4K tokens, activations (18 GB with fused attention) are secondary; naive attention would add 86 GB.",
            "The cheapest fix attacks the largest term: sharding optimizer state across the server's GPUs.",
        ),
        connections=(
            "v1-05 (the 26-vs-34 coefficient), v1-06 (the 5·a·s²·b term), v1-09 (reads the GPU price), v1-10 "
            "(quantised weights for serving), v2-05 (ZeRO/FSDP at scale)."
        ),
        self_assessment=_self_assessment(),
    ),
    model_note=_model_note(),
    reads=(
        LedgerRead(HOME, "Home context (v1-00)", "cloud", choices=CONTEXT_KEYS),
        LedgerRead(NONLIN, "MLP nonlinearity (v1-05)", "gelu", choices=("relu", "sigmoid", "gelu")),
        LedgerRead(ATTN, "Attention kernel (v1-06)", "fused", choices=("naive", "fused")),
    ),
    writes=(
        LedgerWrite("v1-08.memory_prediction_gb", "prediction", "A", "prediction", unit="GB"),
        LedgerWrite("v1-08.bytes_per_param", "number", "A", "bytes_per_param", unit="B"),
        LedgerWrite("v1-08.model_state_gb", "number", "A", "states_total", unit="GB"),
        LedgerWrite("v1-08.activation_gb", "number", "B", "activations", unit="GB"),
        LedgerWrite("v1-08.training_memory_budget_gb", "number", "D", "total_per_gpu", unit="GB", when="change"),
        # text "gpus: 8, zero_stage: 1, state_bits: 32, checkpointing: none, adapters: off": split on ", " then ": "
        LedgerWrite("v1-08.training_plan", "decision", "D", "plan", when="change"),
        LedgerWrite("v1-08.run_cost_usd", "number", "D", "run_cost", unit="USD", when="change"),
        LedgerWrite("v1-08.gpu_price_usd_per_h", "number", "D", "gpu_price", unit="USD/h", when="change"),
        LedgerWrite("v1-08.binding_component", "number", "D", "binding", when="change"),
    ),
)
