"""Lab v1-06 (Attention's Quadratic Bill): every reveal value against the spec's own arithmetic.

Expected values are computed here by hand from the numbers the spec prints (shared/labs/v1-06.md), never read back
from the engine. Deliberate differences from the spec: the cloud GPU's dense FP16 rate is the registry's
1,979 / 2 = 989.5 TFLOP/s (spec: 989), and GQA-8 is a GQA-trained variant whose K and V projections shrink.
"""

from __future__ import annotations

import math

import pytest

from labs.runtime import evaluate, reveal
from labs.schema import ChoicePrediction, NumericPrediction, validate_lab
from labs.v1_06 import LAB

HOME = "v1-00.home_context"

# the spec's constants, as printed
L, D, V, H, DH = 32, 4096, 32_000, 32, 128
P_L = 4 * 4096**2 + 3 * 4096 * 11_008  # 202,375,168
PARAMS = 6_738_415_616
W16 = PARAMS * 2  # 13,476,831,232 B
W4 = PARAMS * 4 / 8
KV_TOK = 2 * 32 * 32 * 128 * 2  # 524,288 B per token
S_COEF = 32 * 2  # score bytes per token²
R_CLOUD, R_EDGE, R_MOBILE = 1979e12 / 2, 42.5e12, 17.5e12
ETA = 0.5
C_CLOUD, C_EDGE, C_MOBILE = 80e9, 64e9, 4e9


def F(n: float, attn_coef: float = 4.0) -> float:
    """F(n) = L(2nP_l + a·n²d) + 2nVd (a = 4 full, 2 causal skip)."""
    return L * (2 * n * P_L + attn_coef * n * n * D) + 2 * n * V * D


def run(part: str, inputs: dict | None = None, home: str = "cloud") -> dict:
    return evaluate(LAB, part, inputs or {}, {HOME: home})


def raw(part: str, inputs: dict | None = None, home: str = "cloud") -> dict:
    return run(part, inputs, home)["raw"]


def failure_ids(part: str, inputs: dict | None = None, home: str = "cloud") -> list[str]:
    return [f["id"] for f in run(part, inputs, home)["failures"]]


def messages(part: str, inputs: dict | None = None, home: str = "cloud") -> dict[str, str]:
    return {f["id"]: f["message"] for f in run(part, inputs, home)["failures"]}


def close(a: float, b: float, rel: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel)


def naive_cap(capacity: float, w: float, k: float = KV_TOK) -> int:
    """Floor of the positive root of 64n² + k·n + W = C."""
    return math.floor((-k + math.sqrt(k * k + 4 * S_COEF * (capacity - w))) / (2 * S_COEF))


# --- the lab as a whole ----------------------------------------------------------------------------------------


def test_lab_validates():
    """validate_lab finds no problem in v1-06."""
    assert [] == validate_lab(LAB)


def test_seed_questions_verbatim():
    """Each prediction prompt and scenario quote is the spec's, word for word."""
    assert LAB.part("A").prediction.prompt == "Forward-pass FLOPs at 8,192 tokens ÷ at 4,096."
    assert LAB.part("B").prediction.prompt == (
        "Longest prompt that fits with weights + KV cache + one layer's fp16 score matrix."
    )
    assert LAB.part("C").prediction.prompt == (
        "Where is context capped by compute time rather than memory (fused attention)?"
    )
    assert LAB.part("D").prediction.prompt == (
        "Once memory fits, which single change brings prefill under 1.5 s without limiting what tokens can see?"
    )
    assert LAB.part("A").scenario.text.startswith("Customers want us to go from 4K to 8K tokens per document.")
    assert LAB.part("D").scenario.text.startswith("A bank wants 32,768-token contracts")
    assert [o.label for o in LAB.part("C").prediction.options] == [
        "cloud only", "cloud and edge", "all three", "mobile only",
    ]


def test_prediction_forms():
    """A: linear × over 1–8; B: log tokens over 1,000–1,000,000; C and D: four-option choices."""
    a, b = LAB.part("A").prediction, LAB.part("B").prediction
    assert isinstance(a, NumericPrediction) and (a.unit, a.scale, a.min, a.max) == ("x", "linear", 1, 8)
    assert isinstance(b, NumericPrediction) and (b.unit, b.scale, b.min, b.max) == ("tokens", "log", 1_000, 1_000_000)
    for pid in "CD":
        pred = LAB.part(pid).prediction
        assert isinstance(pred, ChoicePrediction) and [o.key for o in pred.options] == ["a", "b", "c", "d"]


