"""Memory footprints: bytes of weights, gradients, optimizer state, saved activations, attention scores, KV cache.

Every function returns bytes (decimal, SI) from counts and bit widths; hardware enters only as a capacity or a
bandwidth argument. Composite results are frozen records whose parts add up to `total_bytes`; an over-budget setup
is a result with a sentence (value, limit, unit, first fix), never an exception.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine.errors import (
    require_choice,
    require_fraction,
    require_non_negative,
    require_positive,
    require_positive_int,
)
from engine.units import format_auto, format_number

NONLINEARITIES: tuple[str, ...] = ("relu", "sigmoid", "gelu")
OPTIMIZERS: tuple[str, ...] = ("sgd", "momentum", "adam")


def weight_bytes(params: float, bits_per_weight: float) -> float:
    """Bytes needed to store a model's weights.

    B = N_params · b / 8

    Args:
        params: number of parameters N (count, > 0).
        bits_per_weight: storage bits per weight b (e.g. 16 for FP16/BF16, 4 for INT4), > 0.
    Returns:
        weight bytes B. Quantisation scales and zero points are ignored (they add ~3–6 % at group size 64–128).
    Source: definition (bytes = bits / 8); v1-00 math peek.
    """
    return require_positive("params", params) * require_positive("bits_per_weight", bits_per_weight) / 8.0


# --- v1-05: what the backward pass keeps ----------------------------------------------------------------------


def saved_bits_per_element(nonlinearity: str, bits: float) -> float:
    """Bits the backward pass keeps per activation element of a frozen layer.

    ReLU: 1 (sign mask);  sigmoid: b (its output);  GELU/SiLU: 2b (input z and output)
    Source: TinyTL (Cai et al. 2020, §3); v1-05 briefing.
    """
    require_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    b = require_positive("bits", bits)
    return {"relu": 1.0, "sigmoid": b, "gelu": 2.0 * b}[nonlinearity]


def saved_activation_bytes(elements: float, nonlinearity: str, bits: float) -> float:
    """Saved backward state of frozen layers for `elements` activation elements.

    S_ReLU = N/8;  S_σ = N·b/8;  S_GELU = 2N·b/8   (bytes; b in bits)
    Source: v1-05 Part A math peek; TinyTL (Cai et al. 2020, §3).
    """
    return require_positive("elements", elements) * saved_bits_per_element(nonlinearity, bits) / 8.0


@dataclass(frozen=True)
class WorkingSet:
    """v1-05's training working-set ledger; parts add up to `total_bytes`. outcome: fits / spill / oom."""

    saved_bytes: float
    head_input_bytes: float
    buffer_bytes: float
    trainable_state_bytes: float
    budget_bytes: float
    spill_penalty_s: float
    outcome: str

    @property
    def total_bytes(self) -> float:
        return self.saved_bytes + self.head_input_bytes + self.buffer_bytes + self.trainable_state_bytes

    @property
    def spill_bytes(self) -> float:
        return max(0.0, self.total_bytes - self.budget_bytes)

    @property
    def bound(self) -> str:
        return "on-chip budget" if self.outcome != "fits" else "none"

    def message(self) -> str:
        """One sentence naming value, limit, unit and first fix ('' when it fits)."""
        ratio = format_number(self.total_bytes / self.budget_bytes)
        if self.outcome == "oom":
            return (f"Out of memory: working set {format_auto(self.total_bytes, 'bytes')} > "
                    f"{format_auto(self.budget_bytes, 'bytes')} training budget ({ratio}×). "
                    f"First fix: ReLU or a smaller batch.")
        if self.outcome == "spill":
            return (f"Spill: working set {format_auto(self.total_bytes, 'bytes')} > "
                    f"{format_auto(self.budget_bytes, 'bytes')} on chip ({ratio}×); "
                    f"{format_auto(self.spill_bytes, 'bytes')} round-trips memory each step "
                    f"(+{format_number(self.spill_penalty_s * 1e6)} µs). First fix: ReLU, or a smaller batch.")
        return ""


