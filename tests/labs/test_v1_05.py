"""Lab v1-05 (The Activation Ledger): every reveal value against the spec's own arithmetic.

Expected values are computed here by hand from the numbers the spec prints (shared/labs/v1-05.md), never read
back from the engine. One deliberate difference: the step time uses the registry's 989.5 TFLOP/s H100 peak (the
spec rounds to 989), so the cloud step is 1,111.1 µs rather than 1,111.7 µs.
"""

from __future__ import annotations

import math

import pytest

from labs.runtime import evaluate, reveal
from labs.schema import ChoicePrediction, NumericPrediction, validate_lab
from labs.v1_05 import LAB

HOME = "v1-00.home_context"
KIB = 1024


def run(part: str, inputs: dict | None = None, home: str = "cloud") -> dict:
    return evaluate(LAB, part, inputs or {}, {HOME: home})


def raw(part: str, inputs: dict | None = None, home: str = "cloud") -> dict:
    return run(part, inputs, home)["raw"]


def failures(part: str, inputs: dict | None = None, home: str = "cloud") -> dict[str, str]:
    return {f["id"]: f["message"] for f in run(part, inputs, home)["failures"]}


def close(a: float, b: float, rel: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel)


# per-context ledgers by hand: (W, L, B, b bytes, budget, trainable params)
CLOUD = (4096, 8, 1024, 2, 50e6, 8 * 4096 + 4096 * 10 + 10)
EDGE = (1024, 8, 256, 2, 4e6, 8 * 1024 + 1024 * 10 + 10)
MOBILE = (1024, 8, 512, 2, 16e6, 8 * 1024 + 1024 * 10 + 10)
TINY = (128, 8, 32, 4, 128 * KIB, 8 * 128 + 128 * 10 + 10)


def relu_total(job) -> float:
    w, l, b, by, _, p = job
    return b * l * w / 8 + b * w * by + 2 * b * w * by + 16 * p


def sigmoid_total(job) -> float:
    w, l, b, by, _, p = job
    return b * l * w * by + 2 * b * w * by + 16 * p


# --- the lab as a whole ----------------------------------------------------------------------------------------


def test_lab_validates():
    """validate_lab finds no problem in v1-05."""
    assert [] == validate_lab(LAB)


def test_seed_questions_verbatim():
    """Scenario quotes and prediction prompts are the spec's seed questions, word for word."""
    assert LAB.part("A").prediction.prompt == "Saved backward state, sigmoid ÷ ReLU, for the frozen layers."
    assert LAB.part("B").prediction.prompt.startswith("Which versions fit in the 50 MB L2?")
    assert LAB.part("C").prediction.prompt == "Where does the sigmoid version fail outright rather than slow down?"
    assert LAB.part("D").prediction.prompt == "Largest batch that keeps the sigmoid version inside your home budget."
    assert LAB.part("C").scenario.text == "Kofi says the activation choice costs him 2 %. On my microcontroller, is it also 2 %?"
    assert LAB.part("A").scenario.text.endswith("Is the memory really the same?")


def test_prediction_forms():
    """A: × log 1–100; B, C: four options; D: samples log 1–4096."""
    a, d = LAB.part("A").prediction, LAB.part("D").prediction
    assert isinstance(a, NumericPrediction) and (a.unit, a.scale, a.min, a.max) == ("x", "log", 1, 100)
    assert isinstance(d, NumericPrediction) and (d.unit, d.scale, d.min, d.max) == ("count", "log", 1, 4096)
    for pid in "BC":
        p = LAB.part(pid).prediction
        assert isinstance(p, ChoicePrediction) and [o.key for o in p.options] == ["a", "b", "c", "d"]


