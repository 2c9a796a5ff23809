"""Lab v1-08 (112 GB Before the First Activation): every reveal value against the spec's own arithmetic.

Expected values are computed here by hand from the numbers the spec prints (shared/labs/v1-08.md), never read back
from the engine. Deliberate differences from the spec, each tested below: the H100's dense bf16 peak is the
registry's 989.5 TFLOP/s (half of 1,979), so the run costs $73.69, not $73.73; Part D opens on the server's 8 GPUs;
Part B adds "Memory to fit in" and "Model states" and splits its card; the parameter sliders start at 1e4.
"""

from __future__ import annotations

import math

import pytest

from labs.runtime import evaluate, reveal
from labs.schema import ChoicePrediction, NumericPrediction, Select, validate_lab
from labs.v1_08 import LAB

HOME, NONLIN, ATTN = "v1-00.home_context", "v1-05.nonlinearity", "v1-06.attention_impl"
MIB = 1024 * 1024
CAP = {"cloud": 80e9, "edge": 64e9, "mobile": 4e9, "tiny": 1 * MIB}  # training memory per context
N = 7e9
S, H, L, A = 4096, 4096, 32, 32
SBH = S * 1 * H  # 16,777,216
STATES = N * (2 + 2 + 4 + 4 + 4)  # 1.12e11 B
ACT = 34 * SBH * L  # 18.25 GB
PEAK = 1979e12 / 2  # H100 SXM dense bf16, half the sparse datasheet figure


def run(part: str, inputs: dict | None = None, home: str = "cloud", nonlin: str = "gelu",
        attn: str = "fused") -> dict:
    return evaluate(LAB, part, inputs or {}, {HOME: home, NONLIN: nonlin, ATTN: attn})


def raw(part: str, inputs: dict | None = None, **ledger) -> dict:
    return run(part, inputs, **ledger)["raw"]


def failure_ids(part: str, inputs: dict | None = None, **ledger) -> list[str]:
    return [f["id"] for f in run(part, inputs, **ledger)["failures"]]


def close(a: float, b: float, rel: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel)


# --- the lab as a whole ----------------------------------------------------------------------------------------


def test_lab_validates():
    """validate_lab finds no problem in v1-08."""
    assert [] == validate_lab(LAB)


def test_seed_questions_verbatim():
    """Each prediction prompt and scenario quote is the spec's, word for word."""
    assert LAB.core_question == "Why does a 7B parameter model need 112 GB of memory before storing a single activation?"
    assert LAB.part("A").prediction.prompt == (
        "How much memory does training need before a single activation is stored?"
    )
    assert LAB.part("A").scenario.text.endswith(
        "how much memory does training need before a single activation is stored?"
    )
    assert LAB.part("B").prediction.prompt == "Activation memory for one 4,096-token sequence, no checkpointing."
    assert LAB.part("B").scenario.text.startswith("Fine, 112 GB. But our transcripts are 4,096 tokens long.")
    assert LAB.part("C").prediction.prompt == (
        "Largest model the phone (4 GB budget) can fully fine-tune with Adam, before activations."
    )
    assert "'personalised fine-tuning everywhere'" in LAB.part("C").scenario.text
    assert LAB.part("D").prediction.prompt == "Which single change makes each GPU fit?"
    assert LAB.part("D").scenario.text.startswith("We have one 8×H100 server for a week.")


def test_prediction_declarations():
    """Units and ranges: GB 1–1,000; GB 0.1–1,000; parameters 1e3–1e11; four choices."""
    a, b, c, d = (LAB.part(p).prediction for p in "ABCD")
    assert isinstance(a, NumericPrediction) and (a.unit, a.min, a.max, a.scale) == ("GB", 1, 1000, "log")
    assert isinstance(b, NumericPrediction) and (b.unit, b.min, b.max) == ("GB", 0.1, 1000)
    assert isinstance(c, NumericPrediction) and (c.unit, c.min, c.max) == ("parameters", 1e3, 1e11)
    assert isinstance(d, ChoicePrediction) and [o.key for o in d.options] == ["a", "b", "c", "d"]


