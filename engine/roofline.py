"""Roofline: arithmetic intensity, ridge points, GEMM and decode-step times, and which roof a kernel sits under.

A kernel's time is the larger of its compute time (FLOP / (η·peak)) and its memory time (bytes / bandwidth). The
ridge point P/BW is the intensity at which they are equal. Results are frozen records with a `bound` label
('compute' or 'memory'); decode steps also carry capacity and latency verdicts as values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine.errors import require_fraction, require_non_negative, require_positive
from engine.units import format_auto, format_number, format_value


def ridge_point(peak_flop_per_s: float, bandwidth_bytes_per_s: float) -> float:
    """Intensity at which compute and memory time are equal.

    R = P / BW   (FLOP/B; ≈ the batch in tokens at which a bf16 matmul turns compute-bound)
    Source: Williams, Waterman, Patterson 2009 (Roofline); scaling-book roofline.md (fidelity row 5: H100 ≈ 295).
    """
    return require_positive("peak_flop_per_s", peak_flop_per_s) / require_positive("bandwidth_bytes_per_s",
                                                                                    bandwidth_bytes_per_s)


def attainable(intensity_flop_per_byte: float, peak_flop_per_s: float, bandwidth_bytes_per_s: float) -> float:
    """Attainable FLOP/s under the roofline.

    P_att = min(P, I · BW)
    Source: Williams, Waterman, Patterson 2009, eq. 1.
    """
    i = require_positive("intensity_flop_per_byte", intensity_flop_per_byte)
    return min(require_positive("peak_flop_per_s", peak_flop_per_s), i * require_positive("bandwidth_bytes_per_s",
                                                                                            bandwidth_bytes_per_s))


def compute_time(flop: float, peak_flop_per_s: float, efficiency: float = 1.0) -> float:
    """Time to execute `flop` at a fraction η of peak.

    t = F / (η · P)
    Source: definition; v1-09 Part C math peek.
    """
    eta = require_positive("efficiency", require_fraction("efficiency", efficiency))
    return require_non_negative("flop", flop) / (require_positive("peak_flop_per_s", peak_flop_per_s) * eta)


def classify_regime(intensity_flop_per_byte: float, ridge_flop_per_byte: float) -> str:
    """'memory' when the intensity is below the ridge, else 'compute'.

    regime = memory if I < R else compute
    Source: v1-11 Part C math peek.
    """
    i = require_positive("intensity_flop_per_byte", intensity_flop_per_byte)
    return "memory" if i < require_positive("ridge_flop_per_byte", ridge_flop_per_byte) else "compute"


@dataclass(frozen=True)
class KernelTime:
    """A kernel's work, traffic and the two times; `total_s` = max(compute_s, memory_s); `bound` names the larger."""

    flop: float
    bytes_moved: float
    compute_s: float
    memory_s: float

    @property
    def total_s(self) -> float:
        return max(self.compute_s, self.memory_s)

    @property
    def intensity(self) -> float:
        return self.flop / self.bytes_moved

    @property
    def bound(self) -> str:
        return "compute" if self.compute_s >= self.memory_s else "memory"

    @property
    def attained_flop_per_s(self) -> float:
        return self.flop / self.total_s


def gemm_time(batch: float, k: float, n: float, bytes_per_value: float, peak_flop_per_s: float,
              bandwidth_bytes_per_s: float, efficiency: float = 1.0) -> KernelTime:
    """Roofline time of Y[B×N] = X[B×K]·W[K×N], reading X and W and writing Y once.

    F = 2BKN;  D = b·(KN + BK + BN);  t = max(F/(ηP), D/BW);  I = F/D
    Source: v1-11 Part A math peek (LLaMA-7B up-projection, B = 1 on H100: 26.93 µs, memory-bound).
    """
    B = require_positive("batch", batch)
    K = require_positive("k", k)
    N = require_positive("n", n)
    b = require_positive("bytes_per_value", bytes_per_value)
    flop = 2.0 * B * K * N
    traffic = b * (K * N + B * K + B * N)
    return KernelTime(flop, traffic, compute_time(flop, peak_flop_per_s, efficiency),
                      traffic / require_positive("bandwidth_bytes_per_s", bandwidth_bytes_per_s))


def crossover_batch(k: float, n: float, bytes_per_value: float, peak_flop_per_s: float,
                    bandwidth_bytes_per_s: float) -> float:
    """Batch at which the GEMM's compute time equals its memory time (∞ if it never does).

    B* = R·b·KN / (2KN − R·b·(K + N)),  R = P/BW
    Source: v1-11 Part B reveal (cloud: 327.6; the familiar ≈ 295 appears when B ≪ K, N).
    """
    K = require_positive("k", k)
    N = require_positive("n", n)
    b = require_positive("bytes_per_value", bytes_per_value)
    r = ridge_point(peak_flop_per_s, bandwidth_bytes_per_s)
    denom = 2.0 * K * N - r * b * (K + N)
    return math.inf if denom <= 0 else r * b * K * N / denom


