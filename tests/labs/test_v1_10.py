"""Lab v1-10 (The Compression Cliff): every reveal value against the spec's own arithmetic.

Expected values are computed here by hand from the numbers the spec prints (shared/labs/v1-10.md): README cells,
GiB sizes × 2³⁰ B, KV = 2 · L · d · 2 B · T, decode = bytes / bandwidth; never read back from the engine.
"""

from __future__ import annotations

import math

from labs.runtime import evaluate, reveal
from labs.schema import ChoicePrediction, NumericPrediction, validate_lab
from labs.v1_10 import LAB

HOME = "v1-00.home_context"
GIB = 2**30
BW = {"cloud": 3.35e12, "edge": 204.8e9, "mobile": 51.2e9}


def kv(layers: int, width: int, tokens: int) -> float:
    return 2 * layers * width * 2 * tokens


W7_G128 = 3.6 * GIB
KV7 = kv(32, 4096, 2048)


def run(part: str, inputs: dict | None = None, home: str = "cloud") -> dict:
    return evaluate(LAB, part, inputs or {}, {HOME: home})


def raw(part: str, inputs: dict | None = None, home: str = "cloud") -> dict:
    return run(part, inputs, home)["raw"]


def failure_ids(part: str, inputs: dict | None = None, home: str = "cloud") -> list[str]:
    return [f["id"] for f in run(part, inputs, home)["failures"]]


def close(a: float, b: float, rel: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel)


# --- the lab as a whole ----------------------------------------------------------------------------------------


def test_lab_validates():
    """validate_lab finds no problem in v1-10."""
    assert [] == validate_lab(LAB)


def test_seed_questions_verbatim():
    """Each prediction prompt is the spec's seed question, word for word."""
    assert LAB.part("A").prediction.prompt == (
        "Perplexity increase of LLaMA-7B with plain round-to-nearest 4-bit weights, relative to FP16."
    )
    assert LAB.part("B").prediction.prompt == (
        "For 7B with round-to-nearest, at which bit-width does perplexity first more than double?"
    )
    assert LAB.part("C").prediction.prompt == (
        "With a 2,048-token KV cache, where does LLaMA-7B GPTQ 4-bit g128 (3.6 GiB) fit?"
    )
    assert LAB.part("D").prediction.prompt == (
        "Which GPTQ 4-bit g128 model is the lowest-perplexity option on your home context?"
    )


def test_scenarios_verbatim():
    """The stakeholders' quotes are the spec's."""
    assert LAB.part("A").scenario.text.startswith("Our assistant is LLaMA-7B in FP16, 12.5 GiB on disk.")
    assert LAB.part("B").scenario.text == (
        "4-bit with GPTQ looks fine. Marketing asks for 3-bit — 'just one bit less'. How far is the edge?"
    )
    assert LAB.part("C").scenario.text.endswith("Does the 4-bit 7B model go everywhere?")
    assert LAB.part("D").scenario.text.endswith("no configuration may be more than 5 % worse than its own FP16.")


def test_prediction_forms():
    """Part A is a log numeric prediction in % over 0.1–1,000; Parts B–D are choices."""
    a = LAB.part("A").prediction
    assert isinstance(a, NumericPrediction)
    assert (a.unit, a.scale, a.min, a.max) == ("percent", "log", 0.1, 1000)
    for pid in "BCD":
        assert isinstance(LAB.part(pid).prediction, ChoicePrediction)
    assert [o.key for o in LAB.part("D").prediction.options] == ["a", "b", "c", "d", "e"]


def test_ledger_reads():
    """Reads home (preset cloud), v1-08 model state (112 GB) and v1-09's data plan (display only)."""
    keys = [(r.key, r.preset) for r in LAB.reads]
    assert keys == [
        (HOME, "cloud"), ("v1-08.model_state_gb", 112.0),
        ("v1-09.data_plan", "scale: medium, filter: image_clip, runs_sharing_scores: 1"),
    ]
    assert "112 GB of model state" in raw("A")["ledger_text"]
    assert f"{12.5 * GIB / 1e9:.2f} GB" in raw("A")["ledger_text"]


def test_ledger_writes_match_spec_and_reference_real_outputs():
    """The lab writes exactly the spec's nine keys, each from a real output of its part (or the prediction)."""
    assert [w.key for w in LAB.writes] == [
        "v1-10.rtn4_prediction_pct", "v1-10.rtn4_actual_pct", "v1-10.cliff_bits", "v1-10.fits_contexts",
        "v1-10.selected_model", "v1-10.selected_ppl", "v1-10.selected_memory_gb", "v1-10.selected_tokens_per_s",
        "v1-10.binding_constraint",
    ]
    for w in LAB.writes:
        if w.kind == "prediction":
            assert w.source == "prediction"
        else:
            assert w.source in {o.name for o in LAB.part(w.part).outputs}
            assert w.source in raw(w.part)


