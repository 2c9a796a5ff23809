"""Lab schema validation: each kind of bad lab is rejected with the one message form, all problems at once."""

from __future__ import annotations

import dataclasses

import pytest

from labs.schema import (
    ChoicePrediction,
    FailureState,
    LedgerRead,
    LedgerWrite,
    MathPeek,
    NumericPrediction,
    Option,
    SHARE,
    SIGNED,
    Select,
    Slider,
    bound_problems,
    output_bounds,
    validate_all,
    validate_lab,
)
from labs.v1_00 import LAB as V100


def _part_a(**changes):
    return dataclasses.replace(V100.parts[0], **changes)


def _lab_with_part(part, **lab_changes):
    return dataclasses.replace(V100, parts=(part,), **lab_changes)


def _instrument(name):
    return next(i for i in V100.parts[0].instruments if i.name == name)


def _replace_instrument(name, **changes):
    ins = tuple(dataclasses.replace(i, **changes) if i.name == name else i for i in V100.parts[0].instruments)
    return _lab_with_part(_part_a(instruments=ins))


def test_shipped_lab_is_valid():
    """The shipped v1-00 declaration passes validation (the baseline every other test perturbs)."""
    assert [] == validate_lab(V100)


def test_default_outside_range_is_rejected():
    """A slider default outside its range names the field, the range and the value."""
    lab = _replace_instrument("params", default=5e12)
    errors = validate_lab(lab)
    assert any(e.startswith("`v1-00.A.instruments.params.default` must be inside [1e+06, 1e+11]") and "5000000000000.0" in e
               for e in errors), errors


def test_log_default_must_be_a_step():
    """A log slider's default must be one of its explicit steps."""
    lab = _replace_instrument("params", default=1.5e9)
    assert any("`v1-00.A.instruments.params.default` must be one of the log steps" in e for e in validate_lab(lab))


def test_unknown_unit_is_rejected():
    """Units come from the engine's closed vocabulary."""
    lab = _replace_instrument("params", unit="megaparams")
    assert any("`v1-00.A.instruments.params.unit` must be a unit id" in e for e in validate_lab(lab))


def test_instrument_must_bind_to_a_compute_parameter():
    """An instrument whose name is not a parameter of the part's compute function is rejected (signature check)."""
    extra = Slider("batch_size", "Batch", "count", 1, 64, 8, step=1)
    lab = _lab_with_part(_part_a(instruments=V100.parts[0].instruments + (extra,)))
    assert any("`v1-00.A.instruments.batch_size` must be a parameter of one_pass()" in e for e in validate_lab(lab))


def test_unbound_compute_parameter_is_rejected():
    """A compute parameter with no instrument or ledger input is reported."""
    ins = tuple(i for i in V100.parts[0].instruments if i.name != "context")
    errors = validate_lab(_lab_with_part(_part_a(instruments=ins)))
    assert any("`v1-00.A.compute.context` must be bound to an instrument or a ledger input" in e for e in errors)


def test_part_without_instruments_is_rejected():
    """Every part needs at least one instrument."""
    errors = validate_lab(_lab_with_part(_part_a(instruments=())))
    assert any("`v1-00.A.instruments` must be at least one instrument" in e for e in errors)


def test_lab_without_failure_state_is_rejected():
    """Each lab declares at least one failure state."""
    errors = validate_lab(_lab_with_part(_part_a(failures=())))
    assert any("to declare at least one failure state" in e for e in errors)


def test_reveal_must_be_an_engine_output():
    """A numeric prediction's answer must name a numeric output computed by the part."""
    pred = dataclasses.replace(V100.parts[0].prediction, answer="not_an_output")
    errors = validate_lab(_lab_with_part(_part_a(prediction=pred)))
    assert any("`v1-00.A.prediction.answer` must be a numeric output name" in e for e in errors)


def test_prediction_unit_must_match_answer_quantity():
    """A prediction in GB against a time output is a unit slip and is rejected."""
    pred = dataclasses.replace(V100.parts[0].prediction, unit="GB")
    errors = validate_lab(_lab_with_part(_part_a(prediction=pred)))
    assert any("`v1-00.A.prediction.unit` must be of the same quantity as output 'pass_time'" in e for e in errors)


