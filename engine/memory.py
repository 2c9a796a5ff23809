"""Memory footprints: bytes of weights (and, as the engine grows, gradients, optimizer state, activations, KV cache).

Every function returns bytes (decimal, SI) from counts and bit widths; nothing here knows about hardware.
"""

from __future__ import annotations

from engine.errors import require_positive


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
