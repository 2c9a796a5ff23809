"""engine.workflow: plan efforts, rework, field fixes and gate policies."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import workflow as W
from engine.errors import EngineInputError


def test_plan_efforts_default():
    """v1-03: E = 5, r = 2 → [5, 5, 10, 20, 40, 80]."""
    assert W.plan_efforts() == (5, 5, 10, 20, 40, 80)


def test_rework_stage5_is_16x():
    """v1-03 A: R(5) = 5 + 5 + 10 + 20 + 40 = 80 → 16×; stage 6: 160/5 = 32×."""
    assert W.rework_cost(5).total_person_days == 80
    assert W.rework_cost(5).multiplier == 16
    assert W.rework_cost(6).multiplier == 32


def test_rework_data_reused_15x():
    """v1-03 B: f = [1, 0, 1, 1, 1] → 75/5 = 15×; stage 5 is 53 % of it."""
    r = W.rework_cost(5, invalidated=[1, 0, 1, 1, 1])
    assert r.multiplier == 15
    assert r.by_stage[4] / r.total_person_days == pytest.approx(40 / 75)
    assert r.bound == "stage 5"


def test_rework_r3():
    """v1-03 self-assessment: r = 3 gives [5, 5, 15, 45, 135] → 205/5 = 41×."""
    assert W.rework_cost(5, W.plan_efforts(5, 3)).multiplier == 41


def test_field_fix_per_context():
    """v1-03 C: cloud 160.5 → 32.1×; edge 262 → 52.4×; tiny 2,162 → 432.4×; 5,000 sensors → 132.4×."""
    assert W.field_fix_cost(1, 0, 0.5).multiplier == pytest.approx(160.5 / 5)
    assert W.field_fix_cost(400, 0.25, 2).multiplier == pytest.approx(262 / 5)
    assert W.field_fix_cost(20000, 0.1, 2).multiplier == pytest.approx(2162 / 5)
    assert W.field_fix_cost(5000, 0.1, 2).multiplier == pytest.approx(662 / 5)


def test_expected_gate_costs():
    """v1-03 D: none 40.0; G1+G3 4 + 0.5(2.5 + 8 + 8) = 13.25; all 17.71; G3 19.0; G1 22.25; G4 27.0."""
    assert W.expected_gate_cost([]).total_person_days == 0.5 * 80
    assert W.expected_gate_cost(["G1", "G3"]).total_person_days == 4 + 0.5 * (0.5 * 5 + 0.5 * 0.8 * 20 + 0.5 * 0.2 * 80)
    assert W.expected_gate_cost(["G1", "G2", "G3", "G4"]).total_person_days == pytest.approx(17.71, abs=0.005)
    assert W.expected_gate_cost(["G3"]).total_person_days == pytest.approx(19.0)
    assert W.expected_gate_cost(["G1"]).total_person_days == pytest.approx(22.25)
    assert W.expected_gate_cost(["G4"]).total_person_days == pytest.approx(27.0)


def test_no_gates_fails_budget_with_sentence():
    """v1-03 D: no gates → 40 > 20 with a sentence naming G1 and G3."""
    c = W.expected_gate_cost([])
    assert not c.within_budget and "G1" in c.message() and c.slip_probability == 1.0


def test_unknown_gate_raises():
    """An unknown gate raises the house error."""
    with pytest.raises(EngineInputError, match="`gates_on`"):
        W.expected_gate_cost(["G9"])


@given(st.floats(0.5, 20), st.floats(1.0, 4.0), st.integers(1, 5))
def test_rework_grows_with_stage(e1, r, s):
    """Finding a constraint later never costs less."""
    efforts = W.plan_efforts(e1, r)
    assert W.rework_cost(s, efforts).total_person_days <= W.rework_cost(s + 1, efforts).total_person_days


@given(st.floats(0, 1))
def test_more_gates_never_raise_expected_rework(q):
    """Adding a gate never increases expected rework (it may cost more in gate fees)."""
    a = W.expected_gate_cost(["G1"], q)
    b = W.expected_gate_cost(["G1", "G3"], q)
    assert b.expected_rework_person_days <= a.expected_rework_person_days + 1e-12
