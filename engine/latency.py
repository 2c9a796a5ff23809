"""Latency: streaming floors, the deployment envelope, the iron law, Amdahl/Gustafson/USL scaling, transformer FLOPs.

v1-00/v1-01: how long bytes take to stream and which envelope limit binds first. v1-02: the iron law (compute +
memory + fixed overhead). v1-06: transformer forward FLOPs and prefill time. v1-12: Amdahl, Gustafson, the
coordination-cost frame model (Gunther's USL) and the cheapest plan that meets a frame deadline.

The envelope check normalises each demand by its limit (ratio = demand / limit) on three axes, capacity,
latency and power, and names the first ratio above 1 (ties resolved in that order). Infeasible deployments are
results with a sentence, never exceptions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine.errors import (
    EngineInputError,
    require_choice,
    require_fraction,
    require_non_negative,
    require_positive,
    require_positive_int,
)
from engine.memory import weight_bytes
from engine.provenance import assumed, derived
from engine.registry import sources as S
from engine.registry.hardware import get_context
from engine.units import auto_unit, format_auto, format_number, format_value

AXES: tuple[str, ...] = ("capacity", "latency", "power")


def stream_time(num_bytes: float, bandwidth_bytes_per_s: float) -> float:
    """Time to move `num_bytes` once through a memory system.

    t = B / BW

    Args:
        num_bytes: bytes moved B (> 0).
        bandwidth_bytes_per_s: sustained bandwidth BW in bytes per second (> 0).
    Returns:
        seconds. The peak bandwidth gives a floor: real kernels reach 60–90 % of it.
    Source: definition; the memory-bound decode floor of llm-analysis (Li 2023) and Pope et al. 2022 §2.
    """
    return require_positive("num_bytes", num_bytes) / require_positive("bandwidth_bytes_per_s", bandwidth_bytes_per_s)


@dataclass(frozen=True)
class EnvelopeCheck:
    """Demand / limit ratios of one deployment on one context, and the binding axis ('none' when all <= 1)."""

    context: str
    weight_bytes: float
    model_memory_bytes: float
    token_time_s: float
    token_budget_s: float
    busy_power_w: float
    power_budget_w: float
    capacity_ratio: float
    latency_ratio: float
    power_ratio: float
    binding: str

    @property
    def loadable(self) -> bool:
        """False when the weights do not fit: latency and power are then hypothetical."""
        return self.capacity_ratio <= 1.0

    @property
    def passes(self) -> bool:
        return self.binding == "none"

    def ratio(self, axis: str) -> float:
        return {"capacity": self.capacity_ratio, "latency": self.latency_ratio, "power": self.power_ratio}[axis]

    def message(self) -> str:
        """One sentence naming value, limit, unit, the factor over, and the first fix ('' when it passes)."""
        env = get_context(self.context)
        where = f"{env.label.lower()} ({env.device.name})"
        if self.binding == "capacity":
            return (
                f"Does not fit: weights {format_auto(self.weight_bytes, 'bytes')} > "
                f"{format_auto(self.model_memory_bytes, 'bytes')} {env.model_memory_label} on {where}, "
                f"{format_number(self.capacity_ratio)}× over. First fix: fewer bytes per weight or a smaller model."
            )
        if self.binding == "latency":
            return (
                f"Too slow: {format_value(self.token_time_s, 'ms', 3)} per token > "
                f"{format_value(self.token_budget_s, 'ms', 3)} budget on {where}, "
                f"{format_number(self.latency_ratio)}× over. First fix: move fewer bytes per token "
                f"(fewer bits or a smaller model) or lower the required speed."
            )
        if self.binding == "power":
            return (
                f"Power {format_value(self.busy_power_w, 'W', 3)} exceeds the "
                f"{format_value(self.power_budget_w, 'W', 3)} compute budget on {where} "
                f"({format_number(self.power_ratio)}×). First fix: move fewer bytes per token so the chip idles longer."
            )
        return ""


def check_envelope(
    params: float, bits_per_weight: float, rate_tokens_per_s: float, power_budget_w: float, context: str
) -> EnvelopeCheck:
    """Normalise a batch-1 decoding deployment's demands by the context's limits.

    r_cap = (N·b/8) / M
    r_lat = (N·b/8) / BW · rate            (decode streams every weight once per token)
    r_pow = P_act · min(1, r_lat) / P_budget   (busy-time power; idle power ignored)
    binding = first of capacity, latency, power whose ratio > 1, else 'none'.

    Args:
        params: parameters N; bits_per_weight: b; rate_tokens_per_s: required decode rate;
        power_budget_w: the product's compute power budget; context: cloud, edge, mobile or tiny.
    Source: v1-01 (Three Targets, Three Walls) math peek; decode floor as in `stream_time`.
    """
    env = get_context(context)
    rate = require_positive("rate_tokens_per_s", rate_tokens_per_s)
    budget_w = require_positive("power_budget_w", power_budget_w)
    b = weight_bytes(params, bits_per_weight)
    t_tok = stream_time(b, env.memory_bandwidth_bytes_per_s)
    r_cap = b / env.model_memory_bytes
    r_lat = t_tok * rate
    busy_w = env.active_power_w * min(1.0, r_lat)
    r_pow = busy_w / budget_w
    ratios = {"capacity": r_cap, "latency": r_lat, "power": r_pow}
    binding = next((axis for axis in AXES if ratios[axis] > 1.0), "none")
    return EnvelopeCheck(
        context=context,
        weight_bytes=b,
        model_memory_bytes=env.model_memory_bytes,
        token_time_s=t_tok,
        token_budget_s=1.0 / rate,
        busy_power_w=busy_w,
        power_budget_w=budget_w,
        capacity_ratio=r_cap,
        latency_ratio=r_lat,
        power_ratio=r_pow,
        binding=binding,
    )


@dataclass(frozen=True)
class FirstWall:
    """The model size at which each axis reaches 100 %, and the first of them (`axis`, `params`)."""

    capacity_params: float
    latency_params: float
    power_params: float  # math.inf when the budget covers the chip's full active power
    axis: str
    params: float


def find_first_wall(
    bits_per_weight: float, rate_tokens_per_s: float, power_budget_w: float, context: str
) -> FirstWall:
    """Solve each envelope ratio = 1 for the parameter count N and return the smallest.

    N_cap = 8M / b;  N_lat = 8·BW / (b·rate);  N_pow = N_lat · P_budget / P_act if P_budget < P_act, else ∞.
    Ties go to capacity, then latency, then power (the order of `AXES`).
    Source: v1-01 Part B reveal; ratios as in `check_envelope`, each linear in N.
    """
    env = get_context(context)
    b = require_positive("bits_per_weight", bits_per_weight)
    rate = require_positive("rate_tokens_per_s", rate_tokens_per_s)
    budget_w = require_positive("power_budget_w", power_budget_w)
    n_cap = 8.0 * env.model_memory_bytes / b
    n_lat = 8.0 * env.memory_bandwidth_bytes_per_s / (b * rate)
    n_pow = n_lat * budget_w / env.active_power_w if budget_w < env.active_power_w else math.inf
    walls = {"capacity": n_cap, "latency": n_lat, "power": n_pow}
    axis = min(AXES, key=lambda a: (walls[a], AXES.index(a)))
    return FirstWall(n_cap, n_lat, n_pow, axis, walls[axis])


# --- v1-02: the iron law ------------------------------------------------------------------------------------

CITED = {
    "per_kernel_overhead_gpu_s": derived(
        70 / 80, "us", S.CUDA_JL_GRAPHS, "80 small kernels replayed as a CUDA graph in 70 µs → 0.875 µs each"
    ),
    "per_kernel_overhead_mobile_s": assumed(
        10, "us", S.PHONE_ESTIMATES, "phone runtimes publish no dispatch cost; v1-02 teaching value"
    ),
    "batch1_conv_efficiency": assumed(
        0.5, "fraction", S.LABS_ASSUMPTIONS, "batch-1 conv kernels rarely exceed half of peak (v1-02)"
    ),
}
PER_KERNEL_OVERHEAD_S: dict[str, float] = {
    "cloud": CITED["per_kernel_overhead_gpu_s"].value,
    "edge": CITED["per_kernel_overhead_gpu_s"].value,
    "mobile": CITED["per_kernel_overhead_mobile_s"].value,
    "tiny": CITED["per_kernel_overhead_mobile_s"].value,
}


@dataclass(frozen=True)
class IronLaw:
    """Compute, memory and overhead terms of one inference; `total_s` = exposed compute + exposed memory + overhead.

    Without overlap every term is exposed; with perfect overlap only the larger of compute and memory is.
    `bound` names the largest exposed term (compute, memory or overhead).
    """

    compute_s: float
    memory_s: float
    overhead_s: float
    overlap: bool

    @property
    def exposed_compute_s(self) -> float:
        return self.compute_s if not self.overlap or self.compute_s >= self.memory_s else 0.0

    @property
    def exposed_memory_s(self) -> float:
        return self.memory_s if not self.overlap or self.memory_s > self.compute_s else 0.0

    @property
    def total_s(self) -> float:
        return self.exposed_compute_s + self.exposed_memory_s + self.overhead_s

    @property
    def compute_fraction(self) -> float:
        """f_c = exposed compute / total (the share a faster compute unit can shrink)."""
        return self.exposed_compute_s / self.total_s

    @property
    def bound(self) -> str:
        parts = {"compute": self.exposed_compute_s, "memory": self.exposed_memory_s, "overhead": self.overhead_s}
        return max(parts, key=lambda k: parts[k])


def iron_law(
    flop: float,
    peak_flop_per_s: float,
    efficiency: float,
    bytes_moved: float,
    bandwidth_bytes_per_s: float,
    overhead_s: float = 0.0,
    overlap: bool = False,
) -> IronLaw:
    """Latency of one inference as compute + memory + fixed overhead.

    T = O/(R·η) + D/BW + L            (no overlap)
    T = max(O/(R·η), D/BW) + L        (perfect overlap)
    Args:
        flop O (FLOP); peak_flop_per_s R; efficiency η in (0, 1]; bytes_moved D (B); bandwidth_bytes_per_s BW;
        overhead_s L (s, e.g. kernels × per-kernel cost); overlap: whether compute hides memory time or vice versa.
    Source: v1-02 math peek (the iron law of processor performance applied to an inference).
    """
    eta = require_fraction("efficiency", efficiency)
    if eta == 0:
        require_positive("efficiency", efficiency)
    tc = require_non_negative("flop", flop) / (require_positive("peak_flop_per_s", peak_flop_per_s) * eta)
    tm = require_non_negative("bytes_moved", bytes_moved) / require_positive("bandwidth_bytes_per_s", bandwidth_bytes_per_s)
    return IronLaw(tc, tm, require_non_negative("overhead_s", overhead_s), bool(overlap))


def kernel_overhead(kernels: float, per_kernel_s: float) -> float:
    """Fixed per-inference overhead of launching a model's kernels.

    L = N_k · t_k
    Args:
        kernels: kernels per inference N_k (≥ 0); per_kernel_s: fixed cost per kernel t_k in seconds (≥ 0).
    Returns:
        seconds.
    Source: v1-02 Part A constants (t_k = 70 µs / 80 kernels from a CUDA graph replay, CUDA.jl "Graphs").
    """
    return require_non_negative("kernels", kernels) * require_non_negative("per_kernel_s", per_kernel_s)


def scale_iron_law(law: IronLaw, compute_x: float = 1.0, bandwidth_x: float = 1.0, overhead_x: float = 1.0) -> IronLaw:
    """The same inference after a faster compute unit, a faster memory, or a cheaper per-kernel overhead.

    T_c' = T_c / k_c;  T_m' = T_m / k_b;  L' = L · k_L   (then T' = T_c' + T_m' + L', or max(T_c', T_m') + L')
    Args:
        law: the iron-law terms before the change; compute_x k_c (> 0, 2 = twice the FLOP/s); bandwidth_x k_b
        (> 0); overhead_x k_L (≥ 0, 0.5 = half the fixed overhead).
    Returns:
        an IronLaw with the scaled terms and the same overlap.
    Source: v1-02 Part B (each lever shrinks only its own term; Amdahl 1967 on the decomposition).
    """
    return IronLaw(
        law.compute_s / require_positive("compute_x", compute_x),
        law.memory_s / require_positive("bandwidth_x", bandwidth_x),
        law.overhead_s * require_non_negative("overhead_x", overhead_x),
        law.overlap,
    )


@dataclass(frozen=True)
class ImageWorkload:
    """Work of one image at an input side: FLOP and bytes moved (weights once + activations); parts add up."""

    flop: float
    weight_bytes: float
    activation_bytes: float
    pixel_scale: float

    @property
    def bytes_moved(self) -> float:
        return self.weight_bytes + self.activation_bytes


def image_workload(
    flop_per_image: float,
    params: float,
    activation_elements: float,
    side_px: float,
    reference_side_px: float = 224.0,
    bytes_per_element: float = 2.0,
) -> ImageWorkload:
    """A CNN's work per image when the input side changes: operations and activations scale with pixel count.

    s = (side / side_ref)²;  O = O_ref · s;  D = (P + A_ref · s) · b
    Args:
        flop_per_image O_ref and activation_elements A_ref at `reference_side_px`; params P (read once);
        side_px: input side in pixels; bytes_per_element b (2 for FP16).
    Returns:
        ImageWorkload (FLOP, weight bytes, activation bytes, s). The FC layer after global pooling does not scale,
        a < 0.1 % error for ResNet-50.
    Source: v1-02 Part D math peek; convolution MACs = H_out·W_out·C_out·C_in·k² (He et al. 2016, Table 1).
    """
    s = (require_positive("side_px", side_px) / require_positive("reference_side_px", reference_side_px)) ** 2
    b = require_positive("bytes_per_element", bytes_per_element)
    return ImageWorkload(
        require_positive("flop_per_image", flop_per_image) * s,
        require_positive("params", params) * b,
        require_non_negative("activation_elements", activation_elements) * s * b,
        s,
    )


@dataclass(frozen=True)
class SloCheck:
    """One inference's latency against a per-item budget; `ratio` = latency / budget (> 1 misses the SLO)."""

    law: IronLaw
    slo_s: float
    item: str

    @property
    def latency_s(self) -> float:
        return self.law.total_s

    @property
    def ratio(self) -> float:
        return self.latency_s / self.slo_s

    @property
    def passes(self) -> bool:
        return self.latency_s <= self.slo_s

    @property
    def margin_s(self) -> float:
        """Budget left (negative when the SLO is missed)."""
        return self.slo_s - self.latency_s

    def message(self) -> str:
        """The missed-SLO sentence: latency, budget, the rate it implies, and the term to cut first ('' if met)."""
        if self.passes:
            return ""
        unit = auto_unit(self.slo_s / 10.0, "time")  # 100 µs and 4,000 µs both read in µs; 20 ms in ms
        law = self.law
        first = {
            "overhead": f"cut fixed overhead ({format_value(law.overhead_s, unit, 3)}) before buying FLOP/s",
            "memory": (
                f"move fewer bytes or buy bandwidth (memory time {format_value(law.exposed_memory_s, unit, 3)} is the "
                f"largest term) before buying FLOP/s"
            ),
            "compute": (
                f"buy FLOP/s or raise efficiency (compute time {format_value(law.exposed_compute_s, unit, 3)} is the "
                f"largest term)"
            ),
        }[law.bound]
        return (
            f"SLO missed: {format_value(self.latency_s, unit, 4)} per {self.item} > {format_value(self.slo_s, unit, 3)} "
            f"budget ({format_number(1.0 / self.slo_s, 3)} {self.item}s/s). First fix: {first}."
        )