def test_choice_prediction_needs_a_text_answer():
    """A choice prediction must be answered by a text output (the option key)."""
    pred = ChoicePrediction("Which?", (Option("a", "A"), Option("b", "B")), answer="pass_time")
    errors = validate_lab(_lab_with_part(_part_a(prediction=pred)))
    assert any("`v1-00.A.prediction.answer` must be a text output name" in e for e in errors)


def test_math_engine_refs_must_resolve_and_cite():
    """Math-peek engine references must be real engine functions whose docstring has a Source: line."""
    peek = dataclasses.replace(V100.parts[0].math, engine=("engine.memory.no_such_function",))
    errors = validate_lab(_lab_with_part(_part_a(math=peek)))
    assert any("`v1-00.A.math.engine` must be dotted paths to engine functions" in e for e in errors)


def test_math_placeholders_must_exist():
    """A substituted math line may only name instruments and outputs."""
    peek = dataclasses.replace(V100.parts[0].math, substituted=("t = {nonexistent}",))
    errors = validate_lab(_lab_with_part(_part_a(math=peek)))
    assert any("placeholders naming instruments or outputs" in e and "nonexistent" in e for e in errors)


def test_select_default_must_be_an_option():
    """A select's default must be one of its option keys."""
    lab = _replace_instrument("context", default="mainframe")
    assert any("`v1-00.A.instruments.context.default` must be one of" in e for e in validate_lab(lab))


def test_ledger_write_must_name_a_real_source():
    """A ledger write from a part must name one of that part's outputs or instruments."""
    lab = dataclasses.replace(V100, writes=V100.writes + (LedgerWrite("v1-00.bogus", "number", "A", "bogus"),))
    assert any("`v1-00.writes.v1-00.bogus.source` must be an output or instrument of part A" in e for e in validate_lab(lab))


def test_compute_that_raises_is_reported_not_crashing():
    """A compute function that raises at its defaults becomes one error; validation keeps going."""
    def broken(params, precision, context):
        raise ZeroDivisionError("boom")

    errors = validate_lab(_lab_with_part(_part_a(compute=broken)))
    assert any("`v1-00.A.compute` must run at its defaults (got ZeroDivisionError: boom)" in e for e in errors)


def test_all_errors_are_collected():
    """Validation reports every problem at once rather than stopping at the first."""
    ins = tuple(
        dataclasses.replace(i, unit="bogus") if i.name == "params" else
        dataclasses.replace(i, default="nowhere") if i.name == "context" else i
        for i in V100.parts[0].instruments
    )
    errors = validate_lab(_lab_with_part(_part_a(instruments=ins, failures=())))
    assert len(errors) >= 3, errors


def test_duplicate_lab_ids_and_unwritten_reads():
    """Cross-lab checks: ids are unique and a read names a key the source lab writes."""
    reader = dataclasses.replace(V100, id="v1-01", reads=(LedgerRead("v1-00.not_written", "x", "cloud"),))
    errors = validate_all([V100, V100, reader])
    assert any("`v1-00` must be a unique lab id" in e for e in errors)
    assert any("must be a key that lab v1-00 writes" in e and "not_written" in e for e in errors)


@pytest.mark.parametrize("bad", [NumericPrediction("p", "ms", 0, 10, "pass_time", scale="log")])
def test_log_prediction_needs_positive_min(bad):
    """A log-scale numeric prediction cannot start at zero."""
    errors = validate_lab(_lab_with_part(_part_a(prediction=bad)))
    assert any("`v1-00.A.prediction.min` must be positive on a log scale" in e for e in errors)


def _with_output(name, **changes):
    outs = tuple(dataclasses.replace(o, **changes) if o.name == name else o for o in V100.parts[0].outputs)
    return _part_a(outputs=outs)


def test_default_bounds_follow_the_quantity():
    """A time, a byte count or a share is never negative by default; a dimensionless score is unbounded."""
    part = V100.parts[0]
    out = {o.name: o for o in part.outputs}
    assert output_bounds(out["pass_time"]) == (0.0, float("inf"))
    assert output_bounds(out["capacity_used"]) == (0.0, float("inf"))  # used ÷ capacity: may exceed 100 %
    assert output_bounds(dataclasses.replace(out["pass_time"], unit="none")) == SIGNED
    assert output_bounds(dataclasses.replace(out["capacity_used"], bounds=SHARE)) == (0.0, 1.0)


