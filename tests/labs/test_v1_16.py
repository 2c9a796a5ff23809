"""Lab v1-16: reveal values at the presets equal the spec's hand arithmetic; the replay reads the ledger, flags stale
outputs and shows the evidence share; every failure state fires and clears; the ledger writes name real outputs."""

from __future__ import annotations

import math

import pytest

from labs import runtime
from labs.portfolio import INPUTS
from labs.v1_16 import LAB
from tests.labs.ledger_docs import flat, scenario_doc

GB = 1e9
W65 = 32.3 * 2**30  # README: 65B GPTQ 4-bit g128 is 32.3 GiB
KV65 = 2 * 80 * 8192 * 2 * 2048  # 2 · L · d · 2 B · T per sequence (LLaMA-65B, 2,048 tokens)
W33 = 16.3 * 2**30
KV33 = 2 * 60 * 6656 * 2 * 2048
PPL65, FP65 = 3.65, 3.53  # GPTQ-for-LLaMa README 3cf64c6f
H100_BW, ORIN_BW, PHONE_BW = 3.35e12, 204.8e9, 51.2e9


def _eval(part, ledger=None, **inputs):
    return runtime.evaluate(LAB, part, inputs, ledger or {})


def _ids(view):
    return [f["id"] for f in view["failures"]]


# --- Part A --------------------------------------------------------------------------------------------------


def test_a_serving_memory_at_presets():
    """G2 = 34.68 GB + 64 × (2 × 80 × 8,192 × 2 B × 2,048 = 5.369 GB) = 378.28 GB → 4.73×."""
    raw = _eval("A")["raw"]
    assert math.isclose(raw["g2_value"], W65 + 64 * KV65, rel_tol=1e-12)
    assert math.isclose(raw["ratio_g2"], (W65 + 64 * KV65) / 80e9, rel_tol=1e-12)
    assert round(raw["ratio_g2"], 2) == 4.73
    assert math.isclose(raw["kv_per_seq"], 5.369e9, rel_tol=1e-3)


def test_a_per_token_step_at_presets():
    """G3 = 378.28e9 / 3.35e12 + 0.173 ms = 113.09 ms → 2.26× of the 50 ms budget."""
    raw = _eval("A")["raw"]
    step = (W65 + 64 * KV65) / H100_BW + 0.173e-3
    assert math.isclose(raw["g3_value"], step, rel_tol=1e-12)
    assert math.isclose(raw["ratio_g3"], step / 0.050, rel_tol=1e-12)


def test_a_other_guardrails_at_presets():
    """The spec's guardrail table: G1 56.75/80, G4 3.65/(3.53 × 1.05), G11 8/10, G12 0/5, the rest to 3 places."""
    raw = _eval("A")["raw"]
    g1 = 7e9 * (2 + 2) + 7e9 * 12 / 8 + 4096 * 4096 * 34 * 32
    assert math.isclose(raw["ratio_g1"], g1 / 80e9, rel_tol=1e-12)
    assert math.isclose(raw["ratio_g4"], PPL65 / (FP65 * 1.05), rel_tol=1e-12)
    assert raw["ratio_g11"] == 8 / 10 and raw["ratio_g12"] == 0.0
    got = {g: round(raw[f"ratio_{g}"], 3) for g in ("g5", "g6", "g7", "g8", "g9", "g10", "g13")}
    assert got == {"g5": 0.369, "g6": 0.494, "g7": 0.788, "g8": 0.912, "g9": 0.945, "g10": 0.571, "g13": 0.851}


def test_a_answer_is_serving_memory():
    """Part A's answer at the presets is (b) serving memory."""
    r = runtime.reveal(LAB, "A", "b", {})
    assert r["correct"] is True
    assert "serving memory" in r["text"]


def test_a_failure_message_at_presets():
    """The conjunction card names value, limit, ratio, the joint (64 × 5.37 GB on 65B) and the first fix (≤ 8)."""
    view = _eval("A")
    assert ["conjunction"] == _ids(view)
    msg = view["failures"][0]["message"]
    assert view["failures"][0]["title"] == "Guardrail conjunction fails"
    assert msg.startswith("Serving memory 378.3 GB > 80 GB (4.73×)")
    assert "v1-11's batch of 64 was sized for a 7B model, v1-10 ships 65B (5.369 GB of KV per sequence)" in msg
    assert "First fix: at most 8 concurrent sequences." in msg  # ⌊(80 − 34.68) / 5.369⌋ = 8


