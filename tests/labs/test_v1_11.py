"""Lab v1-11 (Which Roof Are You Under?): every reveal value against the spec's own arithmetic.

Expected values are computed here by hand from the numbers the spec prints (shared/labs/v1-11.md), never read back
from the engine. One deliberate difference: the H100's dense FP16 peak is the registry's 1,979 / 2 = 989.5 TFLOP/s,
not the spec's rounded 989, so the cloud ridge is 295.4 FLOP/B (spec 295.2) and the crossover 327.8 (spec 327.6).
"""

from __future__ import annotations

import math

from labs.runtime import evaluate, reveal
from labs.schema import ChoicePrediction, NumericPrediction, validate_lab
from labs.v1_11 import LAB, quantised_row

HOME = "v1-00.home_context"
V110 = "v1-10.selected_model"
GIB = 2**30

# the spec's constants, as printed (H100 FP16 dense = half the 1,979 TFLOP/s sparse figure)
P_CLOUD, BW_CLOUD = 1979e12 / 2, 3.35e12
P_EDGE, BW_EDGE = 170e12 / 2 / 2, 204.8e9
P_MOBILE, BW_MOBILE = 35e12, 51.2e9
P_TINY, BW_TINY = 480e6 * 2 * 2, 8 * 240e6
K, N = 4096, 11008
KT = NT = 256
LLAMA_PARAMS = 6_738_415_616
KV_PER_TOKEN = 2 * 32 * 4096 * 2  # 524,288 B
W_FP16, W_Q4 = 12.5 * GIB, 3.6 * GIB


def run(part: str, inputs: dict | None = None, home: str = "cloud", ledger: dict | None = None) -> dict:
    return evaluate(LAB, part, inputs or {}, {HOME: home, **(ledger or {})})


def raw(part: str, inputs: dict | None = None, home: str = "cloud") -> dict:
    return run(part, inputs, home)["raw"]


def failure_ids(part: str, inputs: dict | None = None, home: str = "cloud") -> list[str]:
    return [f["id"] for f in run(part, inputs, home)["failures"]]


def close(a: float, b: float, rel: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel)


# --- the lab as a whole ----------------------------------------------------------------------------------------


def test_lab_validates():
    """validate_lab finds no problem in v1-11."""
    assert [] == validate_lab(LAB)


def test_seed_questions_verbatim():
    """Each prediction prompt and scenario quote is the spec's, word for word."""
    assert LAB.part("A").prediction.prompt == (
        "Time for one batch-1 call of this layer on your home context (roofline, η = 1)."
    )
    assert LAB.part("B").prediction.prompt == (
        "At what batch size does this layer become compute-bound on your home context?"
    )
    assert LAB.part("C").prediction.prompt == "At batch 1, on which context is the native layer compute-bound?"
    assert LAB.part("D").prediction.prompt == "What stops your best configuration from going faster?"
    assert LAB.part("A").scenario.text.startswith("Each MLP up-projection is 90 million FLOPs. The H100 does 989")
    assert LAB.part("D").scenario.text.endswith("at least every 50 ms (100 ms on phones).")


def test_prediction_forms():
    """A: log µs over 10 ns–10 ms; B: log tokens over 1–10,000; C and D: four-option choices."""
    a, b = LAB.part("A").prediction, LAB.part("B").prediction
    assert isinstance(a, NumericPrediction) and (a.unit, a.scale, a.min, a.max) == ("us", "log", 0.01, 1e4)
    assert isinstance(b, NumericPrediction) and (b.unit, b.scale, b.min, b.max) == ("tokens", "log", 1, 1e4)
    for pid in "CD":
        pred = LAB.part(pid).prediction
        assert isinstance(pred, ChoicePrediction)
        assert [o.key for o in pred.options] == ["a", "b", "c", "d"]


# --- Part A ----------------------------------------------------------------------------------------------------


def test_a_cloud_work_and_bytes():
    """FLOPs = 2 × 4,096 × 11,008 = 90,177,536; bytes = 2 × (45,088,768 + 4,096 + 11,008) = 90,207,744."""
    r = raw("A")
    assert r["flop"] == 2 * 4096 * 11008 == 90_177_536
    assert r["bytes_moved"] == 2 * (4096 * 11008 + 4096 + 11008) == 90_207_744
    assert close(r["intensity"], 90_177_536 / 90_207_744)