# --- Part A ----------------------------------------------------------------------------------------------------


def test_a_bytes_per_parameter():
    """2 (bf16 weights) + 2 (bf16 gradients) + 4 (fp32 master) + 4 + 4 (moments) = 16 B."""
    r = raw("A")
    assert (r["bpp_weights"], r["bpp_gradients"], r["bpp_master"], r["bpp_moment1"], r["bpp_moment2"]) == (
        16 / 8, 16 / 8, 32 / 8, 32 / 8, 32 / 8)
    assert r["bytes_per_param"] == 2 + 2 + 4 + 4 + 4


def test_a_reveal_112_gb():
    """7e9 × 16 = 1.12e11 B = 112 GB = 104.3 GiB; optimizer-related 12 / 16 = 75 %."""
    r = raw("A")
    assert close(r["states_total"], 7e9 * 16)
    assert round(r["states_gib"] / 2**30, 1) == 104.3
    assert close(r["optimizer_share"], (4 + 4 + 4) / 16)
    assert (r["weights_total"], r["gradients_total"], r["master_total"]) == (14e9, 14e9, 28e9)
    assert close(r["moments_total"], 28e9 + 28e9)
    text = reveal(LAB, "A", 14, {})["text"]
    assert text == "You predicted 14.0 GB. Actual: 112.0 GB. Off by 8.0× (under)."


@pytest.mark.parametrize(("home", "factor"), [("cloud", "1.40×"), ("edge", "1.75×"), ("mobile", "28.0×"),
                                              ("tiny", "106,812×")])
def test_a_failure_per_home(home, factor):
    """112 GB over each home's memory: 112/80 = 1.40, 112/64 = 1.75, 112/4 = 28, 1.12e11 / 1,048,576 = 106,812."""
    r = raw("A", home=home)
    assert close(r["home_share"], STATES / CAP[home])
    fails = run("A", home=home)["failures"]
    assert [f["id"] for f in fails] == ["states_oom"]
    assert f"({factor})" in fails[0]["message"]


def test_a_failure_message_cloud():
    """The cloud card names value, limit, factor and the first fix (shard the optimizer state)."""
    assert run("A")["failures"][0]["message"] == (
        "Out of memory before training starts: model states 112.0 GB > 80.0 GB (1.40×). First fix: shard the "
        "84.0 GB of optimizer state across GPUs (ZeRO-1), or train fewer parameters."
    )


def test_a_failure_clears_and_returns():
    """Cloud: 5e9 × 16 = 80 GB fits; SGD (2 + 2 + 4 = 8 B → 56 GB) fits; back to the defaults it returns."""
    assert failure_ids("A", {"params": 5e9}) == []
    assert failure_ids("A", {"optimizer": "sgd"}) == []
    assert close(raw("A", {"optimizer": "sgd"})["states_total"], 7e9 * 8)
    assert failure_ids("A", {"params": 7e9}) == ["states_oom"]


def test_a_tiny_clears_below_65536_params():
    """Tiny: 5e4 × 16 = 800 kB fits in 1 MiB of SRAM; 7e4 × 16 = 1.12 MB does not."""
    assert failure_ids("A", {"params": 5e4}, home="tiny") == []
    assert failure_ids("A", {"params": 7e4}, home="tiny") == ["states_oom"]


def test_a_momentum_fp32_no_master_is_12_bytes():
    """Self-assessment 1: fp32 weights + fp32 gradients + one fp32 moment = 4 + 4 + 4 = 12 B → 84 GB."""
    r = raw("A", {"weight_bits": "32", "master_copy": False, "optimizer": "momentum"})
    assert r["bytes_per_param"] == 4 + 4 + 4
    assert close(r["states_total"], 7e9 * 12)
    assert r["bpp_moment2"] == 0


