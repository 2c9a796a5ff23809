"""engine.memory: weights, saved activations, working sets, KV cache, context caps, model states, ZeRO."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import memory as M
from engine.errors import EngineInputError


def test_weight_bytes_one_billion_fp16():
    """1e9 parameters at 16 bits are 2e9 bytes."""
    assert M.weight_bytes(1e9, 16) == 1e9 * 16 / 8


def test_saved_bits_relu_sigmoid_gelu():
    """ReLU keeps 1 bit, sigmoid b bits, GELU 2b bits per element."""
    assert (M.saved_bits_per_element("relu", 16), M.saved_bits_per_element("sigmoid", 16),
            M.saved_bits_per_element("gelu", 16)) == (1, 16, 32)


def test_saved_activation_cloud_ratio_16x():
    """v1-05 A: N = 1024·8·4096; ReLU N/8 = 4,194,304 B, sigmoid 2N = 67,108,864 B, ratio 16."""
    n = 1024 * 8 * 4096
    relu = M.saved_activation_bytes(n, "relu", 16)
    sig = M.saved_activation_bytes(n, "sigmoid", 16)
    assert (relu, sig, sig / relu) == (4_194_304, 67_108_864, 16)


def test_working_set_cloud_relu_fits_sigmoid_spills():
    """v1-05 B: ReLU 4.19 + 8.39 + 16.78 + 1.18 = 30.54 MB fits 50 MB; sigmoid 85.07 MB spills 35.07 MB (+20.9 µs)."""
    trained = 8 * 4096 + 4096 * 10 + 10
    relu = M.training_working_set(4096, 8, 1024, 16, "relu", 50e6)
    assert relu.total_bytes == 4_194_304 + 1024 * 4096 * 2 + 2 * 1024 * 4096 * 2 + trained * 16
    assert relu.outcome == "fits"
    sig = M.training_working_set(4096, 8, 1024, 16, "sigmoid", 50e6, backing_bandwidth_bytes_per_s=3.35e12)
    expected = 67_108_864 + 2 * 1024 * 4096 * 2 + trained * 16
    assert sig.total_bytes == expected and sig.outcome == "spill"
    assert sig.spill_penalty_s == pytest.approx(2 * (expected - 50e6) / 3.35e12)
    assert sig.spill_penalty_s * 1e6 == pytest.approx(20.9, abs=0.05)
    assert "Spill" in sig.message() and "ReLU" in sig.message()


def test_working_set_tiny_sigmoid_oom():
    """v1-05 C: tiny sigmoid 200,864 B > 131,072 B with no DRAM behind it is out of memory; ReLU 90,272 B fits."""
    sig = M.training_working_set(128, 8, 32, 32, "sigmoid", 131072)
    assert sig.total_bytes == 131_072 + 32_768 + 37_024 and sig.outcome == "oom"
    relu = M.training_working_set(128, 8, 32, 32, "relu", 131072)
    assert relu.total_bytes == 4_096 + 16_384 + 32_768 + 37_024 and relu.outcome == "fits"
    assert "Out of memory" in sig.message()


def test_working_set_full_finetune_same_for_both():
    """v1-05 B: full fine-tuning stores every layer input, so ReLU and sigmoid both need 2,240.9 MB."""
    row = 1024 * 4096 * 2
    state = 16 * (8 * (4096 * 4096 + 4096) + 4096 * 10 + 10)
    expected = 8 * row + row + 2 * row + state
    for nl in ("relu", "sigmoid", "gelu"):
        assert M.training_working_set(4096, 8, 1024, 16, nl, 50e6, mode="full").total_bytes == expected
    assert expected / 1e6 == pytest.approx(2240.9, abs=0.05)


def test_max_batch_in_budget_cloud_and_tiny():
    """v1-05 D: ⌊(50e6 − 1,179,808)/81,920⌋ = 595 (sigmoid), 1,702 (ReLU); tiny 18 and 56."""
    assert M.max_batch_in_budget(4096, 8, 16, "sigmoid", 50e6) == (50_000_000 - 1_179_808) // 81_920
    assert M.max_batch_in_budget(4096, 8, 16, "relu", 50e6) == (50_000_000 - 1_179_808) // 28_672
    assert M.max_batch_in_budget(128, 8, 32, "sigmoid", 131072) == 18
    assert M.max_batch_in_budget(128, 8, 32, "relu", 131072) == 56


def test_kv_cache_llama2_7b_per_token_and_4k():
    """Fidelity row 30: 2·32·32·128·2 B = 524,288 B per token; 4,096 tokens = 2 GiB."""
    assert M.kv_cache_bytes(32, 32, 128, 16, 1) == 524_288
    assert M.kv_cache_bytes(32, 32, 128, 16, 4096) == 2 * 1024**3


def test_max_context_naive_and_fused_cloud():
    """v1-06 B: 64n² + 524,288n + 13,476,831,232 ≤ 80e9 → 28,403; fused (80e9 − W)/524,288 → 126,882."""
    w = 6_738_415_616 * 2
    n = (-524_288 + math.sqrt(524_288**2 + 4 * 64 * (80e9 - w))) / 128
    assert M.max_context_length(80e9, w, 524_288, 64) == math.floor(n) == 28_403
    assert M.max_context_length(80e9, w, 524_288) == math.floor((80e9 - w) / 524_288) == 126_882


def test_max_context_zero_when_weights_overflow():
    """A model whose weights alone exceed capacity has a context cap of 0 (a value, not an error)."""
    assert M.max_context_length(1e9, 2e9, 1000) == 0


def test_attention_score_bytes_32k():
    """v1-06 self-assessment: 32 × 32,768² × 2 B = 68.72 GB."""
    assert M.attention_score_bytes(32768, 32, 16) == 32 * 32768**2 * 2


def test_model_state_bytes_adam_16_per_param():
    """v1-08 A: 2 + 2 + 4 + 4 + 4 = 16 B per parameter → 112 GB for 7e9."""
    s = M.model_state_bytes(7e9)
    assert s.total_bytes == 7e9 * 16
    assert s.bytes_per_param_components == (14e9, 14e9, 28e9, 56e9)


def test_model_state_sgd_momentum_fp32_no_master():
    """v1-08 self-assessment: fp32 weights + fp32 gradients + one fp32 moment = 12 B/param → 84 GB."""
    assert M.model_state_bytes(7e9, 32, False, "momentum", 32).total_bytes == 7e9 * 12


def test_activation_bytes_v1_08():
    """v1-08 B: 34·sbh·32 = 18.25 GB; naive adds 5·32·4096²·32 = 85.90 GB; full recompute 1.64 GB; ReLU 13.96 GB."""
    sbh = 4096 * 1 * 4096
    assert M.activation_bytes(4096, 1, 4096, 32, 32) == 34 * sbh * 32
    assert M.activation_bytes(4096, 1, 4096, 32, 32, attention="naive") == 34 * sbh * 32 + 5 * 32 * 4096**2 * 32
    assert M.activation_bytes(4096, 1, 4096, 32, 32, checkpointing="full") == 2 * sbh * 32 + 34 * sbh
    assert M.activation_bytes(4096, 1, 4096, 32, 32, nonlinearity="relu") == 26 * sbh * 32


def test_training_footprint_message_names_states():
    """v1-08 B: 112 + 18.25 GB > 80 GB; the sentence says the states, not the activations, are the fix."""
    f = M.training_footprint(112e9, 18.25e9, 80e9)
    assert not f.fits and f.bound == "model states" and "Out of memory" in f.message()


def test_max_trainable_params_full_and_adapters():
    """v1-08 C: 80e9/16 = 5e9; phone 4e9/16 = 2.5e8; adapters at 0.1 %: 80e9/2.016."""
    assert M.max_trainable_params(80e9) == 5e9
    assert M.max_trainable_params(4e9) == 2.5e8
    assert M.max_trainable_params(80e9, "adapters", 0.001) == pytest.approx(80e9 / 2.016)


def test_shard_states_zero_stages_fidelity_row_25():
    """ZeRO: Ψ = 7.5e9, N_d = 64, K = 12: 120, 31.4, 16.6, 1.9 GB per GPU."""
    psi, nd = 7.5e9, 64
    assert M.shard_states(psi, nd, 0).total_bytes == 16 * psi
    assert M.shard_states(psi, nd, 1).total_bytes == 4 * psi + 12 * psi / nd
    assert M.shard_states(psi, nd, 2).total_bytes == 2 * psi + 14 * psi / nd
    assert M.shard_states(psi, nd, 3).total_bytes == 16 * psi / nd
    assert M.shard_states(psi, nd, 3).communication_x == 1.5


def test_shard_states_v1_08_zero1():
    """v1-08 D: 14 + 14 + 84/8 = 38.5 GB per GPU."""
    assert M.shard_states(7e9, 8, 1).total_bytes == 14e9 + 14e9 + 84e9 / 8


@pytest.mark.parametrize("bad", [0, -3, float("nan"), float("inf"), 1.5])
def test_bad_batch_raises_one_error_form(bad):
    """A bad batch raises EngineInputError with the house sentence."""
    with pytest.raises(EngineInputError, match="`batch` must be a positive integer"):
        M.training_working_set(128, 8, bad, 32, "relu", 131072)


def test_unknown_nonlinearity_raises():
    """An unknown nonlinearity names the choices."""
    with pytest.raises(EngineInputError, match="`nonlinearity` must be one of"):
        M.saved_bits_per_element("tanh", 16)


@given(st.integers(1, 4096), st.integers(1, 4096), st.sampled_from(["relu", "sigmoid", "gelu"]))
def test_working_set_parts_add_up_and_grow_with_batch(b1, b2, nl):
    """Parts sum to the total, and a larger batch never needs less memory."""
    small, big = sorted((b1, b2))
    a = M.training_working_set(256, 4, small, 16, nl, 1e9)
    b = M.training_working_set(256, 4, big, 16, nl, 1e9)
    assert a.total_bytes == a.saved_bytes + a.head_input_bytes + a.buffer_bytes + a.trainable_state_bytes
    assert a.total_bytes <= b.total_bytes


@given(st.floats(1e6, 1e12), st.sampled_from([0, 1, 2, 3]), st.integers(1, 1024))
def test_shard_states_never_exceed_unsharded(params, stage, gpus):
    """Sharding never increases per-GPU state, and one GPU equals no sharding."""
    assert M.shard_states(params, gpus, stage).total_bytes <= M.shard_states(params, 1, 0).total_bytes * (1 + 1e-12)
    assert M.shard_states(params, 1, stage).total_bytes == pytest.approx(16 * params)


@given(st.floats(1e9, 1e11), st.floats(1e5, 1e7), st.floats(0, 100))
def test_max_context_monotone_in_capacity(cap, kv, s):
    """More capacity never shortens the context cap."""
    w = 1e8
    assert M.max_context_length(cap, w, kv, s) <= M.max_context_length(cap * 1.5, w, kv, s)