def test_ledger_reads():
    """Reads v1-00.home_context (preset cloud, four choices) and v1-02.speedup_2x_compute (preset 1.09)."""
    home, v102 = LAB.reads
    assert (home.key, home.preset, home.choices) == (HOME, "cloud", ("cloud", "edge", "mobile", "tiny"))
    assert (v102.key, v102.preset) == ("v1-02.speedup_2x_compute", 1.09)
    assert "1.09×" in raw("A")["reminder"]
    assert "1.50×" in evaluate(LAB, "A", {}, {HOME: "cloud", "v1-02.speedup_2x_compute": 1.5})["raw"]["reminder"]


def test_ledger_writes_match_spec_and_reference_real_outputs():
    """The lab writes exactly the spec's eight keys, each from a real output or instrument of its part."""
    assert [w.key for w in LAB.writes] == [
        "v1-06.flop_ratio_prediction",
        "v1-06.flop_ratio_8k_4k",
        "v1-06.crossover_tokens",
        "v1-06.max_context_naive_home",
        "v1-06.max_context_fused_home",
        "v1-06.attention_impl",
        "v1-06.context_plan",
        "v1-06.ttft_s",
    ]
    for w in LAB.writes:
        if w.kind == "prediction":
            assert w.source in ("prediction", "actual", "off_by")
        elif w.source == "attention_impl":
            assert [o.key for o in next(i for i in LAB.part("D").instruments if i.name == w.source).options] == [
                "naive", "fused",
            ]
        else:
            assert w.source in {o.name for o in LAB.part(w.part).outputs}
            assert w.source in raw(w.part)


def test_written_values_at_defaults():
    """At the scenario's settings the number writes hold the spec's values (2.28×, 24,704, 28,403, 126,882)."""
    assert close(raw("A")["ratio"], F(8192) / F(4096))
    assert raw("A")["crossover"] == P_L / (2 * D) == 24_704
    assert raw("B")["max_n_naive"] == 28_403
    assert raw("B")["max_n_fused"] == 126_882
    assert raw("D")["context_plan"] == "n: 32768, causal_skip: off, window: off, kv_heads: 32"


# --- Part A ----------------------------------------------------------------------------------------------------


def test_a_flop_split_at_4096():
    """At 4,096: linear 32·2·4,096·P_l = 5.3051e13, attention 32·4·4,096³ = 8.7961e12, head 2·4,096·32,000·4,096."""
    r = raw("A")
    assert close(r["lin_from"], 32 * 2 * 4096 * 202_375_168)
    assert close(r["attn_from"], 32 * 4 * 4096**2 * 4096)
    assert close(r["head_from"], 2 * 4096 * 32_000 * 4096)
    assert close(r["total_from"], 6.2921e13, rel=1e-4)


def test_a_flop_split_at_8192_and_ratio():
    """At 8,192: 1.0610e14 + 3.5184e13 + 2.1475e12 = 1.4343e14; ratio 2.28×."""
    r = raw("A")
    assert close(r["lin_to"], 32 * 2 * 8192 * 202_375_168)
    assert close(r["attn_to"], 32 * 4 * 8192**2 * 4096)
    assert close(r["total_to"], 1.4343e14, rel=1e-4)
    assert close(r["ratio"], 1.4343e14 / 6.2921e13, rel=1e-4)
    assert run("A")["outputs"]["ratio"]["text"] == "2.28×"


def test_a_attention_share():
    """Attention was 14.2 % of layer FLOPs at 4K and 25 % at 8K: share = 2nd / (P_l + 2nd)."""
    r = raw("A")
    assert close(r["share_from"], 2 * 4096 * D / (P_L + 2 * 4096 * D))
    assert close(r["share_to"], 2 * 8192 * D / (P_L + 2 * 8192 * D))
    assert round(r["share_from"], 3) == 0.142 and round(r["share_to"], 2) == 0.25


def test_a_prefill_time_on_cloud_home():
    """Cloud: 6.2921e13 / (989.5e12 × 0.5) = 0.127 s → 0.290 s."""
    r = raw("A")
    assert close(r["time_from"], F(4096) / (R_CLOUD * ETA))
    assert close(r["time_to"], F(8192) / (R_CLOUD * ETA))
    out = run("A")["outputs"]
    assert (out["time_from"]["text"], out["time_to"]["text"]) == ("0.127 s", "0.290 s")