def test_ledger_writes_match_spec_and_reference_real_outputs():
    """The lab writes exactly the spec's eight keys, each from a real output, instrument or the prediction."""
    assert [w.key for w in LAB.writes] == [
        "v1-05.saved_ratio_prediction", "v1-05.saved_bits_per_element", "v1-05.working_set_bytes",
        "v1-05.chip_budget_bytes", "v1-05.fits", "v1-05.nonlinearity", "v1-05.training_mode", "v1-05.batch",
    ]
    for w in LAB.writes:
        part = LAB.part(w.part)
        if w.kind == "prediction":
            assert w.source == "prediction"
        else:
            assert w.source in {o.name for o in part.outputs} | {i.name for i in part.instruments}
    nl = next(i for i in LAB.part("D").instruments if i.name == "nonlinearity")
    assert [o.key for o in nl.options] == ["relu", "sigmoid", "gelu"]
    mode = next(i for i in LAB.part("D").instruments if i.name == "mode")
    assert [o.key for o in mode.options] == ["frozen", "full"]


def test_written_values_at_defaults():
    """Part D at the scenario's settings: sigmoid 85.07 MB against 50 MB, does not fit; bits per element 1/16/32."""
    d = raw("D")
    assert close(d["working_set_bytes"], sigmoid_total(CLOUD))
    assert d["chip_budget_bytes"] == 50e6 and d["fits"] == "false"
    assert raw("A")["bits_per_element"] == "relu: 1.00, sigmoid: 16.0, gelu: 32.0"


# --- Part A ----------------------------------------------------------------------------------------------------


def test_a_cloud():
    """N = 1024 × 8 × 4096; ReLU N/8 = 4,194,304 B; sigmoid N × 2 = 67,108,864 B; ratio 16; GELU 134.22 MB."""
    r = raw("A")
    n = 1024 * 8 * 4096
    assert r["elements"] == n == 33_554_432
    assert r["saved_relu"] == n / 8 == 4_194_304
    assert r["saved_sigmoid"] == n * 2 == 67_108_864
    assert close(r["ratio"], 16.0)
    assert close(r["saved_gelu"], 2 * n * 2)


def test_a_tiny_fp32():
    """Tiny fp32: ratio 32; N = 32,768, mask 4,096 B, sigmoid 131,072 B."""
    r = raw("A", home="tiny")
    assert r["elements"] == 32 * 8 * 128 and r["saved_relu"] == 4096 and r["saved_sigmoid"] == 131_072
    assert close(r["ratio"], 32.0)


def test_a_defaults_follow_home():
    """Batch and precision default to the home context's job (tiny: 32 samples, 32-bit)."""
    assert run("A", home="tiny")["inputs"]["batch"] == 32 and run("A", home="tiny")["inputs"]["precision"] == "32"
    assert run("A", home="edge")["inputs"]["batch"] == 256


def test_a_reveal_text():
    """Reveal at the spec's answer is exact; a guess of 2× is off by 8×."""
    assert reveal(LAB, "A", 16)["text"] == "You predicted 16.0×. Actual: 16.0×. Off by 1.0× (exact)."
    assert "Off by 8.0× (under)" in reveal(LAB, "A", 2)["text"]


def test_self_assessment_fp32_ratio():
    """Cloud in fp32: 32 bits / 1 bit = 32×."""
    assert close(raw("A", {"precision": "32"})["ratio"], 32.0)
    assert LAB.synthesis.self_assessment[0][1] == "32.0×."


# --- Part B ----------------------------------------------------------------------------------------------------


def test_b_relu_ledger():
    """ReLU: 4.19 + 8.39 + 16.78 + 1.18 (73,738 × 16 B) = 30.54 MB ≤ 50: fits."""
    r = raw("B")
    assert close(r["total_bytes"], 1024 * 8 * 4096 / 8 + 1024 * 4096 * 2 + 2 * 1024 * 4096 * 2 + 73_738 * 16)
    assert close(r["total_bytes"], relu_total(CLOUD)) and r["outcome"] == "fits"
    assert run("B")["outputs"]["total_text"]["value"] == "30.54 MB vs 50.0 MB"