def trainable_params_frozen_mlp(width: int, depth: int, classes: int, mode: str = "frozen") -> int:
    """Trained parameters of v1-05's MLP: biases of every hidden layer plus the head (frozen), or everything (full).

    frozen: L·W + W·C + C;  full: L·(W² + W) + W·C + C   (input width taken = W)
    Source: v1-05 Part C arithmetic (tiny: 8 × 128 + 128 × 10 + 10 = 2,314).
    """
    w = require_positive_int("width", width)
    d = require_positive_int("depth", depth)
    c = require_positive_int("classes", classes)
    require_choice("mode", mode, ("frozen", "full"))
    head = w * c + c
    return d * w + head if mode == "frozen" else d * (w * w + w) + head


def spill_penalty(working_set_bytes: float, budget_bytes: float, bandwidth_bytes_per_s: float) -> float:
    """Extra time per step when the working set spills off chip: the excess is written out and read back.

    t = 2 · max(0, M − C) / BW
    Source: v1-05 Part B math peek.
    """
    m = require_non_negative("working_set_bytes", working_set_bytes)
    c = require_positive("budget_bytes", budget_bytes)
    return 2.0 * max(0.0, m - c) / require_positive("bandwidth_bytes_per_s", bandwidth_bytes_per_s)


def training_working_set(
    width: int,
    depth: int,
    batch: int,
    bits: float,
    nonlinearity: str,
    budget_bytes: float,
    *,
    classes: int = 10,
    mode: str = "frozen",
    trainable_bytes_per_param: float = 16.0,
    backing_bandwidth_bytes_per_s: float | None = None,
) -> WorkingSet:
    """Working set of on-device MLP adaptation: saved state + head input + 2 live buffers + trainable state.

    M = S_act + H + 2·B·W·b/8 + β·N_train;  fits iff M ≤ C; spill (penalty 2(M − C)/BW) when a memory sits behind the
    chip (`backing_bandwidth_bytes_per_s` given), else out of memory.
    frozen: S_act = saved_activation_bytes(B·L·W); H = B·W·b/8 only for ReLU (sigmoid/GELU already keep outputs).
    full:   S_act = L·B·W·b/8 (every layer input) and H = B·W·b/8, whatever the nonlinearity.
    Source: v1-05 Part B math peek; 16 B per trained parameter from ZeRO §3.1 (mixed-precision Adam).
    """
    w = require_positive_int("width", width)
    d = require_positive_int("depth", depth)
    bsz = require_positive_int("batch", batch)
    b = require_positive("bits", bits)
    require_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    cap = require_positive("budget_bytes", budget_bytes)
    beta = require_positive("trainable_bytes_per_param", trainable_bytes_per_param)
    if backing_bandwidth_bytes_per_s is not None:
        require_positive("backing_bandwidth_bytes_per_s", backing_bandwidth_bytes_per_s)
    row = bsz * w * b / 8.0  # one activation tensor of width W for the whole batch
    if require_choice("mode", mode, ("frozen", "full")) == "frozen":
        saved = saved_activation_bytes(bsz * d * w, nonlinearity, b)
        head = row if nonlinearity == "relu" else 0.0
    else:
        saved = d * row
        head = row
    buffers = 2.0 * row
    state = beta * trainable_params_frozen_mlp(w, d, classes, mode)
    total = saved + head + buffers + state
    if total <= cap:
        outcome, penalty = "fits", 0.0
    elif backing_bandwidth_bytes_per_s is None:
        outcome, penalty = "oom", 0.0
    else:
        outcome, penalty = "spill", spill_penalty(total, cap, backing_bandwidth_bytes_per_s)
    return WorkingSet(saved, head, buffers, state, cap, penalty, outcome)