def test_a_chart_components_and_line():
    """The total and five components in GB, the total failing, the line at the home memory."""
    chart = run("A", home="edge")["charts"]["components"]
    ys = chart["series"][0]["y"]
    assert [round(y, 6) for y in ys] == [112, 14, 14, 28, 28, 28]
    assert chart["series"][0]["status"][0] == "fail"
    assert chart["lines"][0]["y"] == 64


# --- Part B ----------------------------------------------------------------------------------------------------


def test_b_reveal_18_25_gb():
    """s·b·h = 16,777,216; per layer 34 × 16,777,216 = 570,425,344 B; × 32 = 18.25 GB."""
    r = raw("B")
    assert r["sbh"] == "16,777,216"
    assert r["per_layer"] == 34 * 16_777_216 == 570_425_344
    assert r["activations"] == 570_425_344 * 32
    assert round(r["activations"] / 1e9, 2) == 18.25


def test_b_blocks():
    """Attention 11·sbh, MLP 19·sbh, LayerNorms 4·sbh, no score term with fused attention."""
    r = raw("B")
    assert (r["attention_block"], r["mlp_block"], r["layernorm_block"], r["scores_block"]) == (
        11 * SBH, 19 * SBH, 4 * SBH, 0)


def test_b_total_130_25_and_card():
    """112 + 18.25 = 130.25 GB > 80 GB (1.63×): the model states, not the activations."""
    r = raw("B")
    assert close(r["total"], STATES + ACT)
    assert round(r["total"] / 1e9, 2) == 130.25
    fails = run("B")["failures"]
    assert [f["id"] for f in fails] == ["states_oom"]
    assert fails[0]["message"].startswith("Out of memory: 130.3 GB > 80.0 GB (1.63×); activations are 18.25 GB of it.")
    assert "First fix: the model states, not the activations" in fails[0]["message"]


def test_b_relu_from_v1_05():
    """v1-05 ReLU (or sigmoid): 26 × s·b·h × 32 = 13.96 GB; the instrument opens on the ledger value."""
    for nl in ("relu", "sigmoid"):
        view = run("B", nonlin=nl)
        assert view["inputs"]["nonlinearity"] == nl
        assert view["raw"]["activations"] == 26 * SBH * 32
        assert round(view["raw"]["activations"] / 1e9, 2) == 13.96


def test_b_naive_from_v1_06():
    """v1-06 naive: + 5 × 32 × 4,096² × 32 = 85.90 GB → 104.15 GB of activations."""
    view = run("B", attn="naive")
    assert view["inputs"]["attention_impl"] == "naive"
    scores = 5 * 32 * 4096**2 * 32
    assert round(scores / 1e9, 2) == 85.90
    assert view["raw"]["activations"] == ACT + scores
    assert round(view["raw"]["activations"] / 1e9, 2) == 104.15


def test_b_full_checkpointing():
    """Full recompute: 32 × 2·sbh + 34·sbh = 1.07 + 0.57 = 1.64 GB; it removes ~16.6 GB (self-assessment 2)."""
    r = raw("B", {"checkpointing": "full"})
    assert r["activations"] == 32 * 2 * SBH + 34 * SBH
    assert round(r["activations"] / 1e9, 2) == 1.64
    assert round((ACT - r["activations"]) / 1e9, 1) == 16.6
    assert failure_ids("B", {"checkpointing": "full"}) == ["states_oom"]  # 113.64 GB still > 80 GB


def test_b_seq_8192():
    """Self-assessment 3: 32 × 34 × 8,192 × 4,096 = 36.51 GB."""
    assert round(raw("B", {"seq_len": "8192"})["activations"] / 1e9, 2) == round(32 * 34 * 8192 * 4096 / 1e9, 2) == 36.51


def test_b_card_clears_with_adapters_and_returns():
    """Adapters: 7e9 × 2.016 = 14.11 GB + 18.25 GB = 32.4 GB fits; back to full fine-tune the card returns."""
    r = raw("B", {"states": "adapters"})
    assert close(r["states"], 7e9 * (2 + 16 * 0.001))
    assert failure_ids("B", {"states": "adapters"}) == []
    assert failure_ids("B", {"states": "full"}) == ["states_oom"]


