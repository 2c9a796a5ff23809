"""Latency floors and the deployment envelope: how long bytes take to stream, and which limit binds first.

The envelope check normalises each demand by its limit (ratio = demand / limit) on three axes, capacity,
latency and power, and names the first ratio above 1 (ties resolved in that order). Infeasible deployments are
results with a sentence, never exceptions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine.errors import require_positive
from engine.memory import weight_bytes
from engine.registry.hardware import get_context
from engine.units import format_auto, format_number, format_value

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