def test_bound_problems_name_the_output_the_limit_and_the_value():
    part = _with_output("capacity_used", bounds=SHARE)
    raw = {"pass_time": -0.002, "capacity_used": 1.5, "weight_bytes": float("nan"), "tokens_ceiling": 10.0}
    assert bound_problems("v1-00.A", part, raw) == [
        "`v1-00.A.outputs.weight_bytes` must be a finite number (got nan)",
        "`v1-00.A.outputs.pass_time` must be inside [0, inf] (got -0.002)",
        "`v1-00.A.outputs.capacity_used` must be inside [0, 1] (got 1.5)",
    ]
    assert bound_problems("v1-00.A", _with_output("pass_time", bounds=SIGNED), {"pass_time": -0.002}) == []


def test_default_outside_physical_bounds_is_rejected():
    """The model at its defaults fills 50 % of memory: a (hypothetical) cap at 0.01 % fails validation."""
    errors = validate_lab(_lab_with_part(_with_output("capacity_used", bounds=(0.0, 1e-4))))
    assert any("`v1-00.A.outputs.capacity_used` must be inside [0, 0.0001]" in e for e in errors), errors


@pytest.mark.parametrize("bad", [(1.0, 0.0), (0.0,), (float("nan"), 1.0), ("0", "1")])
def test_malformed_bounds_are_rejected(bad):
    errors = validate_lab(_lab_with_part(_with_output("pass_time", bounds=bad)))
    assert any("`v1-00.A.outputs.pass_time.bounds` must be (low, high) with low < high" in e for e in errors), errors


def test_failure_state_names_a_flag_and_a_message():
    """`when` naming a result holds while it is true ("not name": while it is false); `message` shows a result."""
    oom = FailureState("oom", "Out of memory", when="not fits", message="why")
    hot = FailureState("hot", "Too hot", when="hot", message=lambda r: f"{r['t']} °C")
    assert oom.holds({"fits": False}) and not oom.holds({"fits": True})
    assert hot.holds({"hot": 1}) and not hot.holds({"hot": 0})
    assert oom.text({"why": "9 GB > 8 GB"}) == "9 GB > 8 GB" and hot.text({"t": 95}) == "95 °C"
    with pytest.raises(KeyError, match="failure 'oom' names the result 'fits', which compute does not return"):
        oom.holds({})


@pytest.mark.parametrize(("when", "message"), [("fits < 1", "message"), ("fits now", "message"), (3, "message"),
                                               ("fits", "no such-name")])
def test_malformed_failure_references_are_rejected(when, message):
    part = _part_a(failures=(FailureState("bad", "Bad", when=when, message=message),))
    errors = validate_lab(_lab_with_part(part))
    assert any("`v1-00.A.failures.bad." in e and "must be" in e for e in errors), errors


def test_failure_naming_a_missing_result_is_reported():
    """A name compute never returns is caught at validation, naming the failure and the result."""
    part = _part_a(failures=(FailureState("bad", "Bad", when="no_such_flag", message="message"),))
    errors = validate_lab(_lab_with_part(part))
    assert any("failure 'bad' names the result 'no_such_flag'" in e for e in errors), errors


def test_numeric_read_outside_its_range_falls_back_to_the_labelled_preset():
    """A stored utilisation of 1.5, a string or a boolean cannot stand in for v1-13's value: the preset is used and
    labelled as in use; 0.7 is used as stored."""
    from labs.runtime import resolve_ledger

    lab = dataclasses.replace(V100, reads=(LedgerRead("v1-13.safe_utilization", "Safe utilisation", 0.632,
                                                      between=(0.0, 1.0)),))
    for bad in (1.5, 0.0, "0.7", True, None):
        assert resolve_ledger(lab, {"v1-13.safe_utilization": bad}) == (
            {"v1-13.safe_utilization": 0.632}, ["v1-13.safe_utilization"])
    assert resolve_ledger(lab, {"v1-13.safe_utilization": 0.7}) == ({"v1-13.safe_utilization": 0.7}, [])


def test_preset_outside_the_read_range_is_rejected():
    lab = dataclasses.replace(V100, reads=(*V100.reads, LedgerRead("v1-13.safe_utilization", "Safe", 1.2,
                                                                   between=(0.0, 1.0))))
    errors = validate_lab(lab)
    assert any("`v1-00.reads.v1-13.safe_utilization.preset` must be a number strictly inside (0.0, 1.0)" in e
               for e in errors), errors
