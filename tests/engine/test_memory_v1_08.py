"""engine.memory additions for v1-08: adapter states, sharding by bytes, per-layer activation blocks, and the
per-GPU training-memory check. Expected values are hand-computed from the v1-08 spec's arithmetic."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import memory as M
from engine.errors import EngineInputError

N = 7e9
SBH = 4096 * 1 * 4096  # 16,777,216


# --- adapter_state_bytes ---------------------------------------------------------------------------------------


def test_adapter_states_beta_2_016():
    """0.1 % adapters on a 16-bit base: 2 + 16 × 0.001 = 2.016 B per base parameter."""
    s = M.adapter_state_bytes(N, 0.001)
    assert math.isclose(s.total_bytes, N * 2.016, rel_tol=1e-12)


def test_adapter_states_parts():
    """Frozen base + adapter weights under weights; gradients, master and moments are the adapters' only."""
    s = M.adapter_state_bytes(1e9, 0.01)
    assert math.isclose(s.weights_bytes, 1e9 * 2 + 1e7 * 2, rel_tol=1e-12)
    assert math.isclose(s.gradients_bytes, 1e7 * 2, rel_tol=1e-12)
    assert math.isclose(s.master_bytes, 1e7 * 4, rel_tol=1e-12)
    assert math.isclose(s.optimizer_bytes, 1e7 * 8, rel_tol=1e-12)


def test_adapter_states_8bit_moments():
    """8-bit moments: adapters cost 2 + 2 + 4 + 1 + 1 = 10 B each, on top of the 2 B frozen base."""
    s = M.adapter_state_bytes(1e9, 0.1, state_bits=8)
    assert math.isclose(s.total_bytes, 1e9 * 2 + 1e8 * 10, rel_tol=1e-12)


def test_adapter_states_reject_zero_fraction():
    """A zero or above-one adapter share is an input error in the one error form."""
    with pytest.raises(EngineInputError, match="`trainable_fraction` must be"):
        M.adapter_state_bytes(N, 0.0)
    with pytest.raises(EngineInputError, match="`trainable_fraction` must be"):
        M.adapter_state_bytes(N, 1.5)


# --- shard_state_bytes -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("stage", "expected_gb", "comm"), [
    (0, 14 + 14 + 84, 1.0),
    (1, 14 + 14 + 84 / 8, 1.0),
    (2, 14 + 14 / 8 + 84 / 8, 1.0),
    (3, 14 / 8 + 14 / 8 + 84 / 8, 1.5),
])
def test_shard_state_bytes_v1_08(stage, expected_gb, comm):
    """v1-08 D: 112 GB of states on 8 GPUs → 112 / 38.5 / 26.25 / 14.0 GB per GPU; stage 3 moves 1.5×."""
    s = M.shard_state_bytes(14e9, 14e9, 84e9, 8, stage)
    assert math.isclose(s.total_bytes, expected_gb * 1e9, rel_tol=1e-12)
    assert s.communication_x == comm and s.stage == stage


def test_shard_state_bytes_matches_shard_states():
    """Sharding byte totals agrees with the parameter-based shard_states for full Adam."""
    for stage in range(4):
        assert math.isclose(M.shard_state_bytes(14e9, 14e9, 84e9, 8, stage).total_bytes,
                            M.shard_states(N, 8, stage).total_bytes, rel_tol=1e-12)


def test_shard_state_bytes_one_gpu_is_identity():
    """On one GPU every stage leaves the states whole."""
    assert M.shard_state_bytes(1.0, 2.0, 3.0, 1, 3).total_bytes == 6.0


def test_shard_state_bytes_rejects_bad_stage():
    """Stage 4 is not a ZeRO stage."""
    with pytest.raises(EngineInputError, match="`stage` must be one of"):
        M.shard_state_bytes(1.0, 1.0, 1.0, 8, 4)


# --- layer_activation_blocks -----------------------------------------------------------------------------------


def test_layer_blocks_gelu_fused():
    """Attention 11·sbh, MLP 19·sbh, LayerNorms 4·sbh, no scores: 34 × 16,777,216 = 570,425,344 B."""
    b = M.layer_activation_blocks(4096, 1, 4096, 32)
    assert (b.attention_bytes, b.mlp_bytes, b.layernorm_bytes, b.scores_bytes) == (11 * SBH, 19 * SBH, 4 * SBH, 0)
    assert b.total_bytes == 570_425_344