def test_a_failure_clears_with_the_batch_and_returns():
    """Recovery: 8 concurrent sequences clear the card; back to the recorded 64 it returns."""
    assert [] == _ids(_eval("A", serve_batch="8"))
    assert ["conjunction"] == _ids(_eval("A", serve_batch="16"))  # 34.68 + 16 × 5.369 = 120.6 GB
    assert ["conjunction"] == _ids(_eval("A", serve_batch="recorded"))


def test_a_evidence_share_is_zero_with_presets_and_one_with_a_full_ledger():
    """No ledger: every input is a preset (0 %); Volume I done in order at the preset design: 100 %, nothing stale."""
    assert _eval("A")["raw"]["evidence_share"] == 0.0
    ledger = flat(scenario_doc(preset_design=True))
    raw = _eval("A", ledger)["raw"]
    assert raw["evidence_share"] == 1.0
    assert raw["stale_text"].startswith("none")
    assert math.isclose(raw["ratio_g2"], (W65 + 64 * KV65) / 80e9, rel_tol=1e-12)


def test_a_evidence_share_without_v1_12_and_v1_14():
    """Self-assessment 3: skipping v1-12 and v1-14 leaves G7 and G10 on presets: 11 of 13 guardrails = 84.6 %."""
    ledger = {k: v for k, v in flat(scenario_doc(preset_design=True)).items() if not k.startswith(("v1-12", "v1-14"))}
    raw = _eval("A", ledger)["raw"]
    assert math.isclose(raw["evidence_share"], 11 / 13, rel_tol=1e-12)
    assert "preset" in raw["row_g7"] and "preset" in raw["row_g10"] and "ledger" in raw["row_g1"]


def test_a_source_toggle_switches_a_guardrail_to_its_preset():
    """Turning on 'G1: use the preset' replays G1 from the preset plan: share drops by 1/13."""
    ledger = flat(scenario_doc(preset_design=False))
    on = _eval("A", ledger, source_g1=True)["raw"]
    assert math.isclose(on["evidence_share"], 12 / 13, rel_tol=1e-12)
    assert math.isclose(on["ratio_g1"], (7e9 * 4 + 7e9 * 12 / 8 + 4096 * 4096 * 34 * 32) / 80e9, rel_tol=1e-12)


def test_a_scenario_ledger_replays_the_students_own_design():
    """Done at each lab's defaults, the design is different: G1 ZeRO-0 with v1-05's sigmoid (c = 26), 7B FP16."""
    raw = _eval("A", flat(scenario_doc()))["raw"]
    g1 = 7e9 * 16 + 4096 * 4096 * 26 * 32  # 112 GB of states unsharded + sigmoid activations
    assert math.isclose(raw["ratio_g1"], g1 / 80e9, rel_tol=1e-12)
    assert raw["stale_text"].startswith("none")


def test_a_stale_stored_output_is_flagged():
    """A stored v1-08 budget that disagrees with its replay (130 GB vs 56.75 GB) is flagged stale, replay used."""
    ledger = flat(scenario_doc(preset_design=True))
    ledger["v1-08.training_memory_budget_gb"] = 130.4
    raw = _eval("A", ledger)["raw"]
    assert "stale" in raw["row_g1"]
    assert "v1-08.training_memory_budget_gb stored 130.4 GB, replay 56.75 GB" in raw["stale_text"]
    assert math.isclose(raw["ratio_g1"], 56.753611008e9 / 80e9, rel_tol=1e-12)


def test_a_bad_ledger_values_fall_back_to_presets_and_are_reported():
    """A hostile plan and a NaN-like string are rejected with the one error form; the preset is used."""
    ledger = {"v1-08.training_plan": "gpus: -3, zero_stage: 1, state_bits: 32, checkpointing: none, adapters: off",
              "v1-13.replicas": "NaN", "v1-11.decode_plan": 7}
    raw = _eval("A", ledger)["raw"]
    assert "`v1-08.training_plan.gpus` must be inside [1, 1,024] (got '-3')" in raw["problems_text"]
    assert "`v1-13.replicas` must be a finite number (got 'NaN')" in raw["problems_text"]
    assert raw["evidence_share"] == 0.0
    assert round(raw["ratio_g2"], 2) == 4.73


# --- Part B --------------------------------------------------------------------------------------------------