@pytest.mark.parametrize(("home", "rate"), [("edge", R_EDGE), ("mobile", R_MOBILE), ("tiny", R_CLOUD)])
def test_a_prefill_time_other_homes(home, rate):
    """Edge 42.5 and mobile 17.5 TFLOP/s at η = 0.5; a tiny home is timed on the cloud GPU (it cannot load 7B)."""
    r = raw("A", home=home)
    assert close(r["time_from"], F(4096) / (rate * ETA))
    if home == "tiny":
        assert "cannot hold" in r["time_where"]


def test_a_causal_skip_halves_attention():
    """Causal skip: attention 2n²d per layer, ratio (1.0610e14 + 1.7592e13 + 2.1475e12) / (…) ≈ 2.15×."""
    r = raw("A", {"causal_skip": True})
    assert close(r["attn_from"], 32 * 2 * 4096**2 * 4096)
    assert close(r["ratio"], F(8192, 2) / F(4096, 2))


def test_a_crossover_formula():
    """n* = P_l / 2d = 202,375,168 / 8,192 = 24,704 tokens; attention equals linear there."""
    assert raw("A")["crossover"] == 24_704
    n = 24_704
    assert close(L * 2 * n * P_L, L * 4 * n * n * D)


def test_a_reveal_text():
    """Numeric reveal of 4 against 2.28 reads 'Off by 1.8×' (over)."""
    out = reveal(LAB, "A", 4, {HOME: "cloud"})
    assert out["text"].startswith("You predicted 4.00×. Actual: 2.28×.")
    assert out["direction"] == "over"
    assert close(out["off_by"], 4 / (F(8192) / F(4096)))


# --- Part B ----------------------------------------------------------------------------------------------------


def test_b_cloud_naive_cap():
    """64n² + 524,288n + 13,476,831,232 ≤ 80e9 → n = 28,403 (floored)."""
    assert naive_cap(C_CLOUD, W16) == 28_403
    assert raw("B")["max_n_naive"] == 28_403


def test_b_cloud_fused_cap():
    """(80e9 − 13.4768e9) / 524,288 = 126,882 tokens, 4.5× longer."""
    assert math.floor((C_CLOUD - W16) / KV_TOK) == 126_882
    r = raw("B")
    assert r["max_n_fused"] == 126_882
    assert round(r["fused_gain"], 1) == 4.5


@pytest.mark.parametrize(("home", "cap", "w", "naive", "fused"), [
    ("edge", C_EDGE, W16, 24_297, 96_365),
    ("mobile", C_MOBILE, W4, 1_064, 1_203),
])
def test_b_other_homes(home, cap, w, naive, fused):
    """Edge 24,297 / 96,365; mobile (4-bit weights, 4 GB) 1,064 / 1,203."""
    assert naive_cap(cap, w) == naive and math.floor((cap - w) / KV_TOK) == fused
    r = raw("B", home=home)
    assert (r["max_n_naive"], r["max_n_fused"]) == (naive, fused)


def test_b_tiny_home_opens_on_cloud_and_tiny_cannot_load():
    """A tiny home opens Part B on cloud; choosing tiny shows the weights do not fit (0 tokens)."""
    assert raw("B", home="tiny")["max_n_naive"] == 28_403
    r = raw("B", {"context": "tiny"}, home="tiny")
    assert r["max_n_naive"] == 0 and r["max_n_fused"] == 0
    assert "the weights alone are 13.48 GB" in messages("B", {"context": "tiny"}, home="tiny")["oom"]


def test_b_memory_ledger_at_default_length():
    """At 16,384 tokens: KV 524,288 × 16,384 = 8.59 GB, scores 64 × 16,384² = 17.18 GB, total 39.25 GB."""
    r = raw("B")
    assert close(r["weights"], W16)
    assert close(r["kv"], KV_TOK * 16_384)
    assert close(r["scores"], S_COEF * 16_384**2)
    assert close(r["total"], W16 + KV_TOK * 16_384 + S_COEF * 16_384**2)


def test_b_failure_message_at_32k_naive():
    """Cloud, n = 32,768, naive: 99.38 GB > 80 GB (1.24×); the score matrix alone is 68.72 GB."""
    total = W16 + KV_TOK * 32_768 + S_COEF * 32_768**2
    assert round(total / 1e9, 2) == 99.38
    msg = messages("B", {"n": "32768"})["oom"]
    assert msg == (
        "Out of memory on cloud: 99.38 GB > 80.0 GB (1.24×); the score matrix alone is 68.72 GB. "
        "First fix: a fused attention kernel that never stores n×n."
    )