def check_latency_slo(law: IronLaw, slo_s: float, item: str = "image") -> SloCheck:
    """Compare one inference's iron-law latency with a per-item budget.

    r = T / T_SLO   (met when r ≤ 1);  the first fix names the largest exposed term, which a 2× lever shrinks most
    Source: v1-02 Part B failure state; T from `iron_law`.
    """
    if not isinstance(law, IronLaw):
        raise EngineInputError(f"`law` must be an IronLaw (got {type(law).__name__})")
    return SloCheck(law, require_positive("slo_s", slo_s), str(item))


def amdahl_speedup(serial_fraction: float, lanes: float) -> float:
    """Speedup when only the non-serial part runs `lanes` times faster.

    S(N) = 1 / (f + (1 − f)/N);  with N = k and f = 1 − f_c this is v1-02's "k× faster compute" speedup
    Source: Amdahl 1967 (fidelity row 43: f = 0.05 → 5.93× at 8, 19.64× at 1,024).
    """
    f = require_fraction("serial_fraction", serial_fraction)
    n = require_positive("lanes", lanes)
    return 1.0 / (f + (1.0 - f) / n)


def amdahl_limit(serial_fraction: float) -> float:
    """Speedup ceiling as lanes → ∞ (∞ when nothing is serial).

    S(∞) = 1 / f
    Source: Amdahl 1967.
    """
    f = require_fraction("serial_fraction", serial_fraction)
    return math.inf if f == 0 else 1.0 / f