def max_batch_in_budget(
    width: int, depth: int, bits: float, nonlinearity: str, budget_bytes: float, *, classes: int = 10,
    mode: str = "frozen", trainable_bytes_per_param: float = 16.0,
) -> int:
    """Largest batch whose working set fits the budget (0 when even the trainable state does not fit).

    B_max = ⌊(C − β·N_train) / per-sample bytes⌋
    Source: v1-05 Part D math peek (cloud sigmoid: ⌊(50e6 − 1,179,808) / 81,920⌋ = 595).
    """
    w = require_positive_int("width", width)
    d = require_positive_int("depth", depth)
    one = training_working_set(w, d, 1, bits, nonlinearity, budget_bytes, classes=classes, mode=mode,
                               trainable_bytes_per_param=trainable_bytes_per_param)
    per_sample = one.total_bytes - one.trainable_state_bytes
    room = budget_bytes - one.trainable_state_bytes
    return max(0, math.floor(room / per_sample + 1e-9))


# --- v1-06: attention scores and the KV cache -----------------------------------------------------------------


def attention_score_bytes(tokens: float, heads: float, bits: float = 16) -> float:
    """Bytes of one layer's materialised score matrix (all heads).

    S(n) = h · n² · b/8
    Source: v1-06 Part B math peek; avoided by fused IO-aware attention (Dao et al. 2022, FlashAttention).
    """
    n = require_positive("tokens", tokens)
    return require_positive("heads", heads) * n * n * require_positive("bits", bits) / 8.0


def kv_cache_bytes(layers: float, kv_heads: float, head_dim: float, bits: float, tokens: float,
                   batch: float = 1) -> float:
    """Key and value cache for `tokens` tokens of `batch` sequences.

    K = 2 · L · h_kv · d_h · b/8 · T · B
    Args:
        layers L, kv_heads h_kv, head_dim d_h (counts); bits b per cached value; tokens T; batch B.
    Source: fidelity set rows 30–31 (Llama-2-7B: 2 · 32 · 32 · 128 · 2 B = 524,288 B/token).
    """
    per_token = (2.0 * require_positive("layers", layers) * require_positive("kv_heads", kv_heads)
                 * require_positive("head_dim", head_dim) * require_positive("bits", bits) / 8.0)
    return per_token * require_positive("tokens", tokens) * require_positive("batch", batch)


def max_context_length(capacity_bytes: float, weight_bytes_total: float, kv_bytes_per_token: float,
                       score_bytes_per_token_sq: float = 0.0) -> int:
    """Longest context with weights + KV cache (+ one layer's score matrix) within capacity, floored to tokens.

    solve W + k·n + s·n² = C for n (s = h·b/8 for naive attention, 0 for fused); 0 when the weights alone overflow
    Source: v1-06 Part B reveal (cloud naive: 64n² + 524,288n + 13,476,831,232 ≤ 80e9 → 28,403).
    """
    c = require_positive("capacity_bytes", capacity_bytes)
    w = require_non_negative("weight_bytes_total", weight_bytes_total)
    k = require_positive("kv_bytes_per_token", kv_bytes_per_token)
    s = require_non_negative("score_bytes_per_token_sq", score_bytes_per_token_sq)
    room = c - w
    if room <= 0:
        return 0
    n = room / k if s == 0 else (-k + math.sqrt(k * k + 4.0 * s * room)) / (2.0 * s)
    return max(0, math.floor(n + 1e-9))


# --- v1-08: model states, activations, sharding ---------------------------------------------------------------


@dataclass(frozen=True)
class ModelStates:
    """Training model-state bytes by component; `total_bytes` is their sum."""

    weights_bytes: float
    gradients_bytes: float
    master_bytes: float
    optimizer_bytes: float

    @property
    def total_bytes(self) -> float:
        return self.weights_bytes + self.gradients_bytes + self.master_bytes + self.optimizer_bytes

    @property
    def bytes_per_param_components(self) -> tuple[float, float, float, float]:
        return (self.weights_bytes, self.gradients_bytes, self.master_bytes, self.optimizer_bytes)