def test_b_activations_card_with_naive_attention():
    """Naive attention + adapters: 14.11 + 104.15 = 118.3 GB > 80 GB: now the activations push it over."""
    fails = run("B", {"states": "adapters"}, attn="naive")["failures"]
    assert [f["id"] for f in fails] == ["activations_oom"]
    assert "First fix: full activation checkpointing" in fails[0]["message"]
    assert failure_ids("B", {"states": "adapters", "checkpointing": "full"}, attn="naive") == []


@pytest.mark.parametrize(("home", "fit_on"), [("cloud", "cloud"), ("edge", "edge"), ("mobile", "cloud"),
                                              ("tiny", "cloud")])
def test_b_fit_on_follows_home(home, fit_on):
    """Part B opens on the home context, or on the cloud GPU when home is the phone or the microcontroller."""
    view = run("B", home=home)
    assert view["inputs"]["fit_on"] == fit_on
    assert view["raw"]["capacity"] == CAP[fit_on]


def test_b_edge_ratio():
    """Edge home: 130.25 / 64 = 2.04×."""
    assert close(raw("B", home="edge")["ratio"], (STATES + ACT) / 64e9)


# --- Part C ----------------------------------------------------------------------------------------------------


def test_c_full_ceilings():
    """Full: cloud 80e9 / 16 = 5.0e9; edge 64e9 / 16 = 4.0e9; mobile 4e9 / 16 = 2.5e8; tiny 1,048,576 / 16 = 65,536."""
    r = raw("C")
    assert (r["max_full_cloud"], r["max_full_edge"], r["max_full_mobile"], r["max_full_tiny"]) == (
        80e9 / 16, 64e9 / 16, 4e9 / 16, MIB / 16)
    assert r["max_full_tiny"] == 65_536
    assert reveal(LAB, "C", 1e9, {})["text"] == (
        "You predicted 1.00 × 10⁹ parameters. Actual: 2.50 × 10⁸ parameters. Off by 4.0× (over)."
    )


def test_c_adapter_ceilings():
    """Adapters at 0.1 % (2.016 B/param): cloud 3.97e10, edge 3.17e10, mobile 1.98e9, tiny 5.2e5."""
    r = raw("C")
    beta = 2 + 16 * 0.001
    assert close(r["beta_adapters"], beta)
    for ctx, shown in (("cloud", 3.97e10), ("edge", 3.17e10), ("mobile", 1.98e9), ("tiny", 5.20e5)):
        assert close(r[f"max_adapters_{ctx}"], CAP[ctx] / beta)
        assert float(f"{r[f'max_adapters_{ctx}']:.3g}") == shown


def test_c_failures_at_7b():
    """7B full fine-tune fails everywhere; the phone's card: 112 GB > 4 GB (28×), adapters on a ≤ 2B model."""
    fails = run("C")["failures"]
    assert [f["id"] for f in fails] == ["fails_cloud", "fails_edge", "fails_mobile", "fails_tiny"]
    mobile = fails[2]["message"]
    assert "7B full fine-tune needs 112 GB > 4.00 GB app budget (28.0×)" in mobile
    assert "First fix: adapters on a ≤ 1.98B model, or train in the cloud." in mobile


def test_c_failures_clear_and_return():
    """5e9 clears the cloud card (80 GB exactly); adapters at 7B clear cloud and edge (14.1 GB); 7e9 brings them back."""
    assert "fails_cloud" not in failure_ids("C", {"target_params": 5e9})
    assert failure_ids("C", {"mode": "adapters"}) == ["fails_mobile", "fails_tiny"]
    assert failure_ids("C", {"target_params": 5e4}) == []
    assert failure_ids("C", {"target_params": 7e9}) == ["fails_cloud", "fails_edge", "fails_mobile", "fails_tiny"]


