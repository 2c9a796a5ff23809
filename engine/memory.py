"""Memory footprints: bytes of weights (and, as the engine grows, gradients, optimizer state, activations, KV cache).

Every function returns bytes (decimal, SI) from counts and bit widths; nothing here knows about hardware.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.errors import require_positive
from engine.units import format_auto, format_number


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