def test_b_sigmoid_spill():
    """Sigmoid: 67.11 + 16.78 + 1.18 = 85.07 MB; spill 35.07 MB; penalty 2 × 35.07e6 / 3.35e12 = 20.9 µs."""
    r = raw("B", {"nonlinearity": "sigmoid"})
    total = 1024 * 8 * 4096 * 2 + 2 * 1024 * 4096 * 2 + 73_738 * 16
    assert close(r["total_bytes"], total)
    assert close(r["spill_bytes"], total - 50e6)
    assert close(r["spill_penalty"], 2 * (total - 50e6) / 3.35e12)


def test_b_step_time():
    """Step: 2 × 2 × 1024 × 4096² × 8 FLOP / (989.5e12 × 0.5) = 1,111.1 µs; the spill adds 1.9 %."""
    r = raw("B", {"nonlinearity": "sigmoid"})
    assert close(r["step_time"], 2 * 2 * 1024 * 4096**2 * 8 / (989.5e12 * 0.5))
    assert round(r["spill_share"] * 100, 1) == 1.9


def test_b_full_finetuning_ratio_one():
    """Full fine-tuning: both 2,240.9 MB (ratio 1.00): L·B·W·b + head + buffers + 16 × every parameter."""
    r = raw("B", {"mode": "full"})
    params = 8 * (4096**2 + 4096) + 4096 * 10 + 10
    total = 8 * 1024 * 4096 * 2 + 1024 * 4096 * 2 + 2 * 1024 * 4096 * 2 + 16 * params
    assert close(r["total_bytes"], total) and round(total / 1e6, 1) == 2240.9
    assert close(r["ratio_mode"], 1.0)


def test_b_answer_relu_only():
    """Which versions fit the 50 MB L2: (b) ReLU only; on the phone both fit (a)."""
    assert raw("B")["fits_answer"] == "b"
    assert raw("B", home="mobile")["fits_answer"] == "a"


def test_b_failure_spill_message_and_clear():
    """Sigmoid spills with the spec's sentence; back to ReLU clears it."""
    msg = failures("B", {"nonlinearity": "sigmoid"})["spill"]
    assert msg == ("Spill: sigmoid working set 85.07 MB > 50.0 MB on chip (1.70×); 35.07 MB round-trips HBM3 each "
                   "step (+20.9 µs). First fix: ReLU, or batch ≤ 595.")
    assert failures("B", {"nonlinearity": "relu"}) == {}


def test_b_tiny_oom():
    """Tiny home: sigmoid is a hard OOM (no DRAM behind SRAM), cleared by ReLU."""
    assert set(failures("B", {"nonlinearity": "sigmoid"}, home="tiny")) == {"oom"}
    assert failures("B", home="tiny") == {}


# --- Part C ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("ctx", "job"), [("cloud", CLOUD), ("edge", EDGE), ("mobile", MOBILE), ("tiny", TINY)])
def test_c_totals(ctx, job):
    """Each context's sigmoid total is L·B·W·b + 2·B·W·b + 16·N_train (the default nonlinearity is sigmoid)."""
    assert close(raw("C")[f"total_{ctx}"], sigmoid_total(job))
    assert close(raw("C", {"nonlinearity": "relu"})[f"total_{ctx}"], relu_total(job))


def test_c_printed_values():
    """Table: cloud 30.54/85.07 MB; edge 2.13/5.54; mobile 3.97/10.78; tiny 90,272/200,864 B."""
    assert relu_total(TINY) == 90_272 and sigmoid_total(TINY) == 200_864
    assert round(relu_total(EDGE) / 1e6, 2) == 2.13 and round(sigmoid_total(EDGE) / 1e6, 2) == 5.54
    assert round(relu_total(MOBILE) / 1e6, 2) == 3.97 and round(sigmoid_total(MOBILE) / 1e6, 2) == 10.78


def test_c_verdicts():
    """Sigmoid: cloud and edge spill, mobile fits, tiny OOM; edge +15.0 µs = 2 × 1.538e6 / 204.8e9."""
    r = raw("C")
    assert [r[f"outcome_{c}"] for c in ("cloud", "edge", "mobile", "tiny")] == ["spill", "spill", "fits", "oom"]
    assert close(r["penalty_edge"], 2 * (sigmoid_total(EDGE) - 4e6) / 204.8e9)
    assert round(r["penalty_edge"] * 1e6, 1) == 15.0


