"""engine.training.mlp_step_flop (v1-05): FLOP of one adaptation step, against hand arithmetic."""

from __future__ import annotations

import math

import pytest

from engine.errors import EngineInputError
from engine.training import mlp_step_flop


def test_frozen_cloud_step():
    """Cloud job frozen: 2 × 2 × 1024 × 4096² × 8 = 549,755,813,888 FLOP."""
    assert math.isclose(mlp_step_flop(4096, 8, 1024), 2 * 2 * 1024 * 4096**2 * 8, rel_tol=1e-12)


def test_full_adds_weight_gradient():
    """Full fine-tuning adds the weight-gradient GEMM: 3 × 2 × 32 × 128² × 8 = 25,165,824 FLOP."""
    assert math.isclose(mlp_step_flop(128, 8, 32, "full"), 3 * 2 * 32 * 128**2 * 8, rel_tol=1e-12)
    assert math.isclose(mlp_step_flop(128, 8, 32, "full") / mlp_step_flop(128, 8, 32), 1.5, rel_tol=1e-12)


def test_linear_in_batch():
    """Doubling the batch doubles the step's FLOP."""
    assert math.isclose(mlp_step_flop(1024, 8, 512), 2 * mlp_step_flop(1024, 8, 256), rel_tol=1e-12)


@pytest.mark.parametrize("kwargs", [{"width": 0, "depth": 8, "batch": 1}, {"width": 8, "depth": 8, "batch": -1},
                                    {"width": 8, "depth": 8, "batch": 1, "mode": "lora"}])
def test_bad_arguments(kwargs):
    """Non-positive sizes and unknown modes raise the engine's one error form."""
    with pytest.raises(EngineInputError, match="must be"):
        mlp_step_flop(**kwargs)
