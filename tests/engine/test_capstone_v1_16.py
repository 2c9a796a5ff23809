"""engine.capstone additions for the v1-16 replay: v1-08's state format, adapters and nonlinearity; v1-09's scorer
pricing and target metric. Expected values are computed by hand from the source labs' arithmetic."""

import dataclasses
import math

from engine import capstone as C
from engine import data
from engine.registry.datasets import DATACOMP_BASELINES

GB = 1e9


def test_training_state_bytes_preset_zero1():
    """ZeRO-1 on 8 GPUs, 7e9 params: W 2 B + G 2 B whole, K = 12 B sharded: 14 + 14 + 84/8 = 38.5 GB."""
    assert math.isclose(C.training_state_bytes(C.Design()), 7e9 * 2 + 7e9 * 2 + 7e9 * 12 / 8, rel_tol=1e-12)


def test_training_state_bytes_8bit_states():
    """8-bit Adam moments: K = 4 B master + 2 × 1 B = 6 B/param → 14 + 14 + 42/8 = 33.25 GB per GPU."""
    d = dataclasses.replace(C.Design(), train_state_bits=8)
    assert math.isclose(C.training_state_bytes(d), 14 * GB + 14 * GB + 7e9 * 6 / 8, rel_tol=1e-12)


def test_training_state_bytes_adapters():
    """1 % adapters, ZeRO-0: frozen 2 B × 7e9 + 16 B × 7e7 trained = 14 + 1.12 GB."""
    d = dataclasses.replace(C.Design(), train_adapters=0.01, zero_stage=0)
    assert math.isclose(C.training_state_bytes(d), 7e9 * 2 + 7e7 * 16, rel_tol=1e-12)


def test_g1_uses_the_nonlinearity():
    """Sigmoid keeps c = 26 instead of 34: activations 4,096 × 4,096 × 26 × 32 B; G1 = 38.5 GB + that."""
    d = dataclasses.replace(C.Design(), train_nonlinearity="sigmoid")
    assert math.isclose(C.replay(d).get("G1").value, 38.5 * GB + 4096 * 4096 * 26 * 32, rel_tol=1e-12)
    assert math.isclose(C.replay(C.Design()).get("G1").value, 38.5 * GB + 4096 * 4096 * 34 * 32, rel_tol=1e-12)


def test_data_plan_cost_prices_every_scorer_as_v1_09_does():
    """G8 equals v1-09's curation_plan_cost (η = 25 %, $23/TB-month, 1 month); LAION pays for its scorer."""
    d = dataclasses.replace(C.Design(), data_filter="laion")
    want = data.curation_plan_cost("medium", "laion", 2.5, 0.25, 23.0, 1.0).total_usd
    assert math.isclose(C.replay(d).get("G8").value, want, rel_tol=1e-12)
    assert C.data_plan_cost_usd(d) > data.plan_cost("medium", "laion").total_usd


def test_preset_cost_matches_the_spec():
    """Preset G8: $182.47 in the spec (display-rounded inputs); 0.912 of the $200 budget."""
    assert math.isclose(C.data_plan_cost_usd(C.Design()), 182.47, rel_tol=5e-4)
    assert round(C.replay(C.Design()).get("G8").ratio, 3) == 0.912


def test_g9_uses_the_recorded_metric():
    """With the ImageNet metric G9's value is the DataComp ImageNet cell of the plan, not the 38-task average."""
    d = dataclasses.replace(C.Design(), data_metric="imagenet")
    cell = DATACOMP_BASELINES[("medium", "image_clip", "imagenet")].published
    assert C.replay(d).get("G9").value == cell
