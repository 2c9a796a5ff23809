"""Economics: the price of one FLOP, of a training run, and of a data plan (training + scoring + storage).

Prices enter as arguments (USD per GPU-hour, per GB, per TB-month); the registry's cited defaults live in
engine.registry.infrastructure. Composite costs are frozen records whose parts add up to `total_usd`.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.errors import require_fraction, require_non_negative, require_positive, require_positive_int


def price_per_flop(gpu_usd_per_h: float, peak_flop_per_s: float, efficiency: float) -> float:
    """Dollars per FLOP actually executed on a rented accelerator.

    c_op = p_GPU / (3600 · R · η)
    Source: v1-04 Part A math peek ($2.50/h, 989 TFLOP/s, η 0.5 → 1.40e-18 $/FLOP).
    """
    eta = require_positive("efficiency", require_fraction("efficiency", efficiency))
    return require_non_negative("gpu_usd_per_h", gpu_usd_per_h) / (3600.0 * require_positive(
        "peak_flop_per_s", peak_flop_per_s) * eta)


@dataclass(frozen=True)
class RunCost:
    """GPU-hours and dollars of a run."""

    gpu_hours: float
    usd_per_gpu_hour: float

    @property
    def total_usd(self) -> float:
        return self.gpu_hours * self.usd_per_gpu_hour


def run_cost(run_time_s: float, gpus: int, gpu_usd_per_h: float) -> RunCost:
    """Cost of holding `gpus` accelerators for `run_time_s`.

    C = n · t/3600 · p
    Source: v1-08 Part D ($2.50 × 29.5 GPU-h = $73.73).
    """
    n = require_positive_int("gpus", gpus)
    return RunCost(n * require_non_negative("run_time_s", run_time_s) / 3600.0,
                   require_non_negative("gpu_usd_per_h", gpu_usd_per_h))


@dataclass(frozen=True)
class DataPlanCost:
    """A data plan's dollars: training compute, scoring compute, storage; parts add to `total_usd`."""

    training_flop: float
    scoring_flop: float
    training_usd: float
    scoring_usd: float
    storage_usd: float

    @property
    def total_usd(self) -> float:
        return self.training_usd + self.scoring_usd + self.storage_usd

    @property
    def bound(self) -> str:
        parts = {"training": self.training_usd, "scoring": self.scoring_usd, "storage": self.storage_usd}
        return max(parts, key=lambda k: parts[k])


def data_plan_cost(learn_flop_per_sample: float, samples_seen: float, score_flop_per_sample: float,
                   pool_samples: float, pool_bytes: float, usd_per_flop: float, storage_usd_per_byte_s: float,
                   months_stored: float = 1.0, runs_sharing_scores: int = 1) -> DataPlanCost:
    """Cost of one training run on a (possibly scored) pool.

    C = (3·F_learn·N_seen + F_score·N_pool / k_runs)·c_op + V_pool·c_store·m
    Source: v1-09 Part B math peek; training ≈ 3× forward (Kaplan et al. 2020 §2.1).
    """
    k = require_positive_int("runs_sharing_scores", runs_sharing_scores)
    c_op = require_non_negative("usd_per_flop", usd_per_flop)
    train = 3.0 * require_non_negative("learn_flop_per_sample", learn_flop_per_sample) * require_non_negative(
        "samples_seen", samples_seen)
    score = require_non_negative("score_flop_per_sample", score_flop_per_sample) * require_non_negative(
        "pool_samples", pool_samples) / k
    months_s = require_non_negative("months_stored", months_stored) * 2592000.0
    storage = require_non_negative("pool_bytes", pool_bytes) * require_non_negative(
        "storage_usd_per_byte_s", storage_usd_per_byte_s) * months_s
    return DataPlanCost(train, score, train * c_op, score * c_op, storage)


def cost_per_million_tokens(gpu_usd_per_h: float, tokens_per_s: float) -> float:
    """Serving cost of a million generated tokens on one rented accelerator running flat out.

    c = p_GPU / 3600 / X · 10⁶
    Source: definition (price per hour ÷ tokens per hour).
    """
    return require_non_negative("gpu_usd_per_h", gpu_usd_per_h) / 3600.0 / require_positive(
        "tokens_per_s", tokens_per_s) * 1e6