def test_a_cloud_times():
    """Compute 90.18e6 / 989.5e12 = 91.1 ns; memory 90.21e6 / 3.35e12 = 26.93 µs; memory-bound."""
    r = raw("A")
    assert close(r["compute_time"], 90_177_536 / P_CLOUD)
    assert close(r["memory_time"], 90_207_744 / BW_CLOUD)
    assert close(r["time"], 90_207_744 / 3.35e12)
    assert math.isclose(r["time"], 26.93e-6, rel_tol=1e-3)
    assert r["regime_key"] == "memory"


def test_a_cloud_fantasy_ratio_and_share_of_peak():
    """295× the fantasy; attained 3.35 TFLOP/s = 0.34 % of peak."""
    r = raw("A")
    assert close(r["fantasy_ratio"], (90_207_744 / BW_CLOUD) / (90_177_536 / P_CLOUD))
    assert close(r["attained"], 90_177_536 / (90_207_744 / BW_CLOUD))
    assert close(r["pct_peak"], 90_177_536 / (90_207_744 / BW_CLOUD) / P_CLOUD)
    assert round(100 * r["pct_peak"], 2) == 0.34


def test_a_ridge_point():
    """Ridge = peak / BW: 989.5e12 / 3.35e12 = 295.4 FLOP/B on cloud."""
    assert close(raw("A")["ridge"], P_CLOUD / BW_CLOUD)
    assert round(raw("A")["ridge"], 1) == 295.4


def test_a_other_homes():
    """Edge 440.5 µs, mobile INT8 45,103,872 B / 51.2 GB/s = 880.9 µs, tiny 131,072 op / 1.92e9 = 68.3 µs compute."""
    e, m, t = raw("A", home="edge"), raw("A", home="mobile"), raw("A", home="tiny")
    assert close(e["time"], 90_207_744 / BW_EDGE) and e["regime_key"] == "memory"
    assert round(100 * e["pct_peak"], 2) == 0.48
    assert m["bytes_moved"] == 45_103_872
    assert close(m["time"], 45_103_872 / BW_MOBILE) and m["regime_key"] == "memory"
    assert round(100 * m["pct_peak"], 2) == 0.29
    assert t["flop"] == 2 * KT * NT == 131_072
    assert close(t["time"], 131_072 / P_TINY) and t["regime_key"] == "compute"
    assert close(t["memory_time"], (KT * NT + KT + NT) / BW_TINY)


def test_a_eta_scales_compute_time():
    """η = 0.05 makes compute time 20× longer: 90,177,536 / (0.05 × 989.5e12)."""
    assert close(raw("A", {"eta": 0.05})["compute_time"], 90_177_536 / (0.05 * P_CLOUD))


def test_a_reveal_text():
    """The reveal compares the prediction with 26.93 µs."""
    out = reveal(LAB, "A", 0.091, {HOME: "cloud"})
    assert out["text"].startswith("You predicted 0.0910 µs. Actual: 26.93 µs.")
    assert math.isclose(out["off_by"], 26.93e-6 / 0.091e-6, rel_tol=1e-3)


# --- Part B ----------------------------------------------------------------------------------------------------


def _b_star(r: float, b: float, k: float, n: float) -> float:
    return r * b * k * n / (2 * k * n - r * b * (k + n))


def test_b_crossover_cloud():
    """B* = R·b·KN / (2KN − R·b(K+N)) = 295.4 × 2 × 45,088,768 / (90,177,536 − 295.4 × 2 × 15,104) = 327.8."""
    r = raw("B")
    assert close(r["crossover"], _b_star(P_CLOUD / BW_CLOUD, 2, K, N))
    assert round(r["crossover"], 1) == 327.8