def optimizer_moments(optimizer: str) -> int:
    """Moments kept per parameter: SGD 0, SGD + momentum 1, Adam 2.

    k ∈ {0, 1, 2}
    Source: v1-08 Part A math peek.
    """
    return {"sgd": 0, "momentum": 1, "adam": 2}[require_choice("optimizer", optimizer, OPTIMIZERS)]


def model_state_bytes(params: float, weight_bits: float = 16, master_copy: bool = True, optimizer: str = "adam",
                      state_bits: float = 32, grad_bits: float | None = None) -> ModelStates:
    """Bytes of weights, gradients, FP32 master copy and optimizer moments.

    M = N · (b_w + b_g + b_master + k·b_s) / 8, b_master = 32 when kept; k from `optimizer_moments`
    Source: Rajbhandari et al. 2020 (ZeRO) §3.1 (16 B/param for mixed-precision Adam); v1-08 Part A.
    """
    n = require_positive("params", params)
    bw = require_positive("weight_bits", weight_bits)
    bg = bw if grad_bits is None else require_positive("grad_bits", grad_bits)
    bs = require_positive("state_bits", state_bits)
    k = optimizer_moments(optimizer)
    master = 32.0 if master_copy else 0.0
    return ModelStates(n * bw / 8, n * bg / 8, n * master / 8, n * k * bs / 8)


ACTIVATION_COEFFICIENT: dict[str, float] = {"gelu": 34.0, "relu": 26.0, "sigmoid": 26.0}


def activation_bytes(seq_len: float, micro_batch: float, hidden: float, layers: float, heads: float,
                     nonlinearity: str = "gelu", attention: str = "fused", checkpointing: str = "none",
                     coefficient: float | None = None) -> float:
    """Activation memory of a transformer's forward pass kept for backward (16-bit activations).

    per layer A = s·b·h·(c + 5·a·s/h), c = 34 (GELU-class) or 26 (ReLU/sigmoid); the 5as/h term is dropped for
    fused attention; full recompute keeps 2·s·b·h per layer plus one live layer: A = 2sbhL + c·sbh.
    `coefficient` overrides c (e.g. ZeRO's footnote: 12 activations × 2 B = 24).
    Source: Korthikanti et al. 2022, eq. 1; v1-08 Part B math peek.
    """
    s = require_positive("seq_len", seq_len)
    b = require_positive("micro_batch", micro_batch)
    h = require_positive("hidden", hidden)
    L = require_positive("layers", layers)
    a = require_positive("heads", heads)
    require_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    require_choice("attention", attention, ("fused", "naive"))
    require_choice("checkpointing", checkpointing, ("none", "full"))
    c = ACTIVATION_COEFFICIENT[nonlinearity] if coefficient is None else require_positive("coefficient", coefficient)
    sbh = s * b * h
    per_layer = sbh * c + (5.0 * a * s * s * b if attention == "naive" else 0.0)
    if checkpointing == "full":
        return 2.0 * sbh * L + per_layer
    return per_layer * L


@dataclass(frozen=True)
class Footprint:
    """States + activations against a capacity; `fits` and a sentence when it does not."""

    states_bytes: float
    activation_bytes: float
    capacity_bytes: float

    @property
    def total_bytes(self) -> float:
        return self.states_bytes + self.activation_bytes

    @property
    def fits(self) -> bool:
        return self.total_bytes <= self.capacity_bytes

    @property
    def bound(self) -> str:
        if self.fits:
            return "none"
        return "model states" if self.states_bytes >= self.activation_bytes else "activations"

    def message(self) -> str:
        if self.fits:
            return ""
        return (f"Out of memory: {format_auto(self.total_bytes, 'bytes')} > {format_auto(self.capacity_bytes, 'bytes')} "
                f"({format_number(self.total_bytes / self.capacity_bytes)}×); activations are "
                f"{format_auto(self.activation_bytes, 'bytes')} of it. First fix: shrink the {self.bound} "
                f"(sharding optimizer state or fewer trained parameters).")