def test_written_values_at_defaults():
    """At the scenario's settings: +10.7 %, cliff 3 bits, fits cloud and edge, 7B FP16 at 2,048 tokens."""
    assert close(run("A")["outputs"]["rtn4_actual"]["value"], (6.29 / 5.68 - 1) * 100)
    assert raw("B")["cliff_scenario"] == 3
    assert raw("C")["fits_contexts"] == "cloud, edge"
    d = raw("D")
    assert d["selected_model"] == "size: 7B, bits: 16, method: fp16, context_tokens: 2048"
    assert d["selected_ppl"] == 5.68
    assert close(d["selected_memory"], 12.5 * GIB + KV7)
    assert close(d["selected_tokens_per_s"], 3.35e12 / (12.5 * GIB + KV7))
    assert d["binding"] == "none"


# --- Part A ----------------------------------------------------------------------------------------------------


def test_a_reveal_rtn4():
    """6.29 / 5.68 = 1.1074 → +10.7 %; the gate (5 %) fails."""
    a = raw("A")
    assert close(a["rtn4_actual"], 6.29 / 5.68 - 1)
    assert close(a["change"], 6.29 / 5.68 - 1)
    assert a["gate_fails"] is True
    r = reveal(LAB, "A", 1.0, {HOME: "cloud"})
    assert r["text"].startswith("You predicted 1.00%. Actual: 10.7%.")


def test_a_reveal_gptq_g128():
    """GPTQ g128: 5.85 / 5.68 = +3.0 % (passes); nominal 16/4 = 4×; on disk 12.5 / 3.6 = 3.47×."""
    a = raw("A", {"method": "gptq_g128"})
    assert close(a["change"], 5.85 / 5.68 - 1)
    assert a["gate_fails"] is False
    assert close(a["disk_ratio"], 12.5 / 3.6)
    assert a["nominal_text"] == "16 / 4 = 4.00×"


def test_a_on_disk_without_groups():
    """At the defaults (RTN reuses the GPTQ 4-bit size) on disk is 12.5 / 3.5 = 3.57×."""
    assert close(raw("A")["disk_ratio"], 12.5 / 3.5)


def test_a_gate_failure_fires_and_clears():
    """The gate card fires at RTN 4-bit (6.29 > 5.964) and clears with GPTQ g128 or a 11 % gate."""
    (f,) = run("A")["failures"]
    assert f["message"].startswith(f"Quality gate failed: perplexity 6.29 > limit {5.68 * 1.05:.2f}")
    assert failure_ids("A", {"method": "gptq_g128"}) == []
    assert failure_ids("A", {"gate_pct": 11}) == []


def test_a_home_fit():
    """On mobile the 7B RTN 4-bit row (3.5 GiB + 1.07 GB KV = 4.83 GB) does not fit 4 GB."""
    assert raw("A", home="mobile")["fit_text"].endswith("does not fit")
    assert f"{(3.5 * GIB + KV7) / 1e9:.2f} GB" in raw("A", home="mobile")["fit_text"]


# --- Part B ----------------------------------------------------------------------------------------------------


def test_b_reveal_rtn_cliff():
    """RTN: 4-bit 6.29 (1.11×), 3-bit 25.54 (4.50× → cliff at 3), 2-bit 101,940 / 5.67 = 17,979× → (b)."""
    b = raw("B")
    assert b["cliff"] == 3
    assert b["cliff_answer"] == "b"
    assert f"3-bit 25.54 ({25.54 / 5.68:.2f}×)" in b["rtn_text"]
    assert f"({101940 / 5.67:,.0f}×)" in b["rtn_text"]
    assert reveal(LAB, "B", "b", {HOME: "cloud"})["correct"] is True


def test_b_reveal_g128_moves_the_edge():
    """GPTQ g128: 3-bit 6.61 (1.16×); GPTQ 2-bit g64 75.28 (13.3×): the cliff moves to 2 bits."""
    b = raw("B", {"method": "gptq_g128"})
    assert b["cliff"] == 2
    assert f"3-bit 6.61 ({6.61 / 5.68:.2f}×)" in b["g128_text"]
    assert f"2-bit 75.28 ({75.28 / 5.67:.1f}×)" in b["g128_text"]
    assert "cliff" not in raw("B", {"method": "gptq_g128", "show_revision_2bit": False})