def test_c_answer_tiny():
    """The sigmoid version fails outright only on tiny: (d)."""
    assert raw("C")["oom_answer"] == "d"


def test_c_tiny_failure_message_and_clear():
    """Tiny: 'Out of memory: sigmoid working set 196.2 KiB > 128 KiB … (1.53×) … ReLU (88.2 KiB) or batch ≤ 18.'"""
    msg = failures("C")["oom_tiny"]
    assert msg == ("Out of memory: sigmoid working set 196.2 KiB > 128 KiB training budget (1.53×); no memory sits "
                   "behind the SRAM. First fix: ReLU (88.2 KiB) or batch ≤ 18.")
    assert failures("C", {"nonlinearity": "relu"}) == {}
    assert failures("C", {"batch_tiny": 16}) == {}


def test_c_chart_ratios():
    """The chart normalises each total by its budget: tiny sigmoid 200,864 / 131,072 = 1.53."""
    chart = run("C")["charts"]["vs_budget"]
    sig = chart["series"][1]
    assert sig["name"] == "sigmoid" and close(sig["y"][3], 200_864 / 131_072)
    assert sig["status"] == ["fail", "fail", "ok", "fail"]


# --- Part D ----------------------------------------------------------------------------------------------------


def test_d_max_batch_cloud():
    """⌊(50e6 − 1,179,808) / 81,920⌋ = 595; ReLU ⌊… / 28,672⌋ = 1,702."""
    r = raw("D")
    assert r["max_batch_sigmoid"] == math.floor((50e6 - 1_179_808) / (65_536 + 16_384)) == 595
    assert r["max_batch_relu"] == math.floor((50e6 - 1_179_808) / (4_096 + 8_192 + 16_384)) == 1702


def test_d_max_batch_tiny():
    """Tiny: sigmoid ⌊(131,072 − 37,024) / 5,120⌋ = 18, ReLU ⌊… / 1,664⌋ = 56."""
    r = raw("D", home="tiny")
    assert r["max_batch_sigmoid"] == math.floor((131_072 - 37_024) / (8 * 128 * 4 + 2 * 128 * 4)) == 18
    assert r["max_batch_relu"] == math.floor((131_072 - 37_024) / (128 + 128 * 4 + 2 * 128 * 4)) == 56


def test_d_reveal():
    """Reveal compares with 595 on cloud."""
    assert reveal(LAB, "D", 595)["text"].startswith("You predicted 595. Actual: 595.")


def test_d_failures_at_defaults_and_clear():
    """Sigmoid at batch 1024 spills on cloud; ReLU or batch 512 clears it."""
    assert set(failures("D")) == {"spill"}
    assert failures("D", {"nonlinearity": "relu"}) == {}
    assert failures("D", {"batch": 512}) == {}


def test_d_self_assessment_tiny_56():
    """Tiny at batch 56 with ReLU: 56 × 1,664 + 37,024 = 130,208 B ≤ 131,072 — fits."""
    r = raw("D", {"nonlinearity": "relu", "batch": 32}, home="tiny")
    assert r["fits"] == "true"
    assert "130,208 B ≤ 131,072 — fits" in LAB.synthesis.self_assessment[2][1]
    assert 56 * 1664 + 37_024 == 130_208


def test_d_decision_notes():
    """Each decision explains its consequence from the engine (smaller batch names 595)."""
    assert "595" in raw("D", {"decision": "smaller_batch"})["decision_note"]
    assert "+20.9 µs" in raw("D", {"decision": "accept_spill"})["decision_note"]
    assert "fits" in raw("D", {"decision": "switch_relu"})["decision_note"]


def test_d_chart_crosses_budget():
    """The sigmoid line crosses the 50 MB budget between batch 512 and 1024 (595)."""
    chart = run("D")["charts"]["total_vs_batch"]
    sig = dict(zip(chart["x"], chart["series"][1]["y"]))
    assert sig[512] <= 50 and sig[1024] > 50  # MB