def test_b_repair_at_defaults():
    """B_max = ⌊(80 − 34.68) / 5.369⌋ = 8; G2 = 77.63 GB (0.970); G3 = 23.35 ms (0.467); 342.7 tokens/s."""
    view = _eval("B")
    raw = view["raw"]
    assert math.floor((80e9 - W65) / KV65) == 8 and raw["b_max_text"] == "8 sequences"
    assert math.isclose(raw["g2_value"], W65 + 8 * KV65, rel_tol=1e-12)
    step = (W65 + 8 * KV65) / H100_BW + 0.173e-3
    assert math.isclose(raw["g3_value"], step, rel_tol=1e-12)
    assert math.isclose(raw["tokens_per_s"], 8 / step, rel_tol=1e-12)
    assert "342.7 tokens/s" == view["outputs"]["tokens_per_s"]["text"]


def test_b_new_binding_is_quality():
    """After the repair everything passes and the binding guardrail is G4 quality, 3.65 / 3.7065 = 0.985."""
    raw = _eval("B")["raw"]
    assert raw["binding_repaired_text"] == "guardrail: G4, ratio: 0.985"
    assert raw["repair_fails"] is False


def test_b_tornado_values():
    """Doubling one driver: sequences (34.68 + 16 × 5.369)/80 = 1.51; serial (4 + 95/97 + 0.96) ms / 5 ms = 1.19;
    retrains 2 × 8 / 10 = 1.60; gate 3.65 / (3.53 × 1.025) = 1.01; training sequence 0.938; label delay 0.571."""
    raw = _eval("B")["raw"]
    assert raw["s_sequences"] == f"G2 0.970 → {(W65 + 16 * KV65) / 80e9:.2f} ✗"
    assert raw["s_serial_path"] == f"G7 0.788 → {(4e-3 + 95e-3 / 97 + 96 * 10e-6) / 5e-3:.2f} ✗"
    assert raw["s_retrains"] == f"G11 0.800 → {2 * 8 / 10:.2f} ✗"
    assert raw["s_quality_gate"] == f"G4 0.985 → {3.65 / (3.53 * 1.025):.2f} ✗"
    g1 = (7e9 * 4 + 7e9 * 12 / 8 + 8192 * 4096 * 34 * 32) / 80e9
    assert raw["s_training_sequence"] == f"G1 0.709 → {g1:.3f}"
    assert raw["s_label_delay"] == "G10 0.571 → 0.571"
    assert raw["s_deposits"] == "G13 0.851 → 1.70 ✗" and raw["s_gpu_price"] == "G8 0.912 → 1.31 ✗"


def test_b_traffic_is_unbounded_and_the_answer():
    """Doubled traffic: ρ = 600 × 0.020 / 7 = 1.71 ≥ 1 → unbounded; the answer is (b)."""
    view = _eval("B")
    assert view["raw"]["s_traffic"] == "G6 0.494 → unbounded ✗"
    assert f"ρ = {600 * 0.020 / 7:.2f} ≥ 1" in view["raw"]["selected_text"]
    assert runtime.reveal(LAB, "B", "b", {})["correct"] is True


def test_b_stress_failure_fires_and_clears_at_factor_one():
    """The stress card names driver, ρ, the SLO and the first fix; a 1.0× surprise clears it."""
    view = _eval("B")
    assert ["stressed_breaks"] == _ids(view)
    assert view["failures"][0]["message"] == (
        "2.0× traffic: p99 in burst is unbounded (ρ = 1.71 ≥ 1) against the 250 ms SLO. First fix: an admission cap "
        "at the SLO rate or more replicas (v1-13).")
    assert [] == _ids(_eval("B", stress_factor=1.0))


def test_b_repair_failure_above_b_max():
    """Batch 9 breaks G2 again ((34.68 + 9 × 5.369)/80 = 1.04); back to 8 it clears."""
    view = _eval("B", batch=9, stress_factor=1.0)
    assert ["repair_fails"] == _ids(view)
    assert math.isclose(view["raw"]["g2_ratio"], (W65 + 9 * KV65) / 80e9, rel_tol=1e-12)
    assert view["failures"][0]["title"] == "The repaired design still fails"
    g2 = W65 + 9 * KV65
    assert view["failures"][0]["message"].startswith(f"Serving memory {g2 / 1e9:.2f} GB > 80 GB ({g2 / 80e9:.2f}×)")
    assert [] == _ids(_eval("B", batch=8, stress_factor=1.0))


# --- Part C --------------------------------------------------------------------------------------------------


