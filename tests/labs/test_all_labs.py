"""Every lab, every part: instrument sweeps stay finite, failure states are reachable and reversible, the worker
entry point answers in strict JSON. New labs are covered without editing this file."""

from __future__ import annotations

import json
import math
import random
import re

import pytest

from labs import runtime
from labs.catalog import all_labs
from labs.schema import ChoicePrediction, Select, Slider, Toggle, bound_problems, validate_all

LABS = list(all_labs())
PARTS = [(lab, part) for lab in LABS for part in lab.parts]
PART_IDS = [f"{lab.id}-{part.id}" for lab, part in PARTS]
NOT_A_NUMBER = re.compile(r"\bnan\b|\binf\b|∞|undefined", re.IGNORECASE)
NOT_A_NUMBER_IN_MATH = re.compile(r"\bnan\b|\binf\b|undefined", re.IGNORECASE)  # "S(∞)" is notation


def sweep_values(ins):
    """Page values that exercise an instrument: every log step / option, or a linear grid incl. both ends."""
    if isinstance(ins, Slider):
        if ins.is_log:
            return list(ins.steps)
        n = int(round((ins.max - ins.min) / ins.step))
        idx = sorted({0, n, *range(0, n + 1, max(1, n // 12))})
        decimals = max(0, -math.floor(math.log10(ins.step)) + 6)
        return [min(ins.max, round(ins.min + i * ins.step, decimals)) for i in idx]  # the page's grid, no float overshoot
    if isinstance(ins, Select):
        return [o.key for o in ins.options]
    assert isinstance(ins, Toggle)
    return [False, True]


def single_moves(lab, part):
    """(ledger, instrument name, value, view) for every one-instrument move from the defaults, per ledger combo."""
    for ledger in runtime.ledger_combinations(lab):
        for ins in part.instruments:
            for value in sweep_values(ins):
                yield ledger, ins.name, value, runtime.evaluate(lab, part.id, {ins.name: value}, ledger)


def test_all_labs_validate():
    """The shipped labs pass the schema validation the builder runs."""
    assert [] == validate_all(LABS)


@pytest.mark.parametrize(("lab", "part"), PARTS, ids=PART_IDS)
def test_sweep_is_finite(lab, part):
    """Every instrument swept across its range gives finite outputs inside their physical bounds, finite chart
    values, and no exception."""
    for ledger, name, value, view in single_moves(lab, part):
        where = f"{lab.id}.{part.id} {name}={value!r} ledger={ledger}"
        assert [] == bound_problems(where, part, view["raw"])
        for out_name, out in view["outputs"].items():
            if isinstance(out["value"], float):
                assert math.isfinite(out["value"]), f"{where}: {out_name} = {out['value']}"
            assert not NOT_A_NUMBER.search(out["text"]), f"{where}: {out_name} = {out['text']}"
        for chart_id, chart in view["charts"].items():
            for s in chart["series"]:
                for y in s["y"]:
                    assert y is None or math.isfinite(y), f"{where}: chart {chart_id} has {y}"
        for line in view["math"]:
            assert "{" not in line and not NOT_A_NUMBER_IN_MATH.search(line), f"{where}: math line {line!r}"


@pytest.mark.parametrize(("lab", "part"), PARTS, ids=PART_IDS)
def test_random_settings_stay_inside_physical_bounds(lab, part):
    """Seeded random settings of all instruments at once (the corners single moves never reach: every slider at an
    end, every select and toggle mixed) keep every numeric output finite and inside its physical bounds: no
    negative time, byte or dollar, no share above 100 %, unless the output is declared SIGNED."""
    rng = random.Random(f"{lab.id}.{part.id}")
    for ledger in runtime.ledger_combinations(lab):
        for _ in range(40):
            inputs = {}
            for ins in part.instruments:
                values = sweep_values(ins)
                inputs[ins.name] = rng.choice([values[0], values[-1], rng.choice(values)])
            view = runtime.evaluate(lab, part.id, inputs, ledger)
            assert [] == bound_problems(f"{lab.id}.{part.id} {inputs} ledger={ledger}", part, view["raw"])


@pytest.mark.parametrize(("lab", "part"), [(l, p) for l, p in PARTS if p.failures],
                         ids=[f"{l.id}-{p.id}" for l, p in PARTS if p.failures])
def test_failure_states_reachable_and_reversible(lab, part):
    """Each failure is reachable, and reversible: if it holds at the scenario's settings some single control clears
    it; otherwise some single move sets it and moving that control back (to the defaults) clears it."""
    for failure in part.failures:
        reached = False
        for ledger in runtime.ledger_combinations(lab):
            base_active = failure.id in {f["id"] for f in runtime.evaluate(lab, part.id, {}, ledger)["failures"]}
            moves = []
            for ins in part.instruments:
                for value in sweep_values(ins):
                    view = runtime.evaluate(lab, part.id, {ins.name: value}, ledger)
                    active = [f for f in view["failures"] if f["id"] == failure.id]
                    assert all(f["message"] for f in active), f"{lab.id}.{part.id} {failure.id}: empty message"
                    moves.append((ins.name, value, bool(active)))
            if base_active:
                reached = True
                assert any(not a for _, _, a in moves), (
                    f"{lab.id}.{part.id} {failure.id} holds at the defaults ({ledger}) and no single control clears it"
                )
            elif any(a for _, _, a in moves):
                reached = True  # moving that control back returns to the defaults, where it is clear
        assert reached, f"{lab.id}.{part.id} failure {failure.id} is never reached by a one-instrument move"


@pytest.mark.parametrize(("lab", "part"), PARTS, ids=PART_IDS)
def test_handle_returns_strict_json(lab, part):
    """The worker entry point returns JSON without NaN for evaluate and reveal at the scenario's settings."""
    resp = json.loads(runtime.handle(json.dumps({"op": "evaluate", "lab": lab.id, "part": part.id, "inputs": {}})))
    assert resp["ok"] is True, resp
    assert "raw" not in resp["result"]
    pred = part.prediction
    guess = pred.options[0].key if isinstance(pred, ChoicePrediction) else max(pred.min, min(pred.max, 1.0))
    resp = json.loads(runtime.handle(json.dumps({"op": "reveal", "lab": lab.id, "part": part.id, "prediction": guess})))
    assert resp["ok"] is True, resp
    assert resp["result"]["text"].startswith("You predicted")


@pytest.mark.parametrize("request_body", [
    {"op": "evaluate", "lab": "v1-00", "part": "A", "inputs": {"params": -3}},
    {"op": "evaluate", "lab": "v1-00", "part": "A", "inputs": {"params": float("nan")}},
    {"op": "evaluate", "lab": "v1-00", "part": "A", "inputs": {"nope": 1}},
    {"op": "evaluate", "lab": "v1-00", "part": "A", "inputs": {"context": "<script>"}},
    {"op": "evaluate", "lab": "v9-99", "part": "A"},
    {"op": "evaluate", "lab": "v1-00", "part": "Z"},
    {"op": "reveal", "lab": "v1-00", "part": "A", "prediction": -1},
    {"op": "reveal", "lab": "v1-00", "part": "A", "prediction": "fast"},
    {"op": "drop_tables"},
])
def test_bad_requests_get_one_clear_error(request_body):
    """Bad input from the page becomes {ok: false, error: "`x` must be … (got …)"}, never an exception."""
    text = json.dumps(request_body).replace("NaN", "NaN")
    resp = json.loads(runtime.handle(text))
    assert resp["ok"] is False
    assert "must be" in resp["error"] and "(got" in resp["error"], resp["error"]
