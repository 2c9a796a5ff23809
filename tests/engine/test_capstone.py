"""engine.capstone: replaying the preset design, repair, stress tornado, contexts and revisions (v1-16)."""

import dataclasses
import math

import pytest

from engine import capstone as C
from engine.errors import EngineInputError

REPAIRED = dataclasses.replace(C.Design(), batch=8)


def test_preset_binding_is_serving_memory():
    """v1-16 A: G2 = 34.68 GB + 64 × 2·80·8,192·2 B·2,048 = 378.28 GB → 4.73×; G3 = 113.09 ms → 2.26×."""
    a = C.replay(C.Design())
    kv = 2 * 80 * 8192 * 2 * 2048
    assert a.get("G2").value == pytest.approx(32.3 * 2**30 + 64 * kv)
    assert a.bound == "G2" and a.binding.ratio == pytest.approx(4.728, abs=0.001)
    assert a.get("G3").value == pytest.approx(a.get("G2").value / 3.35e12 + 0.173e-3)


def test_preset_other_guardrails():
    """v1-16 table: G1 0.709, G4 0.985, G5 0.369, G6 0.494, G7 0.788, G9 0.945, G10 0.571, G11 0.8, G13 0.851."""
    a = C.replay(C.Design())
    got = {k: round(a.get(k).ratio, 3) for k in ("G1", "G4", "G5", "G6", "G7", "G9", "G10", "G11", "G13")}
    assert got == {"G1": 0.709, "G4": 0.985, "G5": 0.369, "G6": 0.494, "G7": 0.788, "G9": 0.945, "G10": 0.571,
                   "G11": 0.8, "G13": 0.851}


def test_repair_batch_and_new_binding():
    """v1-16 B: ⌊(80 − 34.68)/5.369⌋ = 8; G2 0.970; the binding guardrail becomes G4 quality (0.985)."""
    assert C.max_batch_for_memory(C.Design()) == 8
    a = C.replay(REPAIRED)
    assert round(a.get("G2").ratio, 3) == 0.970 and a.bound == "G4" and a.passes


def test_stress_tornado():
    """v1-16 B: sequences 1.507, traffic ∞, GPU price 1.307, serial 1.188, deposits 1.701, retrains 1.6, gate 1.009."""
    t = C.stress_tornado(REPAIRED)
    assert math.isinf(t["traffic"].ratio)
    got = {k: round(t[k].ratio, 3) for k in ("sequences", "gpu_price", "serial_path", "deposits", "retrains",
                                             "quality_gate", "label_delay", "training_sequence")}
    assert got == {"sequences": 1.507, "gpu_price": 1.307, "serial_path": 1.188, "deposits": 1.701, "retrains": 1.6,
                   "quality_gate": 1.009, "label_delay": 0.571, "training_sequence": 0.938}


def test_replay_edge_step_binds():
    """v1-16 C: edge G3 = (77.63e9/204.8e9 + 0.173 ms)/50 ms = 7.58."""
    e = C.replay_context(REPAIRED, "edge")
    assert e.bound == "G3" and e.binding.ratio == pytest.approx(7.58, abs=0.005)
    assert C.replay_context(REPAIRED, "mobile", 0.1).bound == "G2"


def test_r1_admission_cap_tames_traffic():
    """v1-16 D: R1 caps at 330.3 req/s, so doubled traffic gives G6 = 1.00 instead of ∞."""
    d = C.apply_revisions(REPAIRED, ["R1"])
    assert d.admission_cap_rps == pytest.approx(330.3, abs=0.05)
    assert C.stress_tornado(d)["traffic"].ratio == pytest.approx(1.0, abs=1e-3)


def test_three_revisions_rejected():
    """At most two revisions are funded."""
    with pytest.raises(EngineInputError, match="`revisions` must list at most two"):
        C.apply_revisions(REPAIRED, ["R1", "R2", "R3"])