def gustafson_speedup(serial_fraction_scaled: float, lanes: float) -> float:
    """Scaled speedup when the parallel work grows with the lanes and the serial part does not.

    S_G(N) = N − s·(N − 1), s = serial share of the *scaled* run
    Source: Gustafson 1988 (fidelity row 44: s = 0.05 → 7.65× at 8, 972.85× at 1,024).
    """
    s = require_fraction("serial_fraction_scaled", serial_fraction_scaled)
    n = require_positive("lanes", lanes)
    return n - s * (n - 1.0)


def serial_fraction_convert(serial_fraction_scaled: float, lanes: float) -> float:
    """Serial fraction of the one-lane run equivalent to share s of an N-lane scaled run.

    f = s / (s + (1 − s)·N);  Amdahl(f, N) = Gustafson(s, N)
    Source: v1-12 Part B math peek.
    """
    s = require_fraction("serial_fraction_scaled", serial_fraction_scaled)
    n = require_positive("lanes", lanes)
    return s / (s + (1.0 - s) * n)


# --- v1-06: transformer FLOPs and prefill ---------------------------------------------------------------------


@dataclass(frozen=True)
class TransformerFlops:
    """Forward-pass FLOPs of n tokens: linear (weights), attention (scores and ×V), LM head; parts add to total."""

    linear_flop: float
    attention_flop: float
    head_flop: float

    @property
    def total_flop(self) -> float:
        return self.linear_flop + self.attention_flop + self.head_flop

    @property
    def attention_share_of_layers(self) -> float:
        return self.attention_flop / (self.linear_flop + self.attention_flop)

    @property
    def bound(self) -> str:
        return "attention" if self.attention_flop > self.linear_flop else "linear"