def upgrade_speedup(batch: float, k: float, n: float, bytes_per_value: float, peak_flop_per_s: float,
                    bandwidth_bytes_per_s: float, compute_scale: float = 1.0, bandwidth_scale: float = 1.0,
                    efficiency: float = 1.0) -> float:
    """Speedup of a GEMM when peak compute and bandwidth are scaled.

    S = t(P, BW) / t(s·P, s'·BW)
    Source: v1-11 Part B math peek.
    """
    base = gemm_time(batch, k, n, bytes_per_value, peak_flop_per_s, bandwidth_bytes_per_s, efficiency)
    up = gemm_time(batch, k, n, bytes_per_value, peak_flop_per_s * require_positive("compute_scale", compute_scale),
                   bandwidth_bytes_per_s * require_positive("bandwidth_scale", bandwidth_scale), efficiency)
    return base.total_s / up.total_s


def decode_time_per_token(total_bytes: float, bandwidth_bytes_per_s: float) -> float:
    """Memory-bound batch-1 decode: every weight and cached byte read once per token.

    t_tok = M / BW
    Source: v1-10 Part C math peek; llm-analysis decode floor (fidelity row 35).
    """
    return require_positive("total_bytes", total_bytes) / require_positive("bandwidth_bytes_per_s",
                                                                         bandwidth_bytes_per_s)


@dataclass(frozen=True)
class DecodeStep:
    """One decode step of B sequences: bytes, the two times and the verdicts; `binding` is the first fix's axis."""

    batch: int
    weight_bytes: float
    kv_bytes: float
    capacity_bytes: float
    memory_s: float
    compute_s: float
    step_budget_s: float

    @property
    def total_bytes(self) -> float:
        return self.weight_bytes + self.kv_bytes

    @property
    def step_s(self) -> float:
        return max(self.memory_s, self.compute_s)

    @property
    def tokens_per_s(self) -> float:
        return self.batch / self.step_s

    @property
    def bound(self) -> str:
        return "compute" if self.compute_s > self.memory_s else "memory"

    @property
    def feasible(self) -> bool:
        return self.total_bytes <= self.capacity_bytes and self.step_s <= self.step_budget_s

    @property
    def binding(self) -> str:
        """'capacity' or 'bandwidth' (the larger violation) when infeasible; else 'compute' or 'none'."""
        cap = self.total_bytes / self.capacity_bytes
        lat = self.step_s / self.step_budget_s
        if cap > 1 or lat > 1:
            if lat > cap:
                return "compute" if self.bound == "compute" else "bandwidth"
            return "capacity"
        return "compute" if self.bound == "compute" else "none"

    def message(self) -> str:
        if self.total_bytes > self.capacity_bytes:
            return (f"Memory {format_auto(self.total_bytes, 'bytes')} > budget {format_auto(self.capacity_bytes, 'bytes')}"
                    f" at batch {self.batch} (KV {format_auto(self.kv_bytes, 'bytes')}). "
                    f"First fix: fewer bytes per weight or fewer concurrent sequences.")
        if self.step_s > self.step_budget_s:
            return (f"Step {format_value(self.step_s, 'ms')} > budget {format_value(self.step_budget_s, 'ms')} "
                    f"({format_number(self.step_s / self.step_budget_s)}×). First fix: fewer bytes per step "
                    f"(4-bit weights) or a smaller batch.")
        return ""


def decode_step(batch: int, weight_bytes: float, kv_bytes_per_sequence: float, params: float,
                peak_flop_per_s: float, bandwidth_bytes_per_s: float, capacity_bytes: float,
                step_budget_s: float) -> DecodeStep:
    """Decode step for B concurrent sequences.

    M = W + B·K_seq;  t_step = max(M/BW, 2·N·B/P);  tokens/s = B/t_step;  feasible iff M ≤ M_ctx ∧ t ≤ t_budget
    Source: v1-11 Part D math peek (cloud, 4-bit, B = 64: 72.58 GB, 21.67 ms, 2,954 tok/s).
    """
    from engine.errors import require_positive_int

    bsz = require_positive_int("batch", batch)
    w = require_positive("weight_bytes", weight_bytes)
    kv = require_non_negative("kv_bytes_per_sequence", kv_bytes_per_sequence) * bsz
    mem_s = (w + kv) / require_positive("bandwidth_bytes_per_s", bandwidth_bytes_per_s)
    comp_s = 2.0 * require_positive("params", params) * bsz / require_positive("peak_flop_per_s", peak_flop_per_s)
    return DecodeStep(bsz, w, kv, require_positive("capacity_bytes", capacity_bytes), mem_s, comp_s,
                      require_positive("step_budget_s", step_budget_s))


def decode_intensity(params: float, batch: float, total_bytes: float) -> float:
    """Arithmetic intensity of one decode step of B sequences: 2 FLOP per parameter per sequence over the bytes read.

    I = 2·N·B / (W + B·K_seq)   (FLOP/B; N parameters, B sequences, total_bytes = weights + KV cache in bytes)
    Source: v1-11 Part D reveal (cloud, 4-bit, B = 64: 2 × 6.738e9 × 64 / 72.58e9 = 11.9 FLOP/B).
    """
    n = require_positive("params", params)
    bsz = require_positive("batch", batch)
    return 2.0 * n * bsz / require_positive("total_bytes", total_bytes)