def test_b_reveal_not_monotonic():
    """RTN 3-bit by size: 7B 4.50×, 13B 2.24×, 33B 3.63×, 65B 3.00×."""
    for r, (ppl3, fp16) in zip(("7B", "13B", "33B", "65B"), ((25.54, 5.68), (11.40, 5.09), (14.89, 4.10),
                                                           (10.59, 3.53))):
        assert f"{r} {ppl3 / fp16:.2f}×" in raw("B")["rtn3_by_size"]
    assert raw("B")["rtn3_by_size"] == "7B 4.50×, 13B 2.24×, 33B 3.63×, 65B 3.00×"


def test_b_gate_failure_fires_and_clears():
    """Shipping 7B RTN 3-bit: 25.54 > limit 5.96; first fix GPTQ g128 4-bit (5.85), the 3-bit g128 (6.61) still
    fails; the card clears at 16 bits and returns when the bit-width moves back."""
    (f,) = run("B")["failures"]
    assert f["message"].startswith(f"Quality gate failed: perplexity 25.54 > limit {5.68 * 1.05:.2f} (FP16 5.68 + 5 %).")
    assert f"First fix: GPTQ g128 4-bit (5.85, +{(5.85 / 5.68 - 1) * 100:.1f} %)" in f["message"]
    assert f"GPTQ g128 (6.61, +{(6.61 / 5.68 - 1) * 100:.1f} %), still fails" in f["message"]
    assert failure_ids("B", {"bits": "16"}) == []
    assert failure_ids("B", {"bits": "3"}) == ["gate"]


# --- Part C ----------------------------------------------------------------------------------------------------


def test_c_reveal_sizes():
    """Weights 3.6 GiB = 3.865 GB; KV = 2 × 32 × 4,096 × 2 B × 2,048 = 1.074 GB; total 4.939 GB."""
    c = raw("C")
    assert close(c["need_cloud"], W7_G128 + KV7)
    assert round(W7_G128 / 1e9, 3) == 3.865 and round(KV7 / 1e9, 3) == 1.074


def test_c_reveal_speeds():
    """Cloud 4.939 GB / 3.35 TB/s = 1.47 ms → 678 tok/s; edge 24.12 ms → 41.5 tok/s."""
    c = raw("C")
    assert close(c["tok_s_cloud"], BW["cloud"] / (W7_G128 + KV7))
    assert round(c["tok_s_cloud"]) == 678
    assert close(c["tok_s_edge"], BW["edge"] / (W7_G128 + KV7))
    assert round(c["tok_s_edge"], 1) == 41.5


def test_c_reveal_answer():
    """Fits cloud and edge only → (c)."""
    c = raw("C")
    assert (c["fits_cloud"], c["fits_edge"], c["fits_mobile"], c["fits_tiny"]) == (True, True, False, False)
    assert c["fit_answer"] == "c"


def test_c_mobile_failure_and_256_tokens():
    """Mobile: 4.94 GB > 4.00 GB; first fix ≤ 256 tokens; at 256: 3.865 + 0.134 = 4.000 GB fits, 12.8 tok/s."""
    msgs = {f["id"]: f["message"] for f in run("C")["failures"]}
    assert "Memory 4.94 GB > budget 4.00 GB app budget (weights 3.87 + KV 1.07)" in msgs["oom_mobile"]
    assert "First fix: a context of ≤ 256 tokens (4.00 GB" in msgs["oom_mobile"]
    c = raw("C", {"context_tokens": 256})
    assert c["fits_mobile"] is True
    assert close(c["need_mobile"], W7_G128 + kv(32, 4096, 256))
    assert round(c["tok_s_mobile"], 1) == round(BW["mobile"] / (W7_G128 + kv(32, 4096, 256)), 1) == 12.8
    assert "oom_mobile" not in failure_ids("C", {"context_tokens": 256})


def test_c_tiny_failure_and_mcu_evidence():
    """Tiny: no LLaMA row fits 2 MiB; MobileNetV1 FP32 16.8 MB is 8.01× over; the mixed INT4/INT8 network clears it."""
    assert "oom_tiny" in failure_ids("C")
    fp32 = run("C", {"tiny_workload": "mobilenet_v1_fp32"})
    msg = next(f["message"] for f in fp32["failures"] if f["id"] == "oom_tiny")
    assert f"({4.2e6 * 4 / 2**21:.2f}×)" in msg
    assert "oom_tiny" not in failure_ids("C", {"tiny_workload": "mixed_int4_int8"})
    assert "68 % ImageNet top-1" in raw("C", {"tiny_workload": "mixed_int4_int8"})["row_tiny"]