def test_c_chart_two_series():
    """Log bars per context: full and adapter ceilings, with the chosen model as the line."""
    chart = run("C")["charts"]["max_params"]
    assert [s["name"] for s in chart["series"]] == ["full Adam", "adapters"]
    assert chart["series"][0]["y"][2] == 4e9 / 16
    assert chart["lines"][0]["y"] == 7e9


# --- Part D ----------------------------------------------------------------------------------------------------


def test_d_default_is_plain_data_parallel_on_8():
    """Default: 8 GPUs, stage 0: 14 + 14 + 84 + 18.25 = 130.25 GB per GPU, and the card says shard the 84 GB."""
    r = raw("D")
    assert (r["weights_gpu"], r["gradients_gpu"], r["optimizer_gpu"]) == (14e9, 14e9, 84e9)
    assert close(r["total_per_gpu"], 112e9 + ACT)
    fails = run("D")["failures"]
    assert [f["id"] for f in fails] == ["oom_per_gpu"]
    assert fails[0]["message"].startswith("Out of memory: 130.3 GB per GPU > 80.0 GB (1.63×)")
    assert "shard the 84.0 GB of optimizer state across the 8 GPUs (ZeRO-1)" in fails[0]["message"]


def test_d_option_a_checkpointing_fails():
    """(a) 112 + 1.64 = 113.64 GB: fails."""
    r = raw("D", {"checkpointing": "full"})
    assert close(r["total_per_gpu"], 112e9 + 32 * 2 * SBH + 34 * SBH)
    assert round(r["total_per_gpu"] / 1e9, 2) == 113.64
    assert failure_ids("D", {"checkpointing": "full"}) == ["oom_per_gpu"]


def test_d_option_b_8bit_fails():
    """(b) 2 + 2 + 4 + 1 + 1 = 10 B/param → 70 + 18.25 = 88.25 GB: fails."""
    r = raw("D", {"state_bits": "8"})
    assert close(r["states_gpu"], 7e9 * (2 + 2 + 4 + 1 + 1))
    assert round(r["total_per_gpu"] / 1e9, 2) == 88.25
    assert failure_ids("D", {"state_bits": "8"}) == ["oom_per_gpu"]


def test_d_option_c_zero1_fits():
    """(c) ZeRO-1 on 8: 14 + 14 + 84/8 = 38.5 + 18.25 = 56.75 GB, fits, 1.0× communication."""
    r = raw("D", {"zero_stage": 1})
    assert close(r["states_gpu"], 14e9 + 14e9 + 84e9 / 8)
    assert round(r["total_per_gpu"] / 1e9, 2) == 56.75
    assert r["communication"] == 1.0
    assert failure_ids("D", {"zero_stage": 1}) == []
    assert failure_ids("D", {"zero_stage": 0}) == ["oom_per_gpu"]


def test_d_zero2_zero3():
    """ZeRO-2: 26.25 + 18.25 = 44.50; ZeRO-3: 14.0 + 18.25 = 32.25 with 1.5× communication."""
    z2, z3 = raw("D", {"zero_stage": 2}), raw("D", {"zero_stage": 3})
    assert close(z2["states_gpu"], 14e9 + 14e9 / 8 + 84e9 / 8) and round(z2["total_per_gpu"] / 1e9, 2) == 44.50
    assert close(z3["states_gpu"], 112e9 / 8) and round(z3["total_per_gpu"] / 1e9, 2) == 32.25
    assert z3["communication"] == 1.5


def test_d_answer_c():
    """Only sharding the optimizer state makes each GPU fit: (c)."""
    assert raw("D")["single_change_answer"] == "c"
    assert reveal(LAB, "D", "a", {})["text"] == (
        "You predicted (a) full activation checkpointing. Actual: (c) sharding optimizer states across the 8 GPUs "
        "(ZeRO-1). Not this time."
    )
    assert reveal(LAB, "D", "c", {})["correct"] is True