def test_c_edge_step_binds():
    """Edge: G3 = (77.63e9 / 204.8e9 + 0.173 ms) / 50 ms = 7.58; G2 = 77.63 / 64 = 1.21; the answer is (b)."""
    raw = _eval("C")["raw"]
    mem = W65 + 8 * KV65
    assert math.isclose(raw["edge_g3"], (mem / ORIN_BW + 0.173e-3) / 0.050, rel_tol=1e-12)
    assert math.isclose(raw["edge_g2"], mem / 64e9, rel_tol=1e-12)
    assert round(raw["edge_g3"], 2) == 7.58
    assert raw["answer_c"] == "b"
    assert runtime.reveal(LAB, "C", "b", {})["correct"] is True


def test_c_mobile_and_tiny_bind_on_memory():
    """Mobile: G2 = 77.63 / 4 = 19.4 (G3 (77.63/51.2 s + 0.173 ms)/100 ms = 15.2); tiny: 77.63 GB / 2 MiB = 37,018."""
    raw = _eval("C")["raw"]
    mem = W65 + 8 * KV65
    assert math.isclose(raw["mobile_g2"], mem / 4e9, rel_tol=1e-12)
    assert math.isclose(raw["mobile_g3"], (mem / PHONE_BW + 0.173e-3) / 0.100, rel_tol=1e-12)
    assert math.isclose(raw["tiny_g2"], mem / 2**21, rel_tol=1e-12)
    assert round(raw["tiny_g2"]) == 37018
    assert raw["row_cloud"].endswith("passes (closest: G4 0.985)")


def test_c_home_context_is_highlighted():
    """With home = mobile the home line reads the mobile column."""
    raw = _eval("C", {"v1-00.home_context": "mobile"})["raw"]
    assert raw["home_text"].startswith("Mobile: G2 serving memory 19.4×")


# --- Part D --------------------------------------------------------------------------------------------------


def test_d_answer_is_the_admission_cap():
    """Alone, R1 takes the worst 2× ratio from ∞ to 1.70 (deposits); R2–R4 leave traffic unbounded."""
    assert runtime.reveal(LAB, "D", "a", {})["correct"] is True
    raw = _eval("D", revision_1="R1", memo_residual_risk="deposits")["raw"]
    assert raw["worst_after_text"] == "deposits → G13 1.70"
    assert _eval("D", revision_1="R2")["raw"]["worst_after_text"] == "traffic → G6 unbounded"


def test_d_r1_cap_and_shed():
    """R1: cap 330.3 req/s (ρ = 330.3 × 0.020 / 7 = 0.944); 2× traffic offers 600 req/s, 1 − 330.3/600 = 45.0 % shed."""
    raw = _eval("D", revision_1="R1")["raw"]
    assert raw["side_effects"].startswith("R1 caps admission at 330.3 req/s: 45.0% of the 600 req/s surprise is shed")


def test_d_r1_r2_pair():
    """R1 + R2: 33B at 16 sequences: (16.3 GiB + 16 × 2·60·6,656·2 B·2,048) / 80 GB = 0.873; G2 nominal 0.546."""
    raw = _eval("D", revision_1="R1", revision_2="R2", memo_residual_risk="deposits")["raw"]
    assert f"G2 {(W33 + 8 * KV33) / 80e9:.3f}" in raw["nominal_after"]
    assert f"concurrent sequences G2 {(W33 + 16 * KV33) / 80e9:.3f}" in raw["unabsorbed_text"] or \
        (W33 + 16 * KV33) / 80e9 <= 1
    assert round((W33 + 16 * KV33) / 80e9, 3) == 0.873
    assert raw["unabsorbed_text"] == "deposits G13 1.70; retrains G11 1.60; GPU price G8 1.31; serial path G7 1.19; " \
                                     "quality gate (tightened) G4 1.01"
    assert raw["side_effects"].endswith("R2 perplexity 3.65 → 4.23")


def test_d_r5_conjunction_failure():
    """R5 (batch 16): serving memory 34.68 + 16 × 5.369 = 120.6 GB > 80 GB (1.51×). First fix: remove R5."""
    view = _eval("D", revision_1="R5", memo_residual_risk="traffic")
    assert ["conjunction"] == _ids(view)
    assert view["failures"][0]["message"] == "Serving memory 120.6 GB > 80 GB (1.51×) after R5. First fix: remove R5."
    assert [] == _ids(_eval("D", revision_1="none", memo_residual_risk="traffic"))