def test_c_cloud_and_edge_oom_reachable():
    """65B FP16 (121 GiB + 5.37 GB) overflows cloud and edge; back at 7B 4-bit g128 both clear."""
    ids = failure_ids("C", {"row": "65b.fp16.16"})
    assert "oom_cloud" in ids and "oom_edge" in ids
    assert "oom_cloud" not in failure_ids("C")


# --- Part D ----------------------------------------------------------------------------------------------------


def test_d_reveal_cloud_optimum():
    """Cloud optimum 65B 4-bit g128: 34.68 + 5.37 = 40.05 GB, 3.35e12 / 40.05e9 = 83.6 tok/s, 3.65 (+3.4 %) → (d)."""
    d = raw("D", {"model": "65b", "bits": "4"})
    total = 32.3 * GIB + kv(80, 8192, 2048)
    assert close(d["selected_memory"], total)
    assert round(total / 1e9, 2) == 40.05
    assert close(d["selected_tokens_per_s"], 3.35e12 / total)
    assert d["selected_ppl"] == 3.65 and d["binding"] == "none"
    assert raw("D")["best_answer"] == "d"


def test_d_reveal_edge():
    """Edge: 65B gives 5.11 tok/s (too slow) → 33B: 20.77 GB, 9.86 tok/s, 4.23 → (c)."""
    slow = raw("D", {"model": "65b", "bits": "4"}, home="edge")
    assert slow["binding"] == "bandwidth"
    assert close(slow["selected_tokens_per_s"], 204.8e9 / (32.3 * GIB + kv(80, 8192, 2048)))
    ok = raw("D", {"model": "33b", "bits": "4"}, home="edge")
    assert close(ok["selected_memory"], 16.3 * GIB + kv(60, 6656, 2048))
    assert round(ok["selected_tokens_per_s"], 2) == 9.86 and ok["selected_ppl"] == 4.23
    assert raw("D", home="edge")["best_answer"] == "c"


def test_d_reveal_mobile():
    """Mobile at 2,048: 7B 4-bit g128 needs 4.94 GB > 4 GB; at 256 tokens 4.00 GB, 12.8 tok/s, 5.85 → (a)."""
    assert raw("D", {"bits": "4"}, home="mobile")["binding"] == "capacity"
    ok = raw("D", {"bits": "4", "context_tokens": 256}, home="mobile")
    assert ok["binding"] == "none"
    assert close(ok["selected_tokens_per_s"], 51.2e9 / (W7_G128 + kv(32, 4096, 256)))
    assert raw("D", home="mobile")["best_answer"] == "a"


def test_d_mobile_3bit_rows_fail_gate():
    """Only ungrouped 3-bit rows fit at 2,048 (2.7 GiB + 1.07 GB = 3.97 GB) and fail the gate (8.07, +42 %)."""
    d = raw("D", {"bits": "3", "method": "gptq"}, home="mobile")
    assert close(d["selected_memory"], 2.7 * GIB + KV7)
    assert d["binding"] == "quality" and d["selected_ppl"] == 8.07


def test_d_tiny_answer():
    """Tiny: no LLaMA row fits → (e), and the MCU evidence is shown."""
    d = raw("D", home="tiny")
    assert d["best_answer"] == "e"
    assert "mixed INT4/INT8" in d["tiny_text"]


def test_d_failures_fire_and_clear():
    """OOM (65B FP16 on cloud: 135.3 GB), too slow (edge, floor 15 > 14.1 tok/s), gate (3-bit g128) all clear back."""
    msg = run("D", {"model": "65b"})["failures"][0]["message"]
    assert msg.startswith(f"Memory {(121 * GIB + kv(80, 8192, 2048)) / 1e9:.1f} GB > budget 80.0 GB")
    assert failure_ids("D") == []
    assert failure_ids("D", {"min_tokens_per_s": 15}, home="edge") == ["bandwidth"]
    assert 204.8e9 / (12.5 * GIB + KV7) < 15
    assert failure_ids("D", home="edge") == []
    assert failure_ids("D", {"bits": "3"}) == ["quality"]
    assert failure_ids("D", home="mobile") == ["capacity"]
    assert failure_ids("D", {"target": "cloud"}, home="mobile") == []


def test_d_headline():
    """13B 4-bit (5.20, 6.7 GiB = 7.19 GB) beats 7B FP16 (5.68, 13.42 GB) in 54 % of the memory."""
    assert "13B 4-bit (5.20, 7.19 GB) beats 7B FP16 (5.68, 13.42 GB) in 54 % of the memory" in \
        LAB.part("D").reveal.explanation
    assert round(6.7 / 12.5 * 100) == 54