def test_b_failure_reversible():
    """The card fires at 32,768 naive and clears when n moves back or the implementation switches to fused."""
    assert failure_ids("B", {"n": "32768"}) == ["oom"]
    assert failure_ids("B") == []
    assert failure_ids("B", {"n": "32768", "attention_impl": "fused"}) == []


def test_b_reveal():
    """Numeric reveal against 28,403 tokens (4 significant figures in the reveal line)."""
    out = reveal(LAB, "B", 100_000, {HOME: "cloud"})
    assert out["direction"] == "over" and close(out["off_by"], 100_000 / 28_403)


# --- Part C ----------------------------------------------------------------------------------------------------


def time_wall(rate: float, budget: float = 10.0) -> int:
    """Largest integer n with F(n) ≤ η·R·t (F increases in n)."""
    n = 1
    while F(n * 2) <= ETA * rate * budget:
        n *= 2
    lo, hi = n, n * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if F(mid) <= ETA * rate * budget else (lo, mid)
    return lo


def test_c_time_walls():
    """Time wall at 10 s: cloud 85,354 (989.5 TFLOP/s; spec 85,329 at 989), edge 11,149, mobile 5,445."""
    r = raw("C")
    assert r["cloud_time"] == time_wall(R_CLOUD) == 85_354
    assert r["edge_time"] == time_wall(R_EDGE) == 11_149
    assert r["mobile_time"] == time_wall(R_MOBILE) == 5_445
    assert time_wall(989e12) == 85_329  # the spec's figure at 989 TFLOP/s


def test_c_memory_walls_fused():
    """Memory wall (fused): (C − W) / 524,288 = 126,882 / 96,365 / 1,203."""
    r = raw("C")
    assert r["cloud_mem"] == math.floor((C_CLOUD - W16) / KV_TOK) == 126_882
    assert r["edge_mem"] == math.floor((C_EDGE - W16) / KV_TOK) == 96_365
    assert r["mobile_mem"] == math.floor((C_MOBILE - W4) / KV_TOK) == 1_203


def test_c_binding_and_answer():
    """Binding: cloud time, edge time, mobile memory → (b) cloud and edge."""
    r = raw("C")
    assert r["binding_by_context"] == "cloud: time, edge: time, mobile: memory"
    assert r["time_bound_answer"] == "b"
    assert reveal(LAB, "C", "b", {HOME: "cloud"})["correct"] is True


def test_c_naive_makes_cloud_memory_bound():
    """With naive attention the cloud memory wall drops to 28,403 < 85,354, so memory binds there too."""
    r = raw("C", {"attention_impl": "naive"})
    assert r["cloud_mem"] == 28_403 and r["cloud_binding"] == "memory"


def test_c_edge_failure_message():
    """Edge, n = 16,384: prefill F(16,384) / (42.5e12 × 0.5) = 16.8 s > 10 s budget (1.68×)."""
    t = F(16_384) / (R_EDGE * ETA)
    assert round(t, 1) == 16.8
    msg = messages("C", {"n": "16384"})["edge_over_cap"]
    assert "prefill 16.8 s > 10 s budget (1.68×). First fix: shorter context or causal block skipping." in msg


def test_c_failures_reversible():
    """Mobile fails at 8,192 (memory) and clears at 1,024; edge fails at 16,384 and clears back at 8,192."""
    assert failure_ids("C") == ["mobile_over_cap"]
    assert failure_ids("C", {"n": "1024"}) == []
    assert "edge_over_cap" in failure_ids("C", {"n": "16384"})
    assert "edge_over_cap" not in failure_ids("C", {"n": "8192"})
    assert "edge_over_cap" in failure_ids("C", {"prefill_budget_s": 6})


# --- Part D ----------------------------------------------------------------------------------------------------

N_D = 32_768


def test_d_fused_full_ttft_fails():
    """Fused, full: F = 4.2441e14 + 5.6295e14 + 8.59e12 = 9.9595e14 → / (989.5e12 × 0.5) = 2.013 s."""
    r = raw("D", {"attention_impl": "fused"})
    assert close(r["lin"], 32 * 2 * N_D * P_L)
    assert close(r["attn"], 32 * 4 * N_D**2 * D)
    assert close(r["flop"], 9.9595e14, rel=1e-4)
    assert close(r["ttft"], F(N_D) / (R_CLOUD * ETA))
    assert failure_ids("D", {"attention_impl": "fused"}) == ["slo"]