def training_footprint(states_bytes: float, activation_bytes_total: float, capacity_bytes: float) -> Footprint:
    """Total training memory = model states + activations, checked against a capacity.

    M = M_states + A
    Source: v1-08 Part B (112 + 18.25 = 130.25 GB > 80 GB).
    """
    return Footprint(require_non_negative("states_bytes", states_bytes),
                     require_non_negative("activation_bytes_total", activation_bytes_total),
                     require_positive("capacity_bytes", capacity_bytes))


def max_trainable_params(capacity_bytes: float, mode: str = "full", trainable_fraction: float = 0.001,
                         frozen_bytes_per_param: float = 2.0, trained_bytes_per_param: float = 16.0) -> float:
    """Largest model whose training states fit, activations excluded.

    N_max = C / β;  β = 16 (full Adam) or 2 + 16·f (adapters on a frozen 16-bit base)
    Source: v1-08 Part C math peek; LoRA's frozen-base accounting (Hu et al. 2021).
    """
    require_positive("frozen_bytes_per_param", frozen_bytes_per_param)
    require_positive("trained_bytes_per_param", trained_bytes_per_param)
    c = require_positive("capacity_bytes", capacity_bytes)
    require_choice("mode", mode, ("full", "adapters"))
    f = require_fraction("trainable_fraction", trainable_fraction)
    beta = trained_bytes_per_param if mode == "full" else frozen_bytes_per_param + trained_bytes_per_param * f
    return c / beta


@dataclass(frozen=True)
class ShardedStates:
    """Per-GPU model-state bytes under ZeRO stage `stage`; parts add up; communication vs plain data parallel."""

    weights_bytes: float
    gradients_bytes: float
    optimizer_bytes: float  # master copy + moments
    stage: int
    communication_x: float

    @property
    def total_bytes(self) -> float:
        return self.weights_bytes + self.gradients_bytes + self.optimizer_bytes


def shard_states(params: float, gpus: int, stage: int, weight_bits: float = 16, grad_bits: float = 16,
                 optimizer_bytes_per_param: float = 12.0) -> ShardedStates:
    """Per-GPU model states under ZeRO sharding.

    M = N·[b_w/g₃ + b_g/g₂ + K/g₁], g_i = N_d when stage ≥ i else 1; K = master + moments bytes (12 for Adam)
    communication: 1.0× data parallel for stages 0–2, 1.5× for stage 3
    Source: Rajbhandari et al. 2020 (ZeRO) §5 formulas and §7 (fidelity row 25: Ψ = 7.5B, N_d = 64, K = 12).
    """
    n = require_positive("params", params)
    g = require_positive_int("gpus", gpus)
    st = require_choice("stage", stage, (0, 1, 2, 3))
    k = require_non_negative("optimizer_bytes_per_param", optimizer_bytes_per_param)
    g1 = g if st >= 1 else 1
    g2 = g if st >= 2 else 1
    g3 = g if st >= 3 else 1
    return ShardedStates(n * require_positive("weight_bits", weight_bits) / 8 / g3,
                         n * require_positive("grad_bits", grad_bits) / 8 / g2, n * k / g1, int(st),
                         1.5 if st == 3 else 1.0)


@dataclass(frozen=True)
class FitCheck:
    """Whether `num_bytes` fit in `capacity_bytes`; `ratio` = demand / limit (> 1 means it does not fit)."""

    num_bytes: float
    capacity_bytes: float
    ratio: float
    where: str

    @property
    def fits(self) -> bool:
        return self.ratio <= 1.0

    def message(self) -> str:
        """The out-of-memory sentence: value, limit, unit, factor over and the first fix ('' when it fits)."""
        if self.fits:
            return ""
        shrink = format_number(float(f"{self.ratio:.1g}") if self.ratio >= 10 else self.ratio, 2)
        return (
            f"Does not fit: weights {format_auto(self.num_bytes, 'bytes')} > {format_auto(self.capacity_bytes, 'bytes')} "
            f"{self.where}, {format_number(self.ratio)}× over. First fix: a model about {shrink}× smaller, "
            f"fewer bits per weight, or another context."
        )