def layer_matrix_params(hidden: float, ffn_hidden: float, ffn_matrices: float = 3, kv_heads: float | None = None,
                        heads: float | None = None) -> float:
    """Matrix parameters of one transformer layer (biases and norms ignored).

    P_l = 2d² + 2d·(d·h_kv/h) + m·d·d_ff   (= 4d² + 3d·d_ff for MHA with SwiGLU)
    Source: v1-06 briefing (Llama-2-7B: 4 · 4,096² + 3 · 4,096 · 11,008 = 202,375,168).
    """
    require_positive("ffn_hidden", ffn_hidden)
    if heads is not None:
        require_positive("heads", heads)
    d = require_positive("hidden", hidden)
    kv_ratio = 1.0 if kv_heads is None or heads is None else require_positive("kv_heads", kv_heads) / heads
    return 2 * d * d + 2 * d * d * kv_ratio + require_positive("ffn_matrices", ffn_matrices) * d * ffn_hidden


def transformer_flops(tokens: float, layers: float, hidden: float, layer_params: float, vocab: float,
                      causal_skip: bool = False, window: float | None = None) -> TransformerFlops:
    """Forward FLOPs of a decoder over n tokens.

    F(n) = L·(2·n·P_l + 4·n²·d) + 2·n·V·d;  causal skip: 4n²d → 2n²d;  window w: 4n²d → 4·n·min(w, n)·d
    Source: v1-06 Part A and D math peeks (Kaplan et al. 2020 Table 1 counting: 2 FLOP per MAC).
    """
    n = require_positive("tokens", tokens)
    L = require_positive("layers", layers)
    d = require_positive("hidden", hidden)
    p = require_positive("layer_params", layer_params)
    v = require_positive("vocab", vocab)
    if window is not None:
        w = min(require_positive("window", window), n)
        attn = 4.0 * n * w * d
    else:
        attn = (2.0 if causal_skip else 4.0) * n * n * d
    return TransformerFlops(L * 2.0 * n * p, L * attn, 2.0 * n * v * d)