def test_b_crossover_other_homes():
    """Edge 223.0; mobile (INT8) 386.0; tiny 0.50."""
    assert close(raw("B", home="edge")["crossover"], _b_star(P_EDGE / BW_EDGE, 2, K, N))
    assert round(raw("B", home="edge")["crossover"], 1) == 223.0
    assert close(raw("B", home="mobile")["crossover"], _b_star(P_MOBILE / BW_MOBILE, 1, K, N))
    assert round(raw("B", home="mobile")["crossover"], 1) == 386.0
    assert close(raw("B", home="tiny")["crossover"], _b_star(1.0, 1, KT, NT))
    assert round(raw("B", home="tiny")["crossover"], 2) == 0.50


def test_b_upgrades_at_batch_1():
    """At B = 1 on cloud: 2× compute → 26.93 µs (1.00×); 2× bandwidth → 13.46 µs (2.0×)."""
    r = raw("B")
    t = 90_207_744 / BW_CLOUD
    assert close(r["speedup_compute2"], t / max(90_177_536 / (2 * P_CLOUD), t))
    assert r["speedup_compute2"] == 1.0
    assert close(r["speedup_bandwidth2"], t / (90_207_744 / (2 * BW_CLOUD)))
    assert r["better_upgrade"] == "2× bandwidth"


def test_b_upgrades_beyond_crossover():
    """At B = 4,096 the layer is compute-bound, so 2× compute gives 2× and 2× bandwidth gives 1×."""
    r = raw("B", {"batch": "4096"})
    f = 2 * 4096 * K * N
    d = 2 * (K * N + 4096 * K + 4096 * N)
    t = max(f / P_CLOUD, d / BW_CLOUD)
    assert close(r["speedup_compute2"], t / max(f / (2 * P_CLOUD), d / BW_CLOUD))
    assert close(r["speedup_bandwidth2"], 1.0)
    assert r["better_upgrade"] == "2× compute"


def test_b_time_per_token():
    """Time per token = time ÷ B: at B = 64, 2 × (KN + 64K + 64N) / 3.35e12 / 64."""
    r = raw("B", {"batch": "64"})
    assert close(r["time_per_token"], 2 * (K * N + 64 * K + 64 * N) / BW_CLOUD / 64)


def test_b_reveal_text():
    """The reveal compares the prediction with 327.8 tokens."""
    assert reveal(LAB, "B", 295, {HOME: "cloud"})["text"].startswith("You predicted 295 tokens. Actual: 327.8 tokens.")


# --- Part C ----------------------------------------------------------------------------------------------------


def test_c_batch1_regimes_and_answer():
    """B = 1: intensities 1.00 / 1.00 / 2.00 / 1.98 vs ridges 295 / 207.5 / 683.6 / 1.0 → only tiny compute (d)."""
    r = raw("C")
    assert close(r["intensity_cloud"], 90_177_536 / 90_207_744)
    assert close(r["intensity_mobile"], 90_177_536 / 45_103_872)
    assert close(r["intensity_tiny"], 131_072 / 66_048)
    assert close(r["ridge_edge"], P_EDGE / BW_EDGE) and round(r["ridge_edge"], 1) == 207.5
    assert close(r["ridge_mobile"], P_MOBILE / BW_MOBILE) and round(r["ridge_mobile"], 1) == 683.6
    assert close(r["ridge_tiny"], 1.0)
    assert [r[f"regime_{c}"] for c in ("cloud", "edge", "mobile", "tiny")] == ["memory", "memory", "memory", "compute"]
    assert r["batch1_answer"] == "d"
    assert reveal(LAB, "C", "d", {HOME: "edge"})["correct"] is True


def test_c_batch64_share_of_peak():
    """B = 64: cloud 21.2 %, edge 30.2 %, mobile 18.3 % of peak (memory-bound); tiny 100 % (compute-bound)."""
    r = raw("C", {"batch": "64"})
    d16 = 2 * (K * N + 64 * K + 64 * N)
    d8 = d16 / 2
    f = 2 * 64 * K * N
    assert close(r["pct_cloud"], f / (d16 / BW_CLOUD) / P_CLOUD)
    assert close(r["pct_edge"], f / (d16 / BW_EDGE) / P_EDGE)
    assert close(r["pct_mobile"], f / (d8 / BW_MOBILE) / P_MOBILE)
    assert [round(100 * r[f"pct_{c}"], 1) for c in ("cloud", "edge", "mobile")] == [21.2, 30.2, 18.3]
    assert close(r["pct_tiny"], 1.0) and r["regime_tiny"] == "compute"