def check_fit(num_bytes: float, capacity_bytes: float, where: str = "") -> FitCheck:
    """Compare a footprint with a memory: ratio = B / M.

    r = B / M   (fits when r <= 1)
    Source: definition; the capacity axis of the v1-00 and v1-01 envelope.
    """
    b = require_positive("num_bytes", num_bytes)
    m = require_positive("capacity_bytes", capacity_bytes)
    return FitCheck(num_bytes=b, capacity_bytes=m, ratio=b / m, where=where)


# --- v1-08: adapters, sharding by bytes, and the per-GPU training-memory check --------------------------------


def adapter_state_bytes(params: float, trainable_fraction: float, frozen_bits: float = 16, weight_bits: float = 16,
                        master_copy: bool = True, optimizer: str = "adam", state_bits: float = 32) -> ModelStates:
    """Model states of adapter fine-tuning: a frozen base stored once, full training state for the adapters only.

    M = N·b_f/8 + f·N·(b_w + b_g + b_master + k·b_s)/8   (bytes); at 16-bit base and mixed-precision Adam,
    β = 2 + 16·f bytes per base parameter. The frozen base is counted under `weights_bytes`.
    Args:
        params: base-model parameters N (count, > 0).
        trainable_fraction: adapter parameters as a fraction f of N, in (0, 1].
        frozen_bits: storage bits of the frozen base weights b_f.
        weight_bits, master_copy, optimizer, state_bits: as in `model_state_bytes`, for the adapter parameters.
    Returns:
        ModelStates in bytes; `total_bytes` is the sum.
    Source: Hu et al. 2021 (LoRA) §4.1 (pretrained weights frozen, only the low-rank matrices trained);
    Rajbhandari et al. 2020 (ZeRO) §3.1 for the 16 B per trained parameter.
    """
    n = require_positive("params", params)
    f = require_positive("trainable_fraction", require_fraction("trainable_fraction", trainable_fraction))
    frozen = n * require_positive("frozen_bits", frozen_bits) / 8.0
    trained = model_state_bytes(n * f, weight_bits, master_copy, optimizer, state_bits)
    return ModelStates(frozen + trained.weights_bytes, trained.gradients_bytes, trained.master_bytes,
                       trained.optimizer_bytes)


def shard_state_bytes(weights_bytes: float, gradients_bytes: float, optimizer_bytes: float, gpus: int,
                      stage: int) -> ShardedStates:
    """Per-GPU model states under ZeRO sharding, from the unsharded byte totals.

    M = W/g₃ + G/g₂ + K/g₁, g_i = N_d when stage ≥ i else 1; K = master copy + moments (bytes)
    communication: 1.0× plain data parallel for stages 0–2, 1.5× for stage 3
    Args:
        weights_bytes W, gradients_bytes G, optimizer_bytes K: unsharded totals in bytes (≥ 0).
        gpus: data-parallel GPUs N_d (count ≥ 1); stage: ZeRO stage 0–3.
    Source: Rajbhandari et al. 2020 (ZeRO) §5.1–5.3 (P_os, P_os+g, P_os+g+p) and §7 (1.5× volume for stage 3).
    """
    w = require_non_negative("weights_bytes", weights_bytes)
    gr = require_non_negative("gradients_bytes", gradients_bytes)
    k = require_non_negative("optimizer_bytes", optimizer_bytes)
    g = require_positive_int("gpus", gpus)
    st = int(require_choice("stage", stage, (0, 1, 2, 3)))  # type: ignore[call-overload]
    g1 = g if st >= 1 else 1
    g2 = g if st >= 2 else 1
    g3 = g if st >= 3 else 1
    return ShardedStates(w / g3, gr / g2, k / g1, st, 1.5 if st == 3 else 1.0)


