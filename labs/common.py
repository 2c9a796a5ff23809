"""Helpers shared by lab modules: log-step ladders, the context options, tables generated from the registry.

Nothing here computes physics; it builds declarations (steps, options, Markdown) from engine registries so that
no lab pastes a registry number into its text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from engine.registry.hardware import CONTEXT_KEYS, get_context
from engine.units import format_auto, format_value
from labs.schema import FailureState, Option


def log_steps(lo: float, hi: float, mantissas: tuple[float, ...] = (1, 2, 3, 5, 7)) -> tuple[float, ...]:
    """Values m × 10^k between lo and hi inclusive (e.g. 1e6, 2e6, 3e6, 5e6, 7e6, 1e7, …)."""
    out = []
    for k in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1):
        for m in mantissas:
            v = float(f"{m * 10.0**k:.6g}")
            if lo <= v <= hi:
                out.append(v)
    return tuple(out)


def context_options() -> tuple[Option, ...]:
    """The four deployment contexts as options, labelled with their device."""
    return tuple(
        Option(key=k, label=f"{get_context(k).label} ({get_context(k).device.name})", detail=get_context(k).breaks_first)
        for k in CONTEXT_KEYS
    )


def failures_per(
    keys: Iterable[str],
    *,
    id: str,
    title: Callable[[str], str],
    when: str | Callable[[Mapping[str, Any], str], bool],
    message: str,
) -> tuple[FailureState, ...]:
    """One failure state per key (a context, a product…).

    `id`, `message` and a string `when` are templates over `{key}` naming results (see FailureState); `title(key)`
    gives the heading. A `when` that is not a plain flag is a function `when(results, key)`, called with its own
    key (a hand-written loop of lambdas would see only the last one).

        failures_per(CONTEXT_KEYS, id="oom_{key}", title=lambda k: f"{k}: out of memory",
                     when="not fits_{key}", message="message_{key}")
    """
    out = []
    for key in keys:
        out.append(FailureState(
            id=id.format(key=key),
            title=title(key),
            when=when.format(key=key) if isinstance(when, str) else (lambda r, key=key: when(r, key)),
            message=message.format(key=key),
        ))
    return tuple(out)


def envelope_table_md() -> str:
    """The v1-00 context envelope as a Markdown table, every number read from engine.registry.hardware."""
    envs = [get_context(k) for k in CONTEXT_KEYS]
    rows = [
        ("device", [e.device.name for e in envs]),
        ("dense INT8 peak", [format_value(e.int8_dense_op_per_s, "TOP/s" if e.int8_dense_op_per_s >= 1e12 else "GOP/s", 4) for e in envs]),
        ("memory for the model", [f"{format_auto(e.model_memory_bytes, 'bytes')} {e.model_memory_label}" for e in envs]),
        ("memory bandwidth", [format_auto(e.memory_bandwidth_bytes_per_s, "bandwidth", 4) for e in envs]),
        ("on-chip memory", [format_auto(e.device.on_chip_memory_bytes, "bytes") for e in envs]),
        ("active power", [format_value(e.active_power_w, "W", 3) for e in envs]),
        ("what usually breaks first", [e.breaks_first for e in envs]),
    ]
    head = "| axis | " + " | ".join(e.key for e in envs) + " |\n|---|" + "---|" * len(envs) + "\n"
    return head + "\n".join(f"| {name} | " + " | ".join(cells) + " |" for name, cells in rows)