def attention_crossover_tokens(layer_params: float, hidden: float) -> float:
    """Context length where a layer's attention FLOPs equal its linear FLOPs.

    n* = P_l / (2d)
    Source: v1-06 Part A (Llama-2-7B: 202,375,168 / 8,192 = 24,704 tokens).
    """
    return require_positive("layer_params", layer_params) / (2.0 * require_positive("hidden", hidden))


def prefill_time(flop: float, peak_flop_per_s: float, efficiency: float) -> float:
    """Compute-bound prefill (time to first token) of a prompt.

    t = F / (η·R)
    Source: v1-06 Part C math peek.
    """
    eta = require_positive("efficiency", require_fraction("efficiency", efficiency))
    return require_non_negative("flop", flop) / (require_positive("peak_flop_per_s", peak_flop_per_s) * eta)


def max_prefill_tokens(budget_s: float, peak_flop_per_s: float, efficiency: float, layers: float, hidden: float,
                       layer_params: float, vocab: float, causal_skip: bool = False) -> int:
    """Largest prompt whose prefill fits a time budget (integer bisection; F(n) is increasing in n).

    n_time = max{n : F(n) ≤ η·R·t_budget}
    Source: v1-06 Part C math peek (cloud, 10 s: 85,329 tokens).
    """
    work = require_positive("budget_s", budget_s) * require_positive("peak_flop_per_s", peak_flop_per_s) * \
        require_positive("efficiency", efficiency)

    def f(n: int) -> float:
        return transformer_flops(n, layers, hidden, layer_params, vocab, causal_skip).total_flop

    if f(1) > work:
        return 0
    lo, hi = 1, 2
    while f(hi) <= work:
        lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if f(mid) <= work else (lo, mid)
    return lo