@dataclass(frozen=True)
class LayerActivations:
    """One transformer layer's saved activations by block (bytes, 16-bit); parts add to `total_bytes`."""

    attention_bytes: float  # 11·sbh: QKV input, Q and K, V, output-projection input, dropout mask
    mlp_bytes: float  # 19·sbh (GELU-class) or 11·sbh (ReLU / sigmoid)
    layernorm_bytes: float  # 4·sbh: the inputs of the two LayerNorms
    scores_bytes: float  # 5·a·s²·b: softmax output, its dropout mask and output (0 with fused attention)

    @property
    def total_bytes(self) -> float:
        return self.attention_bytes + self.mlp_bytes + self.layernorm_bytes + self.scores_bytes


def layer_activation_blocks(seq_len: float, micro_batch: float, hidden: float, heads: float,
                            nonlinearity: str = "gelu", attention: str = "fused") -> LayerActivations:
    """Saved activations of one transformer layer, block by block (no recomputation).

    attention 11·sbh + scores 5·a·s²·b (naive only);  MLP 19·sbh (GELU-class) or 11·sbh (ReLU/sigmoid: the 8·sbh
    nonlinearity input is not kept, the derivative is rebuilt from the stored output);  LayerNorms 4·sbh
    Sum: s·b·h·(c + 5as/h), c = 34 or 26, as in `activation_bytes` (bytes; s tokens, b sequences, h width, a heads).
    Source: Korthikanti et al. 2022, §4.1 and eq. 1 (per-block counts); the 26 variant from v1-05's saved-state rule.
    """
    s = require_positive("seq_len", seq_len)
    b = require_positive("micro_batch", micro_batch)
    h = require_positive("hidden", hidden)
    a = require_positive("heads", heads)
    require_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    require_choice("attention", attention, ("fused", "naive"))
    sbh = s * b * h
    mlp = (19.0 if nonlinearity == "gelu" else 11.0) * sbh
    scores = 5.0 * a * s * s * b if attention == "naive" else 0.0
    return LayerActivations(11.0 * sbh, mlp, 4.0 * sbh, scores)


TRAINING_COMPONENTS: tuple[str, ...] = ("optimizer_state", "weights", "gradients", "activations")


def _ratio_text(r: float) -> str:
    """A demand / limit factor: 3 significant figures below 1,000, whole units above (106,812)."""
    if r >= 1_000:
        return format_number(r, int(math.floor(math.log10(r))) + 1)
    return format_number(r, 3)