def test_d_memo_failures():
    """Empty residual risk locks the report; naming an absorbed driver is a mismatch; naming the worst clears both."""
    assert ["memo_empty"] == _ids(_eval("D"))
    card = _eval("D")["failures"][0]
    assert (card["title"], card["message"][:24]) == ("Report locked:", "Residual risk is empty. ")
    mism = _eval("D", memo_residual_risk="label_delay")
    assert ["memo_mismatch"] == _ids(mism)
    assert "the replay absorbs it (G10 0.571 ≤ 1). First fix: name traffic (G6 unbounded)." in \
        mism["failures"][0]["message"]
    assert [] == _ids(_eval("D", memo_residual_risk="traffic"))


def test_d_three_memo_fields_make_it_ready():
    """Two revisions, a rejected alternative, the residual risk and the question: 3 of 3, ready to file."""
    raw = _eval("D", revision_1="R1", revision_2="R2", memo_rejected="R3", memo_residual_risk="deposits",
                memo_volume_ii_question="one_machine")["raw"]
    assert raw["memo_completeness"] == "3 of 3 memo fields — ready to file"
    assert raw["revisions_text"] == "R1, R2"
    assert raw["residual_risk_text"] == "2.0× deposits → G13 review load 1.70 (not absorbed)"
    assert raw["volume_ii_text"] == "What changes when one machine is no longer enough?"


# --- ledger --------------------------------------------------------------------------------------------------


def test_reads_cover_the_spec_keys_with_labelled_presets():
    """Every key the spec lists is read; every replayed input has its descriptive preset text."""
    keys = {r.key for r in LAB.reads}
    spec = {"v1-00.home_context", "v1-01.binding_axis_home", "v1-02.dominant_term", "v1-03.stage5_multiplier",
            "v1-04.placement_plan", "v1-05.nonlinearity", "v1-06.max_context_fused_home", "v1-07.per_token_latency_ms",
            "v1-08.training_plan", "v1-08.training_memory_budget_gb", "v1-08.gpu_price_usd_per_h", "v1-09.data_plan",
            "v1-09.data_plan_cost_usd", "v1-09.data_plan_accuracy_pct", "v1-09.budget_usd", "v1-09.target_pct",
            "v1-10.selected_model", "v1-10.selected_ppl", "v1-11.decode_plan", "v1-11.step_budget_ms", "v1-12.plan",
            "v1-12.frame_time_ms", "v1-12.deadline_ms", "v1-13.replicas", "v1-13.forecast_rps", "v1-13.service_ms",
            "v1-13.slo_p99_ms", "v1-13.burst_factor", "v1-14.monitors", "v1-14.audit_fraction",
            "v1-14.extra_misreads", "v1-14.misread_limit", "v1-15.policy", "v1-15.privacy_epsilon",
            "v1-15.epsilon_budget", "v1-15.policy_gap_pp", "v1-15.fairness_gap_target", "v1-15.review_utilization"}
    assert spec <= keys
    for i in INPUTS:
        assert LAB.read(i.key).preset == i.preset_text and i.preset_text


def test_ledger_writes_reference_real_outputs():
    """Each write names an output or instrument of its part; the values at the presets read as the spec says."""
    keys = {w.key for w in LAB.writes}
    assert keys == {"v1-16.binding_prediction", "v1-16.binding_preset", "v1-16.binding_repaired",
                    "v1-16.guardrail_ratios", "v1-16.worst_2x_driver", "v1-16.revisions",
                    "v1-16.rejected_alternative", "v1-16.residual_risk", "v1-16.evidence_share",
                    "v1-16.volume_ii_question"}
    views = {p: _eval(p)["raw"] for p in "ABCD"}
    for w in LAB.writes:
        if w.kind != "prediction":
            assert w.source in views[w.part], w.key
    assert views["A"]["binding_preset_text"] == "guardrail: G2, ratio: 4.73"
    assert views["B"]["binding_repaired_text"] == "guardrail: G4, ratio: 0.985"
    assert views["A"]["guardrail_ratios_text"].startswith("G1: 0.709, G2: 4.73, G3: 2.26, G4: 0.985")
    assert views["D"]["worst_2x_text"] == "driver: traffic, ratio: 1.00 × 10⁶"
    assert views["A"]["evidence_fraction"] == 0.0


@pytest.mark.parametrize("home", ["cloud", "edge", "mobile", "tiny"])
def test_audit_context_is_cloud_for_every_home(home):
    """Parts A, B and D audit Quillwork's cloud service whatever the home context (the presets are cloud designs)."""
    raw = _eval("A", {"v1-00.home_context": home})["raw"]
    assert round(raw["ratio_g2"], 2) == 4.73
    assert LAB.portfolio is True