# --- v1-12: lanes, coordination, deadlines --------------------------------------------------------------------


@dataclass(frozen=True)
class FrameTime:
    """One frame on N lanes: serial + parallel/N + coordination·(N − 1); parts add to `total_s`."""

    serial_s: float
    parallel_s: float
    coordination_s: float
    lanes: int

    @property
    def total_s(self) -> float:
        return self.serial_s + self.parallel_s + self.coordination_s

    @property
    def bound(self) -> str:
        parts = {"serial": self.serial_s, "lanes": self.parallel_s, "coordination": self.coordination_s}
        return max(parts, key=lambda k: parts[k])


def frame_time(serial_s: float, parallel_s: float, lanes: int, coordination_s_per_lane: float = 0.0) -> FrameTime:
    """Frame time with a serial part, evenly split parallel work and a per-extra-lane coordination cost.

    T(N) = T_s + T_p/N + c·(N − 1)
    Source: v1-12 Part C math peek (equivalent to Gunther's USL with σ = T_s/T₁, κ = c/T₁).
    """
    n = require_positive_int("lanes", lanes)
    return FrameTime(require_non_negative("serial_s", serial_s), require_non_negative("parallel_s", parallel_s) / n,
                     require_non_negative("coordination_s_per_lane", coordination_s_per_lane) * (n - 1), n)