def test_d_answer_with_relu():
    """With v1-05 ReLU: 112 + 13.96 fails, 70 + 13.96 = 83.96 fails, 38.5 + 13.96 fits: still (c)."""
    assert raw("D", nonlin="relu")["single_change_answer"] == "c"
    assert close(raw("D", {"state_bits": "8"}, nonlin="relu")["total_per_gpu"], 70e9 + 26 * SBH * 32)


def test_d_run_time_and_cost():
    """6 × 7e9 × 1e9 = 4.2e19 FLOP / (8 × 989.5e12 × 0.4) = 3.68 h = 29.5 GPU-h × $2.50 = $73.69 (spec: 989e12)."""
    r = raw("D")
    t = 6 * 7e9 * 1e9 / (8 * PEAK * 0.4)
    assert close(r["run_time"], t)
    assert round(t / 3600, 2) == 3.68
    assert close(r["run_cost"], 8 * t / 3600 * 2.50)
    assert round(r["run_cost"], 2) == 73.69
    assert r["cost_text"] == "$73.69"
    # the spec's figure with 989 TFLOP/s: 4.2e19 / (8 × 989e12 × 0.4) / 3600 × 8 × 2.5 = $73.73
    assert round(4.2e19 / (8 * 989e12 * 0.4) / 3600 * 8 * 2.5, 2) == 73.73


def test_d_recompute_cost():
    """Full recompute × (1 + 2 + 1)/(1 + 2): $73.69 × 4/3 = $98.25 (spec: $98.30 at 989 TFLOP/s)."""
    r = raw("D", {"checkpointing": "full"})
    assert close(r["compute_multiplier"], 4 / 3)
    assert close(r["run_cost"], 6 * 7e9 * 1e9 / (8 * PEAK * 0.4) * 4 / 3 / 3600 * 8 * 2.50)
    assert round(r["run_cost"], 2) == 98.25


def test_d_price_and_mfu_move_cost():
    """$5 per GPU-hour at 50 % MFU: 4.2e19 / (8 × 989.5e12 × 0.5) × 8 / 3600 × 5."""
    r = raw("D", {"gpu_usd_per_h": 5.0, "mfu": 50})
    assert close(r["run_cost"], 4.2e19 / (8 * PEAK * 0.5) * 8 / 3600 * 5.0)


def test_d_adapters_plan_fits():
    """Adapters 0.1 % on one GPU: 7e9 × 2.016 = 14.11 GB + 18.25 GB = 32.4 GB fits."""
    r = raw("D", {"gpus": 1, "adapters": "0.001"})
    assert close(r["total_per_gpu"], 7e9 * 2.016 + ACT)
    assert failure_ids("D", {"adapters": "0.001"}) == []


def test_d_ledger_plan_text_and_binding():
    """The plan text lists gpus, zero_stage, state_bits, checkpointing, adapters; binding is optimizer_state."""
    r = raw("D", {"zero_stage": 1})
    assert r["plan"] == "gpus: 8, zero_stage: 1, state_bits: 32, checkpointing: none, adapters: off"
    assert raw("D")["binding"] == "optimizer_state"
    assert raw("D", {"zero_stage": 3})["binding"] == "activations"


def test_d_chart_plans():
    """Your plan, (a), (b), (c), ZeRO-2, ZeRO-3 with cost labels; only (c), ZeRO-2, ZeRO-3 fit at defaults."""
    chart = run("D")["charts"]["plans"]
    assert chart["x"] == ["your plan", "(a) recompute", "(b) 8-bit states", "(c) ZeRO-1", "ZeRO-2", "ZeRO-3"]
    total = chart["series"][1]
    assert total["status"] == ["fail", "fail", "fail", "ok", "ok", "ok"]
    assert chart["series"][0]["y"][3] == (14e9 + 14e9 + 84e9 / 8) / 1e9  # chart values arrive in GB
    assert total["labels"][0] == "$74" and total["labels"][1] == "$98"
    assert chart["lines"][0]["y"] == 80