@dataclass(frozen=True)
class TrainingMemory:
    """One GPU's training memory: model-state parts + activations against a capacity; parts add to `total_bytes`.

    `binding` names the component the first fix should attack: the largest model-state part when the states alone
    do not fit, else the largest part overall (ties in the order of TRAINING_COMPONENTS).
    """

    weights_bytes: float
    gradients_bytes: float
    optimizer_bytes: float
    activation_bytes: float
    capacity_bytes: float
    gpus: int
    stage: int
    where: str = ""

    @property
    def states_bytes(self) -> float:
        return self.weights_bytes + self.gradients_bytes + self.optimizer_bytes

    @property
    def total_bytes(self) -> float:
        return self.states_bytes + self.activation_bytes

    @property
    def ratio(self) -> float:
        return self.total_bytes / self.capacity_bytes

    @property
    def fits(self) -> bool:
        return self.total_bytes <= self.capacity_bytes

    @property
    def states_fit(self) -> bool:
        return self.states_bytes <= self.capacity_bytes

    def component_bytes(self, component: str) -> float:
        require_choice("component", component, TRAINING_COMPONENTS)
        return {"optimizer_state": self.optimizer_bytes, "weights": self.weights_bytes,
                "gradients": self.gradients_bytes, "activations": self.activation_bytes}[component]

    @property
    def binding(self) -> str:
        candidates = TRAINING_COMPONENTS if self.states_fit else TRAINING_COMPONENTS[:3]
        return max(candidates, key=lambda c: (self.component_bytes(c), -candidates.index(c)))

    def first_fix(self) -> str:
        """The lever that shrinks the binding component, in words."""
        c = self.binding
        amount = format_auto(self.component_bytes(c), "bytes")
        across = f"across the {self.gpus} GPUs" if self.gpus > 1 else "across GPUs"
        if c == "optimizer_state":
            if self.stage < 1:
                fix = f"shard the {amount} of optimizer state {across} (ZeRO-1)"
                return fix + (", or train fewer parameters" if self.gpus == 1 else "")
            return f"8-bit optimizer states, or adapters instead of full fine-tuning ({amount} of optimizer state)"
        if c == "weights":
            if self.gpus > 1 and self.stage < 3:
                return f"shard the {amount} of weights {across} (ZeRO-3)"
            return f"a smaller model, or adapters on a frozen base ({amount} of weights)"
        if c == "gradients":
            if self.gpus > 1 and self.stage < 2:
                return f"shard the {amount} of gradients {across} (ZeRO-2)"
            return f"train fewer parameters ({amount} of gradients)"
        return f"full activation checkpointing (+33 % compute), or a shorter sequence or micro-batch ({amount})"

    def message(self) -> str:
        """The out-of-memory sentence: value, limit, unit, factor over and the first fix ('' when it fits)."""
        if self.fits:
            return ""
        total = format_auto(self.total_bytes, "bytes", 4)
        cap = format_auto(self.capacity_bytes, "bytes")
        r = _ratio_text(self.ratio)
        if self.activation_bytes == 0:
            return (f"Out of memory before training starts: model states {total}{self.where} > {cap} ({r}×). "
                    f"First fix: {self.first_fix()}.")
        prefix = "" if self.states_fit else "the model states, not the activations: "
        return (f"Out of memory: {total}{self.where} > {cap} ({r}×); activations are "
                f"{format_auto(self.activation_bytes, 'bytes', 4)} of it. First fix: {prefix}{self.first_fix()}.")


def check_training_memory(weights_bytes: float, gradients_bytes: float, optimizer_bytes: float,
                          activation_bytes_total: float, capacity_bytes: float, gpus: int = 1, stage: int = 0,
                          where: str = "") -> TrainingMemory:
    """Per-GPU training memory = weights + gradients + optimizer state + activations, against a capacity.

    M = W + G + K + A;  fits when M ≤ C;  ratio r = M / C
    Args:
        weights_bytes W, gradients_bytes G, optimizer_bytes K (master copy + moments): per-GPU bytes (≥ 0).
        activation_bytes_total A: activations kept for backward, bytes (≥ 0; 0 = before the first activation).
        capacity_bytes C: the GPU's (or device's) memory, bytes (> 0).
        gpus, stage: the data-parallel width and ZeRO stage the states were sharded with (they choose the fix).
        where: text after the total in the message, e.g. " per GPU".
    Source: Rajbhandari et al. 2020 (ZeRO) §3 (model states vs residual states); v1-08 Parts A, B and D.
    """
    return TrainingMemory(require_non_negative("weights_bytes", weights_bytes),
                          require_non_negative("gradients_bytes", gradients_bytes),
                          require_non_negative("optimizer_bytes", optimizer_bytes),
                          require_non_negative("activation_bytes_total", activation_bytes_total),
                          require_positive("capacity_bytes", capacity_bytes),
                          require_positive_int("gpus", gpus),
                          int(require_choice("stage", stage, (0, 1, 2, 3))),  # type: ignore[call-overload]
                          str(where))