# --- Part D ----------------------------------------------------------------------------------------------------


def test_d_cloud_default():
    """Cloud, FP16, B = 1: 13.42 + 1.07 = 14.50 GB; 14.50e9 / 3.35e12 = 4.33 ms; 231 tokens/s."""
    r = raw("D")
    total = W_FP16 + KV_PER_TOKEN * 2048
    assert close(r["total_bytes"], total)
    assert close(r["step_time"], total / BW_CLOUD)
    assert close(r["tokens_per_s"], BW_CLOUD / total)
    assert round(r["tokens_per_s"]) == 231
    assert r["binding"] == "none"


def test_d_cloud_optimum():
    """4-bit, B = 64: 3.87 + 68.72 = 72.58 GB, 21.67 ms, 2,954 tokens/s, intensity 11.9 FLOP/B (memory-bound)."""
    r = raw("D", {"weights": "quantised", "batch": "64"})
    total = W_Q4 + 64 * KV_PER_TOKEN * 2048
    assert close(r["total_bytes"], total)
    assert close(r["step_time"], total / BW_CLOUD)
    assert close(r["tokens_per_s"], 64 * BW_CLOUD / total)
    assert round(r["tokens_per_s"]) == 2954
    assert close(r["intensity"], 2 * LLAMA_PARAMS * 64 / total)
    assert r["regime"] == "memory-bound"
    assert r["binding"] == "capacity"  # B = 96 needs 106.9 GB
    assert raw("D")["best_text"].endswith("B = 64: 72.58 GB, 21.67 ms, 2,954 tokens/s")


def test_d_answers_per_home():
    """What stops the best plan: cloud (c), edge (b), mobile (c), tiny (a)."""
    assert [raw("D", home=h)["limit_answer"] for h in ("cloud", "edge", "mobile", "tiny")] == ["c", "b", "c", "a"]
    assert reveal(LAB, "D", "a", {HOME: "cloud"})["text"].endswith(
        "Actual: (c) memory capacity: the KV cache. Not this time."
    )


def test_d_edge_optimum():
    """Edge: 4-bit B = 4: 8.16 GB, 39.85 ms, 100.4 tokens/s; B = 8 takes 60.8 ms."""
    r4 = raw("D", {"weights": "quantised", "batch": "4"}, home="edge")
    r8 = raw("D", {"weights": "quantised", "batch": "8"}, home="edge")
    assert close(r4["step_time"], (W_Q4 + 4 * KV_PER_TOKEN * 2048) / BW_EDGE)
    assert round(r4["tokens_per_s"], 1) == 100.4
    assert close(r8["step_time"], (W_Q4 + 8 * KV_PER_TOKEN * 2048) / BW_EDGE)
    assert r4["binding"] == "bandwidth"


def test_d_mobile_at_128_tokens():
    """Mobile opens at 128 tokens: 4-bit B = 2 is 4.00 GB, 78.1 ms, 25.6 tokens/s; B = 4 needs 4.13 GB."""
    r2 = raw("D", {"weights": "quantised", "batch": "2"}, home="mobile")
    assert close(r2["total_bytes"], W_Q4 + 2 * KV_PER_TOKEN * 128)
    assert close(r2["tokens_per_s"], 2 * BW_MOBILE / (W_Q4 + 2 * KV_PER_TOKEN * 128))
    assert round(r2["tokens_per_s"], 1) == 25.6
    assert r2["binding"] == "capacity"
    r1_2048 = raw("D", {"weights": "quantised", "context_tokens": "2048"}, home="mobile")
    assert close(r1_2048["total_bytes"], W_Q4 + KV_PER_TOKEN * 2048)  # 4.94 GB: OOM at 2,048 tokens