# --- instruments, ledger, synthesis ----------------------------------------------------------------------------


def test_instrument_ranges_changed_from_spec():
    """Parameter sliders start at 1e4 (spec 1e6); Part D opens on 8 GPUs (spec 1); MFU 20–60 % by 5."""
    a = {i.name: i for i in LAB.part("A").instruments}
    c = {i.name: i for i in LAB.part("C").instruments}
    d = {i.name: i for i in LAB.part("D").instruments}
    assert (a["params"].min, a["params"].max, a["params"].default) == (1e4, 1e12, 7e9) and a["params"].is_log
    assert (c["target_params"].min, c["target_params"].max) == (1e4, 1e11)
    assert (d["gpus"].min, d["gpus"].max, d["gpus"].default, d["gpus"].step) == (1, 8, 8, 1)
    assert (d["mfu"].min, d["mfu"].max, d["mfu"].default, d["mfu"].step, d["mfu"].unit) == (20, 60, 40, 5, "percent")
    assert (d["gpu_usd_per_h"].min, d["gpu_usd_per_h"].max, d["gpu_usd_per_h"].default) == (0.5, 10, 2.5)
    assert isinstance(d["adapters"], Select) and [o.key for o in d["adapters"].options] == [
        "off", "0.0001", "0.001", "0.01", "0.1"]
    b = {i.name: i for i in LAB.part("B").instruments}
    assert isinstance(b["seq_len"], Select) and [o.compute_value for o in b["seq_len"].options] == [
        512 * 2**i for i in range(7)]
    assert b["seq_len"].default == "4096" and b["micro_batch"].default == "1"


def test_ledger_reads_and_writes():
    """Reads home, nonlinearity, attention with presets; writes exactly the spec's nine keys from real outputs."""
    assert [(r.key, r.preset) for r in LAB.reads] == [(HOME, "cloud"), (NONLIN, "gelu"), (ATTN, "fused")]
    keys = [w.key for w in LAB.writes]
    assert keys == [
        "v1-08.memory_prediction_gb", "v1-08.bytes_per_param", "v1-08.model_state_gb", "v1-08.activation_gb",
        "v1-08.training_memory_budget_gb", "v1-08.training_plan", "v1-08.run_cost_usd",
        "v1-08.gpu_price_usd_per_h", "v1-08.binding_component",
    ]
    for w in LAB.writes:
        if w.kind == "prediction":
            continue
        part = LAB.part(w.part)
        assert w.source in {o.name for o in part.outputs} | {i.name for i in part.instruments}
    view = run("D")
    assert view["outputs"]["gpu_price"]["value"] == 2.5
    assert view["outputs"]["binding"]["value"] == "optimizer_state"


def test_reveal_texts():
    """Reveal explanations carry the spec's headline numbers."""
    a, b, c, d = (LAB.part(p).reveal.explanation for p in "ABCD")
    assert "**112.0 GB**" in a and "104.3 GiB" in a and "**75%**" in a and "106,812×" in a
    assert "16,777,216" in b and "570,425,344 B" in b and "**18.25 GB**" in b and "**130.25 GB**" in b
    assert "13.96 GB" in b and "85.90 GB" in b and "104.15 GB" in b and "1.64 GB" in b
    assert "**2.5 × 10⁸**" in c and "65,536" in c and "520,127" in c
    assert "**56.75 GB**" in d and "113.64 GB" in d and "88.25 GB" in d and "44.50 GB" in d and "32.25 GB" in d
    assert "**\\$73.69**" in d and "\\$98.25" in d


def test_self_assessment_answers():
    """12 B → 84 GB; ~16.6 GB removed, 112 GB remain; 36.51 GB at 8,192 tokens."""
    (_, a1), (_, a2), (_, a3) = LAB.synthesis.self_assessment
    assert "12 B → 84 GB" in a1
    assert "16.6 GB" in a2 and "112 GB" in a2
    assert f"{32 * 34 * 8192 * 4096 / 1e9:.2f} GB" in a3