def usl_speedup(lanes: float, sigma: float, kappa: float) -> float:
    """Universal scalability law speedup.

    S(N) = N / (1 + σ(N − 1) + κ·N(N − 1))
    Source: Gunther 2007, Guerrilla Capacity Planning, ch. 4.
    """
    n = require_positive("lanes", lanes)
    return n / (1.0 + require_non_negative("sigma", sigma) * (n - 1) + require_non_negative("kappa", kappa) * n * (n - 1))


def optimal_lanes(parallel_s: float, coordination_s_per_lane: float, max_lanes: int | None = None) -> int:
    """Integer lane count minimising T(N) = T_s + T_p/N + c(N − 1) (continuous optimum √(T_p/c)).

    N* = argmin over ⌊√(T_p/c)⌋, ⌈√(T_p/c)⌉, capped at `max_lanes`
    Source: v1-12 Part C (T_p = 95 ms, c = 10 µs → √9,500 = 97.5 → 97 lanes).
    """
    tp = require_non_negative("parallel_s", parallel_s)
    c = require_non_negative("coordination_s_per_lane", coordination_s_per_lane)
    cap = math.inf if max_lanes is None else require_positive_int("max_lanes", max_lanes)
    if c == 0:
        return int(cap) if cap != math.inf else 1 if tp == 0 else 2**31
    star = math.sqrt(tp / c)
    cands = {max(1, math.floor(star)), max(1, math.ceil(star))}
    cands = {min(x, cap) for x in cands}
    return int(min(cands, key=lambda n: (tp / n + c * (n - 1), n)))


@dataclass(frozen=True)
class FramePlan:
    """The cheapest feasible engineering plan for a frame deadline (or the best infeasible one, `feasible` False)."""

    serial_s: float
    detector_scale: float
    coordination_s_per_lane: float
    lanes: int
    weeks: float
    frame: FrameTime
    deadline_s: float
    feasible: bool

    @property
    def bound(self) -> str:
        return "none" if self.feasible else "deadline"


def plan_frame_budget(max_lanes: int, deadline_s: float, weeks_budget: float = 6.0, serial_s: float = 5e-3,
                      parallel_s: float = 95e-3, coordination_s_per_lane: float = 10e-6) -> FramePlan:
    """Cheapest combination of v1-12's engineering options that meets the frame deadline at the best lane count.

    min weeks s.t. T(N) ≤ D, weeks ≤ budget, N ≤ N_ctx; options: serial → 2 ms (3 wk) or 1 ms (8 wk);
    detector × 0.6 (2 wk); coordination halved (2 wk). Ties: lower frame time.
    Source: v1-12 Part D math peek (option costs are Tidewatch's planning assumptions).
    """
    require_non_negative("serial_s", serial_s)
    require_non_negative("parallel_s", parallel_s)
    require_non_negative("coordination_s_per_lane", coordination_s_per_lane)
    n_max = require_positive_int("max_lanes", max_lanes)
    d = require_positive("deadline_s", deadline_s)
    budget = require_non_negative("weeks_budget", weeks_budget)
    best: FramePlan | None = None
    for ts, w1 in ((serial_s, 0.0), (2e-3, 3.0), (1e-3, 8.0)):
        for scale, w2 in ((1.0, 0.0), (0.6, 2.0)):
            for c, w3 in ((coordination_s_per_lane, 0.0), (coordination_s_per_lane / 2, 2.0)):
                weeks = w1 + w2 + w3
                n = optimal_lanes(parallel_s * scale, c, n_max)
                ft = frame_time(ts, parallel_s * scale, n, c)
                ok = ft.total_s <= d + 1e-15 and weeks <= budget
                plan = FramePlan(ts, scale, c, n, weeks, ft, d, ok)
                key = (not ok, weeks if ok else ft.total_s, ft.total_s)
                if best is None or key < (not best.feasible, best.weeks if best.feasible else best.frame.total_s,
                                          best.frame.total_s):
                    best = plan
    assert best is not None
    return best