def test_d_tiny_compute_bound():
    """Tiny: 4 × 256² INT8 = 524,288 op per frame / 1.92e9 = 273 µs per frame at any batch."""
    r1, r64 = raw("D", home="tiny"), raw("D", {"batch": "64"}, home="tiny")
    assert close(r1["step_time"], 2 * 4 * KT * NT / P_TINY)
    assert close(r64["tokens_per_s"], r1["tokens_per_s"])
    assert r1["regime"] == "compute-bound" and r1["binding"] == "compute"


def test_d_oom_fires_and_clears():
    """Cloud FP16 B = 64: 82.1 GB > 80 GB (KV 68.7 GB) fires OOM; back to B = 1 clears it."""
    view = run("D", {"batch": "64"})
    assert [f["id"] for f in view["failures"]] == ["oom"]
    assert view["failures"][0]["message"] == (
        "Memory 82.1 GB > budget 80.0 GB at batch 64 (FP16; KV 68.7 GB). First fix: 4-bit weights or fewer "
        "concurrent sequences."
    )
    assert failure_ids("D", {"batch": "1"}) == []


def test_d_latency_fires_and_clears():
    """Edge FP16 B = 1: 70.8 ms > 50 ms at the defaults; 4-bit weights (24.1 ms) clear it."""
    view = run("D", home="edge")
    assert view["failures"][0]["message"] == (
        "Step 70.8 ms > budget 50.0 ms (edge, FP16, batch 1). First fix: 4-bit weights (24.1 ms)."
    )
    assert failure_ids("D", {"weights": "quantised"}, home="edge") == []


def test_d_mobile_oom_reversible_by_one_control():
    """Mobile FP16 at 128 tokens is OOM (13.49 GB > 4 GB); quantised weights alone clear every failure."""
    assert "oom" in failure_ids("D", home="mobile")
    assert failure_ids("D", {"weights": "quantised"}, home="mobile") == []


def test_d_tiny_latency_reachable():
    """Tiny B = 96: 96 × 273 µs = 26.2 ms > the 20 ms frame hop; back to B = 1 clears it."""
    assert close(raw("D", {"batch": "96"}, home="tiny")["step_time"], 96 * 2 * 4 * KT * NT / P_TINY)
    assert failure_ids("D", {"batch": "96"}, home="tiny") == ["slow"]
    assert failure_ids("D", {"batch": "1"}, home="tiny") == []


def test_d_reads_v1_10_selection():
    """A 7B 3-bit g128 pick from v1-10 sets the quantised option to the README's 3.0 GiB row."""
    assert quantised_row({"size": "7B", "bits": 3, "method": "gptq_g128", "context_tokens": "2048"})[:2] == ("gptq_g128", 3)
    r = run("D", {"weights": "quantised"}, ledger={V110: {"size": "7B", "bits": 3, "method": "gptq_g128"}})["raw"]
    assert close(r["weight_bytes"], 3.0 * GIB)
    assert quantised_row("something else") == ("gptq_g128", 4, "7B GPTQ 4-bit g128")


# --- ledger ----------------------------------------------------------------------------------------------------


def test_ledger_writes_reference_real_outputs():
    """Every write names an output or instrument of its part; the spec's ten keys are all written."""
    for w in LAB.writes:
        part = LAB.part(w.part)
        if w.kind != "prediction":
            assert w.source in {o.name for o in part.outputs} | {i.name for i in part.instruments}, w.key
    assert {w.key.split(".")[1] for w in LAB.writes} == {
        "latency_prediction_us", "layer_time_us", "ridge_point", "crossover_batch", "regime_batch1", "decode_plan",
        "decode_tokens_per_s", "decode_step_ms", "step_budget_ms", "binding_constraint",
    }


def test_ledger_values_at_defaults():
    """layer_time_us 26.93, ridge 295.4, regime memory, decode plan text parses, budget 50 ms."""
    a = run("A")
    assert math.isclose(a["outputs"]["time"]["value"], 26.93, rel_tol=1e-3)
    assert a["raw"]["regime_key"] == "memory"
    d = run("D")
    assert d["raw"]["decode_plan"] == "weights: fp16, batch: 1, context_tokens: 2048"
    assert d["inputs"]["step_budget"] == 50
