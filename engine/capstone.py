"""Capstone (v1-16): replay a Volume I design from its recorded inputs through the same engine functions, compute
the 13 guardrail ratios (value ÷ limit, or limit ÷ value for "at least" rules), find the binding one, stress one
driver at a time and apply revisions.

Nothing here is new physics: every number is a call into the solver modules with the design's inputs.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from engine import compression, data, latency, memory, ops, responsible, serving
from engine.errors import EngineInputError, require_positive
from engine.registry.hardware import get_context
from engine.registry.models import get_model


@dataclass(frozen=True)
class Design:
    """The recorded inputs of a Volume I design; defaults are the cloud presets of v1-16."""

    # v1-08 training plan
    train_params: float = 7e9
    train_gpus: int = 8
    zero_stage: int = 1
    train_seq_len: int = 4096
    train_checkpointing: str = "none"
    train_state_bits: int = 32  # v1-08 optimizer-state format (32 or 8)
    train_adapters: float = 0.0  # v1-08 adapter share of the parameters (0 = full fine-tuning)
    train_nonlinearity: str = "gelu"  # v1-05 choice, read by v1-08 for the activation coefficient
    # v1-10 / v1-11 / v1-07 serving
    serve_model: str = "llama_65b"
    serve_method: str = "gptq_g128"
    serve_bits: int = 4
    context_tokens: int = 2048
    batch: int = 64
    per_token_overhead_s: float = 0.173e-3
    step_budget_s: float = 50e-3
    quality_gate: float = 0.05
    # v1-13 queue
    replicas: int = 7
    forecast_rps: float = 150.0
    service_s: float = 20e-3
    slo_p99_s: float = 0.25
    burst_factor: float = 2.0
    admission_cap_rps: float = 0.0  # 0 = none
    # v1-12 frame plan
    serial_s: float = 2e-3
    detector_scale: float = 1.0
    coordination_s: float = 10e-6
    lanes: int = 97
    deadline_s: float = 5e-3
    # v1-09 data plan
    data_scale: str = "medium"
    data_filter: str = "image_clip"
    runs_sharing_scores: int = 1
    gpu_usd_per_h: float = 2.50
    data_budget_usd: float = 200.0
    data_target_pct: float = 31.0
    data_metric: str = "avg38"  # v1-09 target metric (avg38 or imagenet)
    # v1-14 monitoring
    monitors: tuple[str, ...] = ("source_share", "per_source")
    audit_fraction: float = 0.02
    label_delay_days: int = 5
    misread_limit: float = 100.0
    # v1-15 policy
    threshold_policy: str = "equal_delay"
    threshold_a: float = 2.0
    epsilon: str = "8"
    retrains_per_year: int = 1
    cheques_per_day: float = 20000.0
    epsilon_budget: float = 10.0
    gap_target_points: float = 5.0


@dataclass(frozen=True)
class Guardrail:
    """One guardrail: value, limit, and whether the rule is 'at most' (ratio = v/ℓ) or 'at least' (ratio = ℓ/v)."""

    key: str
    label: str
    value: float
    limit: float
    at_least: bool = False

    @property
    def ratio(self) -> float:
        if self.at_least:
            return math.inf if self.value <= 0 else self.limit / self.value
        return self.value / self.limit

    @property
    def passes(self) -> bool:
        return self.ratio <= 1.0


@dataclass(frozen=True)
class Audit:
    """Every guardrail of a design on one context and the binding one (largest ratio)."""

    context: str
    guardrails: tuple[Guardrail, ...]

    def get(self, key: str) -> Guardrail:
        return next(g for g in self.guardrails if g.key == key)

    @property
    def binding(self) -> Guardrail:
        return max(self.guardrails, key=lambda g: g.ratio)

    @property
    def bound(self) -> str:
        return self.binding.key

    @property
    def passes(self) -> bool:
        return all(g.passes for g in self.guardrails)


def serving_memory_bytes(design: Design) -> float:
    """Weights (README size) + B concurrent KV caches of T tokens.

    M = W + B·2·L·d·b·T
    Source: v1-16 Part A math peek (65B 4-bit g128, B = 64: 34.68 + 64 × 5.369 = 378.28 GB).
    """
    m = get_model(design.serve_model)
    w = compression.checkpoint_bytes(design.serve_model, design.serve_method, design.serve_bits)
    if w is None:
        w = memory.weight_bytes(m.params, design.serve_bits)
    return w + memory.kv_cache_bytes(m.layers, m.kv_heads, m.head_dim, 16, design.context_tokens, design.batch)


def training_state_bytes(design: Design) -> float:
    """Per-GPU model states of the v1-08 plan: full mixed-precision Adam, or a frozen base plus adapters, sharded.

    M = W/g₃ + G/g₂ + K/g₁ with W, G, K from N·(2 + 2 + 4 + 2·b_s/8) (full) or N·2 + f·N·(…) (adapters)
    Source: v1-08 Part D (ZeRO-1 on 8 GPUs: 14 + 14 + 84/8 = 38.5 GB); Rajbhandari et al. 2020 §5.
    """
    d = design
    if d.train_adapters > 0:
        st = memory.adapter_state_bytes(d.train_params, d.train_adapters, state_bits=d.train_state_bits)
    else:
        st = memory.model_state_bytes(d.train_params, state_bits=d.train_state_bits)
    return memory.shard_state_bytes(st.weights_bytes, st.gradients_bytes, st.master_bytes + st.optimizer_bytes,
                                    d.train_gpus, d.zero_stage).total_bytes


def data_plan_cost_usd(design: Design, mfu: float = 0.25, storage_usd_per_tb_month: float = 23.0,
                       months_stored: float = 1.0) -> float:
    """The v1-09 data plan's cost, every filter paying for its own scorer (as v1-09 prices it), on the cloud GPU.

    C = (3·F_learn·N_seen + F_score·N_pool/k_runs)·p/(3600·P·η) + V_pool·c_store·m
    Source: v1-09 Part D (128 M, image ∩ CLIP, 1 run, $2.50/GPU-h, η = 25 %: $182.43); data.curation_plan_cost.
    """
    d = design
    return data.curation_plan_cost(d.data_scale, d.data_filter, d.gpu_usd_per_h, mfu, storage_usd_per_tb_month,
                                   months_stored, runs_sharing_scores=d.runs_sharing_scores,
                                   peak_flop_per_s=get_context("cloud").device.peak_fp16_dense_flop_per_s).total_usd


def evaluate_design(design: Design, context: str = "cloud") -> Audit:
    """Replay every guardrail of a design on a context.

    r_i = v_i / ℓ_i (or ℓ_i / v_i for 'at least' rules); binding = argmax_i r_i
    Source: v1-16 guardrail table; each value is a call into the source lab's engine function.
    """
    env = get_context(context)
    d = design
    states = training_state_bytes(d)
    acts = memory.activation_bytes(d.train_seq_len, 1, 4096, 32, 32, nonlinearity=d.train_nonlinearity,
                                   checkpointing=d.train_checkpointing)
    mem = serving_memory_bytes(d)
    step = mem / env.memory_bandwidth_bytes_per_s + d.per_token_overhead_s
    ppl = compression.quality_lookup(d.serve_model, d.serve_method, d.serve_bits, "3cf64c6f").perplexity
    base = compression.quality_lookup(d.serve_model, "fp16", 16, "3cf64c6f").perplexity
    p99_f = serving.mmc_response_quantile(d.forecast_rps, d.service_s, d.replicas)
    burst = d.forecast_rps * d.burst_factor
    if d.admission_cap_rps > 0:
        burst = min(burst, d.admission_cap_rps)
    p99_b = serving.mmc_response_quantile(burst, d.service_s, d.replicas)
    frame = latency.frame_time(d.serial_s, 95e-3 * d.detector_scale, d.lanes, d.coordination_s).total_s
    cost = data_plan_cost_usd(d)
    acc = data.selection_accuracy(d.data_scale, d.data_filter, d.data_metric).accuracy_pct
    mon = ops.monitoring_policy_cost(list(d.monitors), d.audit_fraction, d.label_delay_days,
                                     misread_limit=d.misread_limit)
    pol = responsible.policy_guardrails(d.threshold_policy, d.threshold_a, d.epsilon, d.retrains_per_year,
                                        d.cheques_per_day, epsilon_budget=d.epsilon_budget,
                                        gap_target_points=d.gap_target_points)
    g = (
        Guardrail("G1", "training memory per GPU", states + acts, 80e9),
        Guardrail("G2", "serving memory", mem, env.model_memory_bytes),
        Guardrail("G3", "per-token step", step, d.step_budget_s),
        Guardrail("G4", "quality gate", ppl if ppl is not None else math.inf,
                  (base or math.inf) * (1 + d.quality_gate)),
        Guardrail("G5", "p99 at forecast", p99_f, d.slo_p99_s),
        Guardrail("G6", "p99 in burst", p99_b, d.slo_p99_s),
        Guardrail("G7", "frame deadline", frame, d.deadline_s),
        Guardrail("G8", "data-plan cost", cost, d.data_budget_usd),
        Guardrail("G9", "data-plan quality", acc if acc is not None else 0.0, d.data_target_pct, at_least=True),
        Guardrail("G10", "damage before detection", mon.extra_misreads, d.misread_limit),
        Guardrail("G11", "privacy budget", pol.epsilon_per_year, d.epsilon_budget),
        Guardrail("G12", "fairness gap", max(0.0, pol.delay_gap_points), d.gap_target_points),
        Guardrail("G13", "review load", pol.review_utilization, 1.0),
    )
    return Audit(context, g)


def replay(design: Design) -> Audit:
    """Replay a design on the cloud context (the preset home).

    r_i = v_i / ℓ_i
    Source: v1-16 Part A (presets: G2 = 378.28 GB / 80 GB = 4.73×).
    """
    return evaluate_design(design, "cloud")


def replay_context(design: Design, context: str, step_budget_s: float | None = None) -> Audit:
    """Replay a design on another context (its memory, bandwidth and, optionally, its step budget).

    r_i(ctx) with M_ctx, BW_ctx, t_budget(ctx)
    Source: v1-16 Part C (edge: G3 = 379.2 / 50 ms = 7.58×).
    """
    d = design if step_budget_s is None else dataclasses.replace(
        design, step_budget_s=require_positive("step_budget_s", step_budget_s))
    return evaluate_design(d, context)


# driver -> (design field it multiplies, guardrail it stresses)
DRIVERS: Mapping[str, tuple[str, str]] = {
    "sequences": ("batch", "G2"),
    "traffic": ("forecast_rps", "G6"),
    "gpu_price": ("gpu_usd_per_h", "G8"),
    "serial_path": ("serial_s", "G7"),
    "label_delay": ("label_delay_days", "G10"),
    "deposits": ("cheques_per_day", "G13"),
    "retrains": ("retrains_per_year", "G11"),
    "training_sequence": ("train_seq_len", "G1"),
    "quality_gate": ("quality_gate", "G4"),
}


def stress_tornado(design: Design, factor: float = 2.0, context: str = "cloud") -> dict[str, Guardrail]:
    """For each driver, the guardrail it stresses after multiplying that driver by `factor` (the gate is divided).

    r_i(f·x_j) for every driver j and its guardrail i
    Source: v1-16 Part B (traffic × 2 → burst ρ = 1.71 → unbounded).
    """
    f = require_positive("factor", factor)
    out: dict[str, Guardrail] = {}
    for driver, (fld, key) in DRIVERS.items():
        value = getattr(design, fld)
        new = value / f if driver == "quality_gate" else value * f
        if isinstance(value, int):
            new = max(1, int(round(new)))
        out[driver] = evaluate_design(dataclasses.replace(design, **{fld: new}), context).get(key)
    return out


REVISIONS: Mapping[str, str] = {
    "R1": "admission cap at the SLO rate",
    "R2": "serve 33B GPTQ 4-bit g128",
    "R3": "4 runs share scores",
    "R4": "serial path 1 ms",
    "R5": "batch 16 for throughput",
}


def apply_revisions(design: Design, revisions: Sequence[str]) -> Design:
    """Apply up to two revisions from the v1-16 menu to a design.

    R1: λ_cap = max{λ : p99(c, λ) ≤ SLO};  R2: 33B g128;  R3: k_runs = 4;  R4: T_s = 1 ms;  R5: B = 16
    Source: v1-16 Part D revision menu.
    """
    if len(revisions) > 2:
        raise EngineInputError(f"`revisions` must list at most two revisions (got {len(revisions)})")
    d = design
    for r in revisions:
        if r not in REVISIONS:
            raise EngineInputError(f"`revisions` must contain only {', '.join(REVISIONS)} (got {r!r})")
        if r == "R1":
            cap = serving.admission_cap_for_slo(d.service_s, d.replicas, d.slo_p99_s).cap_per_s
            d = dataclasses.replace(d, admission_cap_rps=cap)
        elif r == "R2":
            d = dataclasses.replace(d, serve_model="llama_33b")
        elif r == "R3":
            d = dataclasses.replace(d, runs_sharing_scores=4)
        elif r == "R4":
            d = dataclasses.replace(d, serial_s=1e-3)
        else:
            d = dataclasses.replace(d, batch=16)
    return d


def max_batch_for_memory(design: Design, context: str = "cloud") -> int:
    """Largest concurrent batch whose serving memory fits the context.

    B_max = ⌊(M_ctx − W) / K_seq⌋
    Source: v1-16 Part B repair (⌊(80 − 34.68) / 5.369⌋ = 8).
    """
    env = get_context(context)
    one = serving_memory_bytes(dataclasses.replace(design, batch=1))
    two = serving_memory_bytes(dataclasses.replace(design, batch=2))
    kv = two - one
    w = one - kv
    return max(0, math.floor((env.model_memory_bytes - w) / kv))
