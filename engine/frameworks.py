"""Frameworks: the host/device pipeline of one decode step, what fusion and graph capture remove, and when
compilation pays for itself.

A step is the slower of two lanes: the host issuing operations (H) and the device executing them (G). Eager mode
pays a dispatch cost per op; graph capture replaces it with one graph launch; fusion cuts the op count.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.errors import require_non_negative, require_positive, require_positive_int
from engine.provenance import assumed, derived, measured
from engine.registry import sources as S
from engine.units import format_number, format_value

CITED = {
    "t_dispatch_s": assumed(10, "us", S.HTA_DOCS, "eager host cost per op, inside the 5–20 µs HTA range"),
    "t_launch_s": assumed(5, "us", S.HTA_DOCS, "host cost per fused kernel without graphs, lower end of HTA range"),
    "t_gpu_per_kernel_s": derived(70 / 80, "us", S.CUDA_JL_GRAPHS, "80 small kernels replayed in 70 µs"),
    "t_graph_s": assumed(8, "us", S.CUDA_JL_GRAPHS, "CPU time of one graph launch, taken for our host"),
    "compile_s_per_bucket": assumed(45, "s", S.LABS_ASSUMPTIONS, "v1-07 compile time per shape bucket"),
    "gpt2_eager_ops_per_layer": assumed(24, "count", S.LABS_ASSUMPTIONS, "counted from a reference eager GPT-2"),
    "gpt2_eager_ops_model": assumed(6, "count", S.LABS_ASSUMPTIONS, "lookups, add, final norm, LM head, argmax"),
    "gpt2_fused_ops_per_layer": assumed(8, "count", S.LABS_ASSUMPTIONS, "fused + graph-captured GPT-2 layer"),
    "gpt2_fused_ops_model": assumed(4, "count", S.LABS_ASSUMPTIONS, "fused model-level kernels"),
    "llm7b_eager_ops_per_layer": assumed(38, "count", S.LABS_ASSUMPTIONS, "7B-class eager ops per layer (v1-07)"),
    "llm7b_eager_ops_model": assumed(5, "count", S.LABS_ASSUMPTIONS, "7B-class model-level eager ops (1,221 total)"),
    "llm7b_fused_ops_per_layer": assumed(10, "count", S.LABS_ASSUMPTIONS, "7B-class fused ops per layer"),
    "llm7b_fused_ops_model": assumed(4, "count", S.LABS_ASSUMPTIONS, "7B-class model-level fused ops (324 total)"),
    # v1-07 Part C calibration check: two knobs fitted to gpt-fast's published eager and compiled rates
    "gpt_fast_t_dispatch_s": assumed(32, "us", S.GPT_FAST_BLOG, "fitted: eager host cost per op that gives 25.5 tokens/s"),
    "gpt_fast_bandwidth_efficiency": assumed(0.74, "fraction", S.GPT_FAST_BLOG, "fitted: achieved fraction of HBM bandwidth"),
    "gpt_fast_eager_tokens_per_s": measured(25.5, "tokens/s", S.GPT_FAST_BLOG, "eager baseline, Llama-2-7B, A100-80GB"),
    "gpt_fast_compiled_tokens_per_s": measured(107.0, "tokens/s", S.GPT_FAST_BLOG, "torch.compile, Llama-2-7B, A100-80GB"),
}


@dataclass(frozen=True)
class OpGraph:
    """Op counts of one decode step in eager and fused form."""

    eager_ops: int
    fused_ops: int


def op_graph(layers: int, family: str = "gpt2") -> OpGraph:
    """Eager and fused op counts of a decoder step.

    N_e = n_e·L + m_e;  N_c = n_c·L + m_c   (GPT-2: 24·12 + 6 = 294 and 8·12 + 4 = 100)
    Source: v1-07 op inventory (labelled assumptions counted from a reference implementation).
    """
    L = require_positive_int("layers", layers)
    if family not in ("gpt2", "llm7b"):
        from engine.errors import require_choice

        require_choice("family", family, ("gpt2", "llm7b"))
    c = {k: v.value for k, v in CITED.items()}
    return OpGraph(int(c[f"{family}_eager_ops_per_layer"] * L + c[f"{family}_eager_ops_model"]),
                   int(c[f"{family}_fused_ops_per_layer"] * L + c[f"{family}_fused_ops_model"]))


@dataclass(frozen=True)
class ExecutionPlan:
    """Kernels the device runs and the host time to issue them, for one execution mode."""

    mode: str
    kernels: int
    host_s: float


def fuse_graph(graph: OpGraph, fusion: bool, graph_capture: bool, t_dispatch_s: float = 10e-6,
               t_launch_s: float = 5e-6, t_graph_s: float = 8e-6) -> ExecutionPlan:
    """Kernel count and host time of an execution mode.

    kernels = N_c if fusion else N_e;  H = t_graph if graph capture, else N_c·t_launch (fused) or N_e·t_d (eager)
    Source: v1-07 Part B math peek.
    """
    require_non_negative("t_dispatch_s", t_dispatch_s)
    require_non_negative("t_launch_s", t_launch_s)
    require_non_negative("t_graph_s", t_graph_s)
    kernels = graph.fused_ops if fusion else graph.eager_ops
    if graph_capture:
        host = require_non_negative("t_graph_s", t_graph_s)
    elif fusion:
        host = kernels * require_non_negative("t_launch_s", t_launch_s)
    else:
        host = kernels * require_non_negative("t_dispatch_s", t_dispatch_s)
    mode = ("fused" if fusion else "unfused") + ("+graphs" if graph_capture else "")
    return ExecutionPlan("eager" if mode == "unfused" else mode, kernels, host)


@dataclass(frozen=True)
class StepTime:
    """Host lane and device lane of one step; `total_s` = max of the two (they pipeline); `bound` names the slower."""

    host_s: float
    device_compute_s: float  # kernels × per-kernel floor
    device_memory_s: float  # bytes / bandwidth

    @property
    def device_s(self) -> float:
        return self.device_compute_s + self.device_memory_s

    @property
    def total_s(self) -> float:
        return max(self.host_s, self.device_s)

    @property
    def bound(self) -> str:
        return "host" if self.host_s > self.device_s else "device"

    @property
    def device_idle_fraction(self) -> float:
        return 1.0 - self.device_s / self.total_s


def step_time(plan: ExecutionPlan, bytes_moved: float, bandwidth_bytes_per_s: float,
              t_gpu_per_kernel_s: float = 0.875e-6) -> StepTime:
    """Step time as the slower of host issue and device execution.

    T = max(H, G),  G = N·t_g + B/BW
    Source: v1-07 Part A math peek (GPT-2 on H100: eager 2,940 µs, compiled 172.59 µs → 17.03×).
    """
    return StepTime(plan.host_s, plan.kernels * require_non_negative("t_gpu_per_kernel_s", t_gpu_per_kernel_s),
                    require_non_negative("bytes_moved", bytes_moved)
                    / require_positive("bandwidth_bytes_per_s", bandwidth_bytes_per_s))


def gpt2_decode_bytes(context_tokens: int = 1024) -> float:
    """Bytes read per GPT-2-small decode step in FP16: weights touched plus the KV cache.

    B = 2·(85,054,464 + 38,597,376 + 1,536 + 1,536) + 2·12·T·768·2
    Source: v1-07 workload (layer weights, tied LM head, final LayerNorm, two embedding rows; KV of T tokens).
    """
    t = require_positive_int("context_tokens", context_tokens)
    return 2.0 * (85_054_464 + 38_597_376 + 1_536 + 1_536) + 2.0 * 12 * t * 768 * 2


@dataclass(frozen=True)
class BreakEven:
    """Tokens after which compilation has paid for itself, and the day's net saving."""

    tokens: float
    compile_s: float
    saving_per_token_s: float
    tokens_per_day: float

    @property
    def net_saving_s_per_day(self) -> float:
        return self.tokens_per_day * self.saving_per_token_s - self.compile_s

    @property
    def amortised(self) -> bool:
        return self.tokens_per_day >= self.tokens

    def message(self) -> str:
        if self.amortised:
            return ""
        return (f"Compilation never pays: {format_number(self.tokens_per_day)} tokens/day < "
                f"{format_number(self.tokens)} needed. First fix: fewer buckets or stay eager.")


def compile_break_even(eager_step_s: float, compiled_step_s: float, compile_s_per_bucket: float = 45.0,
                       buckets: int = 1, tokens_per_day: float = 0.0) -> BreakEven:
    """Tokens served before compilation pays for itself (∞ when compiled is not faster).

    N* = k·T_compile / (T_eager − T_compiled)
    Source: v1-07 Part D math peek (45 s / 2.7674 ms = 16,261 tokens per bucket).
    """
    k = require_positive_int("buckets", buckets)
    total_compile = k * require_non_negative("compile_s_per_bucket", compile_s_per_bucket)
    saving = require_positive("eager_step_s", eager_step_s) - require_positive("compiled_step_s", compiled_step_s)
    tokens = float("inf") if saving <= 0 else total_compile / saving
    return BreakEven(tokens, total_compile, saving, require_non_negative("tokens_per_day", tokens_per_day))


def _fmt(t: float) -> str:
    return format_value(t, "us")
