"""Training: compute budgets (6ND), run time and MFU, scaling-law anchors, pipeline bubbles, collective times, and
failures at scale (MTBF, probability of an uninterrupted run, the Young/Daly checkpoint interval).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from engine.errors import require_fraction, require_non_negative, require_positive, require_positive_int


def training_flop(params: float, tokens: float) -> float:
    """Training compute of a dense transformer.

    C ≈ 6·N·D   (2ND forward + 4ND backward)
    Source: Kaplan et al. 2020 §2.1; fidelity row 9 (GPT-3: 6 × 175e9 × 300e9 = 3.15e23).
    """
    return 6.0 * require_positive("params", params) * require_positive("tokens", tokens)


def palm_flop_per_token(params: float, layers: float, heads: float, head_dim: float, seq_len: float) -> float:
    """Model FLOPs per token including attention, as PaLM counts them for MFU.

    F = 6N + 12·L·H·Q·T
    Source: Chowdhery et al. 2022 (PaLM), Appendix B.
    """
    return 6.0 * require_positive("params", params) + 12.0 * require_positive("layers", layers) * require_positive(
        "heads", heads) * require_positive("head_dim", head_dim) * require_positive("seq_len", seq_len)


def mfu(tokens_per_s: float, flop_per_token: float, devices: int, peak_flop_per_s: float) -> float:
    """Model FLOPs utilisation: useful FLOP/s over the cluster's peak.

    MFU = (tokens/s · F_token) / (n · P)
    Source: Chowdhery et al. 2022 §4.1 (PaLM 540B: 46.2 %).
    """
    return (require_positive("tokens_per_s", tokens_per_s) * require_positive("flop_per_token", flop_per_token)
            / (require_positive_int("devices", devices) * require_positive("peak_flop_per_s", peak_flop_per_s)))


@dataclass(frozen=True)
class RunTime:
    """Wall-clock of a run: useful compute time and recompute overhead; `total_s` adds them."""

    compute_s: float
    recompute_s: float

    @property
    def total_s(self) -> float:
        return self.compute_s + self.recompute_s

    @property
    def bound(self) -> str:
        return "compute"


def run_time(params: float, tokens: float, devices: int, peak_flop_per_s: float, mfu_fraction: float,
             full_recompute: bool = False) -> RunTime:
    """Time to train on D tokens at a given MFU.

    t = 6ND / (n·P·MFU);  full activation recompute adds one forward: × (1 + 2 + 1)/(1 + 2) = 4/3
    Source: v1-08 Part D math peek; Korthikanti et al. 2022 (recompute cost).
    """
    m = require_positive("mfu_fraction", require_fraction("mfu_fraction", mfu_fraction))
    t = training_flop(params, tokens) / (require_positive_int("devices", devices) * require_positive(
        "peak_flop_per_s", peak_flop_per_s) * m)
    return RunTime(t, t / 3.0 if full_recompute else 0.0)


def megatron_time(tokens: float, params: float, devices: int, flop_per_s_per_device: float) -> float:
    """Megatron's end-to-end training-time rule with full activation recomputation.

    t ≈ 8·T·P / (n·X)
    Source: Narayanan et al. 2021 (SC21) §5.1 (GPT-3 on 1,024 A100 at 140 TFLOP/s: ≈ 34 days).
    """
    return 8.0 * require_positive("tokens", tokens) * require_positive("params", params) / (
        require_positive_int("devices", devices) * require_positive("flop_per_s_per_device", flop_per_s_per_device))


def throughput_time(tokens: float, tokens_per_s_per_device: float, devices: int) -> float:
    """Time to process a token budget at a measured per-device throughput.

    t = D / (n · r)
    Source: Touvron et al. 2023 (LLaMA) §2.4 (65B: 1.4T / (2,048 × 380) = 20.8 days).
    """
    return require_positive("tokens", tokens) / (require_positive("tokens_per_s_per_device", tokens_per_s_per_device)
                                                 * require_positive_int("devices", devices))


def chinchilla_tokens(params: float, tokens_per_param: float = 20.0) -> float:
    """Compute-optimal token count.

    D_opt ≈ 20·N
    Source: Hoffmann et al. 2022 (Chinchilla) §3, Table 3.
    """
    return require_positive("params", params) * require_positive("tokens_per_param", tokens_per_param)


def pipeline_bubble_fraction(stages: int, micro_batches: int, interleave: int = 1) -> float:
    """Pipeline bubble time relative to ideal compute time (1F1B / GPipe schedule).

    bubble / ideal = (p − 1) / (v·m)
    Source: Narayanan et al. 2021 §2.2 (p = 8, m = 32 → 21.9 %).
    """
    p = require_positive_int("stages", stages)
    return (p - 1) / (require_positive_int("interleave", interleave) * require_positive_int("micro_batches",
                                                                                           micro_batches))


def ring_factor(ranks: int, collective: str = "allreduce") -> float:
    """Bytes each rank sends per payload byte in a bandwidth-optimal collective.

    all-reduce 2(N − 1)/N;  reduce-scatter and all-gather (N − 1)/N
    Source: nccl-tests doc/PERFORMANCE.md; Patarasuk & Yuan 2009.
    """
    from engine.errors import require_choice

    n = require_positive_int("ranks", ranks)
    kind = require_choice("collective", collective, ("allreduce", "reduce_scatter", "all_gather"))
    return (2.0 if kind == "allreduce" else 1.0) * (n - 1) / n


def collective_time(payload_bytes: float, ranks: int, bandwidth_bytes_per_s_per_direction: float,
                    alpha_s: float = 0.0, collective: str = "allreduce") -> float:
    """Ring collective time under the alpha–beta model.

    t = steps·α + factor·S/B;  all-reduce: 2(N − 1) steps and factor 2(N − 1)/N
    Source: Patarasuk & Yuan 2009; nccl-tests doc/PERFORMANCE.md (busbw).
    """
    n = require_positive_int("ranks", ranks)
    f = ring_factor(n, collective)
    steps = (2 if collective == "allreduce" else 1) * (n - 1)
    return steps * require_non_negative("alpha_s", alpha_s) + f * require_non_negative(
        "payload_bytes", payload_bytes) / require_positive("bandwidth_bytes_per_s_per_direction",
                                                           bandwidth_bytes_per_s_per_direction)


# --- failures at scale --------------------------------------------------------------------------------------


def mtbf_per_component(components: float, observed_s: float, failures: float) -> float:
    """Per-component mean time between failures implied by a fleet observation.

    MTBF = n·T / F
    Source: Llama 3 paper §3.3.4 (16,384 GPUs × 54 days / 419 → ≈ 50,700 GPU-h).
    """
    return require_positive("components", components) * require_positive("observed_s", observed_s) / require_positive(
        "failures", failures)


def job_mtbf(components: float, component_mtbf_s: float) -> float:
    """Mean time between interruptions of a job that needs every component (independent exponential failures).

    MTBF_job = MTBF / n
    Source: standard reliability (series system).
    """
    return require_positive("component_mtbf_s", component_mtbf_s) / require_positive("components", components)


def p_no_failure(components: float, component_mtbf_s: float, duration_s: float) -> float:
    """Probability that none of n components fails during a run (exponential lifetimes).

    P₀ = exp(−n·t / MTBF)
    Source: standard reliability; checked by Monte-Carlo in tests.
    """
    return math.exp(-require_non_negative("duration_s", duration_s) / job_mtbf(components, component_mtbf_s))


def young_daly_interval(checkpoint_s: float, mtbf_s: float) -> float:
    """Checkpoint interval minimising expected lost time (first-order).

    τ* = √(2·δ·M)
    Source: Young 1974; Daly 2006 (first-order term).
    """
    return math.sqrt(2.0 * require_positive("checkpoint_s", checkpoint_s) * require_positive("mtbf_s", mtbf_s))


def checkpoint_overhead(interval_s: float, checkpoint_s: float, mtbf_s: float) -> float:
    """Expected fraction of time lost to checkpoints and rework for a checkpoint interval τ.

    waste(τ) ≈ δ/τ + (τ + δ)/(2M)
    Source: Young 1974 (the function whose minimum is √(2δM)).
    """
    tau = require_positive("interval_s", interval_s)
    d = require_positive("checkpoint_s", checkpoint_s)
    return d / tau + (tau + d) / (2.0 * require_positive("mtbf_s", mtbf_s))


def failure_shares(counts: Mapping[str, float]) -> dict[str, float]:
    """Share of each root cause, computed from counts (never from printed percentages).

    share_i = c_i / Σ c
    Source: Llama 3 paper Table 5 (faulty GPU 148/419 = 35.3 %, not the printed 30.1 %).
    """
    total = sum(require_non_negative(f"counts[{k}]", v) for k, v in counts.items())
    require_positive("total count", total)
    return {k: v / total for k, v in counts.items()}


# --- v1-05: one adaptation step of a square MLP -----------------------------------------------------------------


def mlp_step_flop(width: float, depth: float, batch: float, mode: str = "frozen") -> float:
    """FLOP of one training step through L square hidden layers of width W (the small head ignored).

    frozen: F = 2 · (2·B·W²·L)   forward + input-gradient GEMMs (frozen weights need no weight gradient)
    full:   F = 3 · (2·B·W²·L)   forward + input gradient + weight gradient
    Args: width W, depth L (hidden layers), batch B (counts, > 0); mode 'frozen' or 'full'. Returns FLOP.
    Source: v1-05 Part B reveal (2 × 2 × 1024 × 4096² × 8 = 5.50e11 FLOP); backward ≈ 2× forward when weights
    train (Kaplan et al. 2020 §2.1).
    """
    from engine.errors import require_choice

    passes = {"frozen": 2.0, "full": 3.0}[require_choice("mode", mode, ("frozen", "full"))]
    w = require_positive("width", width)
    return passes * 2.0 * require_positive("batch", batch) * w * w * require_positive("depth", depth)
