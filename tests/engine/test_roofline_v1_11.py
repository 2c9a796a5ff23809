"""Engine additions for v1-11: decode-step intensity and the keyword-spotting stand-in layer (hand-computed)."""

from __future__ import annotations

import math

import pytest

from engine.errors import EngineInputError
from engine.provenance import Kind
from engine.registry.models import KWS_DENSE_256
from engine.roofline import decode_intensity


def test_decode_intensity_cloud_optimum():
    """2 × 6,738,415,616 × 64 / 72.58e9 B ≈ 11.9 FLOP/B (spec Part D reveal)."""
    total = 3.6 * 2**30 + 64 * 524_288 * 2048
    assert math.isclose(decode_intensity(6_738_415_616, 64, total), 2 * 6_738_415_616 * 64 / total, rel_tol=1e-12)
    assert round(decode_intensity(6_738_415_616, 64, total), 1) == 11.9


def test_decode_intensity_batch_one_fp16():
    """Batch 1 with FP16 weights only: 2N / 2N = 1 FLOP/B."""
    assert decode_intensity(1e9, 1, 2e9) == 1.0


@pytest.mark.parametrize("args", [(0, 1, 1), (1, 0, 1), (1, 1, -5)])
def test_decode_intensity_rejects_non_positive(args):
    """Non-positive parameters, batch or bytes raise the engine's one error form."""
    with pytest.raises(EngineInputError, match="must be"):
        decode_intensity(*args)


def test_kws_dense_256_shape():
    """4 layers × 256 × 256 = 262,144 parameters; every number cited, the stand-in ones as assumed."""
    assert KWS_DENSE_256.params == 4 * 256 * 256
    assert (KWS_DENSE_256.layers, KWS_DENSE_256.hidden, KWS_DENSE_256.ffn_hidden) == (4, 256, 256)
    assert KWS_DENSE_256.citations["params"].kind is Kind.DERIVED
    assert all(KWS_DENSE_256.citations[f].kind is Kind.ASSUMED for f in ("layers", "hidden", "ffn_hidden"))