def test_d_causal_skip_passes():
    """Causal skip: attention 2.8147e14 → 7.1448e14 → 1.444 s (passes)."""
    r = raw("D", {"attention_impl": "fused", "causal_skip": True})
    assert close(r["attn"], 32 * 2 * N_D**2 * D)
    assert close(r["ttft"], F(N_D, 2) / (R_CLOUD * ETA))
    assert round(r["ttft"], 3) == 1.444
    assert r["verdict"] == "ships"


def test_d_window_passes_with_flag():
    """Window 4,096: attention 4·n·w·d per layer → 1.017 s, with the quality flag."""
    r = raw("D", {"attention_impl": "fused", "window": "4096"})
    f = L * (2 * N_D * P_L + 4 * N_D * 4096 * D) + 2 * N_D * V * D
    assert close(r["ttft"], f / (R_CLOUD * ETA))
    assert "tokens > 4,096 apart cannot attend directly" in r["quality_flag"]
    assert r["verdict"] == "ships with a quality flag"


def test_d_gqa_shrinks_kv_not_the_score_arithmetic():
    """GQA-8: KV 17.18 → 4.29 GB; only K/V projections shrink (P_l 202.4M → 177.2M), so TTFT stays > 1.5 s."""
    r = raw("D", {"attention_impl": "fused", "kv_heads": "8"})
    assert close(r["kv"], 2 * 32 * 8 * 128 * 2 * N_D)
    p_gqa = 2 * D * D + 2 * D * D * 8 / 32 + 3 * D * 11_008
    assert close(r["ttft"], (L * (2 * N_D * p_gqa + 4 * N_D**2 * D) + 2 * N_D * V * D) / (R_CLOUD * ETA))
    assert r["ttft"] > 1.5
    assert close(r["weights"], (PARAMS - 32 * (P_L - p_gqa)) * 2)


def test_d_memory_naive_and_fused():
    """Naive: 13.48 + 17.18 + 68.72 = 99.38 GB (OOM); fused: 13.48 + 17.18 = 30.66 GB."""
    assert close(raw("D")["total"], W16 + KV_TOK * N_D + S_COEF * N_D**2)
    assert close(raw("D", {"attention_impl": "fused"})["total"], W16 + KV_TOK * N_D)


def test_d_failure_messages():
    """OOM and SLO cards read like the spec, with the registry's 989.5 TFLOP/s (2.013 s, spec 2.014 s)."""
    m = messages("D")
    assert m["oom"] == (
        "Out of memory: 99.38 GB > 80.0 GB (1.24×); the score matrix alone is 68.72 GB. "
        "First fix: a fused attention kernel that never stores n×n."
    )
    assert m["slo"] == "TTFT 2.013 s > 1.5 s (1.34×). First fix: skip the masked half of the score blocks."


def test_d_failures_reversible():
    """OOM clears with fused attention; SLO clears with causal skip; moving back brings each card back."""
    assert failure_ids("D") == ["oom", "slo"]
    assert "oom" not in failure_ids("D", {"attention_impl": "fused"})
    assert "slo" not in failure_ids("D", {"causal_skip": True})
    assert failure_ids("D", {"attention_impl": "naive", "causal_skip": False}) == ["oom", "slo"]


def test_d_answer_and_reveal():
    """Answer (b) causal block skipping; FP8 KV changes memory only, GQA-8 still misses the SLO."""
    assert raw("D")["single_change_answer"] == "b"
    assert reveal(LAB, "D", "b", {HOME: "cloud"})["correct"] is True
    assert reveal(LAB, "D", "a", {HOME: "cloud"})["correct"] is False


# --- synthesis -------------------------------------------------------------------------------------------------


def test_self_assessment_answers():
    """32K → 64K ratio 3.13×; naive score matrix at 32K = 32 × 32,768² × 2 B = 68.72 GB."""
    qa = dict(LAB.synthesis.self_assessment)
    assert round(F(65_536) / F(32_768), 2) == 3.13
    assert qa["32K → 64K: FLOP ratio?"].startswith("3.13×")
    assert round(32 * 32_768**2 * 2 / 1e9, 2) == 68.72
    assert qa["Naive score matrix for one layer at 32K, fp16?"].endswith("68.72 GB.")