def test_layer_blocks_relu_and_naive():
    """ReLU: MLP 11·sbh (total 26·sbh); naive attention adds 5 × 32 × 4,096² = 2,684,354,560 B."""
    assert M.layer_activation_blocks(4096, 1, 4096, 32, "relu").total_bytes == 26 * SBH
    assert M.layer_activation_blocks(4096, 1, 4096, 32, attention="naive").scores_bytes == 5 * 32 * 4096**2


@given(st.sampled_from([512, 1024, 4096, 32768]), st.sampled_from([1, 2, 64]),
       st.sampled_from(["gelu", "relu", "sigmoid"]), st.sampled_from(["fused", "naive"]))
def test_layer_blocks_sum_to_activation_bytes(s, b, nl, attn):
    """L layers of blocks equal activation_bytes without recompute (conservation)."""
    blocks = M.layer_activation_blocks(s, b, 4096, 32, nl, attn)
    assert math.isclose(32 * blocks.total_bytes, M.activation_bytes(s, b, 4096, 32, 32, nl, attn), rel_tol=1e-12)


# --- check_training_memory -------------------------------------------------------------------------------------


def test_check_states_only_cloud_message():
    """v1-08 A: 112 GB > 80 GB, 1.40×, before any activation; first fix shards the 84 GB of optimizer state."""
    m = M.check_training_memory(14e9, 14e9, 84e9, 0.0, 80e9)
    assert not m.fits and math.isclose(m.ratio, 112 / 80, rel_tol=1e-12)
    assert m.binding == "optimizer_state"
    assert m.message() == (
        "Out of memory before training starts: model states 112.0 GB > 80.0 GB (1.40×). First fix: shard the "
        "84.0 GB of optimizer state across GPUs (ZeRO-1), or train fewer parameters."
    )


def test_check_tiny_ratio_whole_units():
    """Against 1 MiB: 1.12e11 / 1,048,576 = 106,811.5 → shown as 106,812×."""
    m = M.check_training_memory(14e9, 14e9, 84e9, 0.0, 1_048_576)
    assert "(106,812×)" in m.message()


def test_check_with_activations_states_bind():
    """v1-08 B/D: 112 + 18.25 = 130.25 GB per GPU on 8 GPUs; the states are the problem, not the activations."""
    act = 34 * SBH * 32
    m = M.check_training_memory(14e9, 14e9, 84e9, act, 80e9, gpus=8, stage=0, where=" per GPU")
    assert math.isclose(m.total_bytes, 112e9 + act, rel_tol=1e-12)
    assert not m.states_fit and m.binding == "optimizer_state"
    assert m.message() == (
        "Out of memory: 130.3 GB per GPU > 80.0 GB (1.63×); activations are 18.25 GB of it. First fix: the model "
        "states, not the activations: shard the 84.0 GB of optimizer state across the 8 GPUs (ZeRO-1)."
    )


def test_check_activations_bind_when_states_fit():
    """Adapter states 14.1 GB + naive activations 104.15 GB > 80 GB: the activations are the largest part."""
    act = (34 * SBH + 5 * 32 * 4096**2) * 32
    m = M.check_training_memory(14.014e9, 0.014e9, 0.084e9, act, 80e9)
    assert m.states_fit and not m.fits and m.binding == "activations"
    assert "First fix: full activation checkpointing" in m.message()


def test_check_fits_has_no_message():
    """ZeRO-1 on 8 GPUs: 38.5 + 18.25 = 56.75 GB ≤ 80 GB, no message."""
    act = 34 * SBH * 32
    m = M.check_training_memory(14e9, 14e9, 84e9 / 8, act, 80e9, gpus=8, stage=1)
    assert m.fits and m.message() == "" and math.isclose(m.total_bytes, 38.5e9 + act, rel_tol=1e-12)


def test_check_weights_bind_suggests_zero3():
    """Weights largest on 8 GPUs at stage 2 → shard the weights too (ZeRO-3)."""
    m = M.check_training_memory(100e9, 1e9, 1e9, 0.0, 80e9, gpus=8, stage=2)
    assert m.binding == "weights" and "(ZeRO-3)" in m.message()


def test_check_parts_add_up():
    """total = weights + gradients + optimizer + activations."""
    m = M.check_training_memory(1.0, 2.0, 3.0, 4.0, 100.0)
    assert m.total_bytes == 10.0 and m.states_bytes == 6.0


def test_check_rejects_negative_bytes():
    """Negative bytes are an input error."""
    with pytest.raises(EngineInputError, match="`activation_bytes_total` must be a non-negative number"):
        M.check_training_memory(1.0, 1.0, 1.0, -1.0, 10.0)
