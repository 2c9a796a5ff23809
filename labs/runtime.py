"""Evaluating a lab part: the one path from instrument values to the JSON a page shows.

The same functions run in CPython at build time (to embed each part's default results in the page) and in the
browser's Pyodide worker (on every instrument change), so a pre-rendered chart and a live one can never disagree.

    evaluate(lab, part, inputs, ledger) -> {outputs, charts, failures, math, text, inputs, raw}
    reveal(lab, part, prediction, ledger) -> {text, predicted, actual, off_by, direction, correct}
    handle(request_json) -> response_json          (the worker's single entry point)

Inputs from the page are validated here (never trusted): unknown names, values outside a slider's range and
unknown option keys are rejected with the engine's one error form. Slider values arrive in the slider's unit and
are converted to SI base units once, before compute sees them.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Mapping
from typing import Any

from engine.errors import EngineInputError
from engine.units import UNITS, format_exact, format_number, format_value, off_by, to_base
from labs.schema import (
    ChoicePrediction,
    Lab,
    NumericPrediction,
    Part,
    Select,
    Slider,
    Toggle,
)


class LabInputError(EngineInputError):
    """The page sent an input a lab does not accept."""


def _lab(lab: Lab | str) -> Lab:
    if isinstance(lab, Lab):
        return lab
    from labs.catalog import get_lab

    return get_lab(lab)


def resolve_ledger(lab: Lab, ledger: Mapping[str, Any] | None) -> tuple[dict[str, Any], list[str]]:
    """Fill each declared read from `ledger` or its preset; return (values, keys whose preset is in use)."""
    ledger = dict(ledger or {})
    values: dict[str, Any] = {}
    presets: list[str] = []
    for r in lab.reads:
        v = ledger.get(r.key)
        if not r.usable(v):
            values[r.key] = r.preset
            presets.append(r.key)
        else:
            values[r.key] = v
    return values, presets


def ledger_combinations(lab: Lab) -> list[dict[str, Any]]:
    """Every combination of finite-choice ledger reads (one empty dict when there are none)."""
    finite = [r for r in lab.reads if r.choices]
    if not finite:
        return [{}]
    return [dict(zip([r.key for r in finite], combo)) for combo in itertools.product(*[r.choices for r in finite])]


def combination_key(ledger: Mapping[str, Any]) -> str:
    """A stable string for a ledger combination, used to look up pre-computed defaults in the page."""
    return "&".join(f"{k}={ledger[k]}" for k in sorted(ledger))


def default_inputs(lab: Lab, part: Part, ledger: Mapping[str, Any]) -> dict[str, Any]:
    """The instruments' page values at the scenario's settings (a default may depend on an earlier lab's value)."""
    values, _ = resolve_ledger(lab, ledger)
    out: dict[str, Any] = {}
    for ins in part.instruments:
        default = ins.default
        source = getattr(ins, "default_from", "")
        if source:
            v = values.get(source)
            by = getattr(ins, "default_by", {})
            if by:
                default = by.get(v, ins.default)
            elif isinstance(ins, Select) and v in [o.key for o in ins.options]:
                default = v
        out[ins.name] = default
    return out


def _coerce(ins: Any, value: Any, path: str) -> Any:
    """Validate a page value for instrument `ins`; return the value compute receives (SI base units)."""
    if isinstance(ins, Slider):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise LabInputError(f"`{path}` must be a finite number (got {value!r})")
        if not (ins.min <= value <= ins.max):
            raise LabInputError(f"`{path}` must be inside [{ins.min:g}, {ins.max:g}] {ins.unit} (got {value!r})")
        return to_base(float(value), ins.unit)
    if isinstance(ins, Select):
        for o in ins.options:
            if o.key == value:
                return o.compute_value
        raise LabInputError(f"`{path}` must be one of {[o.key for o in ins.options]} (got {value!r})")
    if isinstance(ins, Toggle):
        if not isinstance(value, bool):
            raise LabInputError(f"`{path}` must be true or false (got {value!r})")
        return value
    raise LabInputError(f"`{path}` has an unknown instrument type {type(ins).__name__}")


def _input_text(ins: Any, page_value: Any) -> str:
    if isinstance(ins, Slider):
        return format_exact(to_base(float(page_value), ins.unit), ins.unit)
    if isinstance(ins, Select):
        return next(o.label for o in ins.options if o.key == page_value)
    return "on" if page_value else "off"


def _display_number(value: float, unit: str) -> float:
    return value / UNITS[unit].factor


def _convert_chart(spec: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """Convert a compute's chart data (SI) to the chart's display units; validate finiteness."""
    xs = list(data.get("x", []))
    if spec.x_unit != "none":
        xs = [_display_number(float(x), spec.x_unit) for x in xs]
    series = []
    for s in data.get("series", []):
        ys = []
        for y in s["y"]:
            if y is None:
                ys.append(None)  # a gap: e.g. latency on a context that cannot load the model
            else:
                ys.append(_display_number(float(y), spec.y_unit))
        series.append({**s, "y": ys})
    lines = [{**ln, "y": _display_number(float(ln["y"]), spec.y_unit)} for ln in data.get("lines", [])]
    return {"x": xs, "series": series, "lines": lines}


def evaluate(
    lab: Lab | str, part_id: str, inputs: Mapping[str, Any] | None = None, ledger: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Run part `part_id` of `lab` with the page's `inputs` (missing ones take their defaults)."""
    lab = _lab(lab)
    try:
        part = lab.part(part_id)
    except KeyError:
        raise LabInputError(f"`part` must be one of {[p.id for p in lab.parts]} (got {part_id!r})") from None
    ledger_values, presets = resolve_ledger(lab, ledger)
    page_values = default_inputs(lab, part, ledger or {})
    known = {i.name: i for i in part.instruments}
    for name, value in (inputs or {}).items():
        if name not in known:
            raise LabInputError(f"`{lab.id}.{part.id}.{name}` must be an instrument of this part (got an unknown name)")
        page_values[name] = value
    kwargs = {name: _coerce(known[name], v, f"{lab.id}.{part.id}.{name}") for name, v in page_values.items()}
    for param, key in part.ledger_inputs.items():
        kwargs[param] = ledger_values[key]

    raw = dict(part.compute(**kwargs))
    chart_data = raw.pop("charts", {}) or {}

    text: dict[str, str] = {name: _input_text(known[name], v) for name, v in page_values.items()}
    outputs: dict[str, dict[str, Any]] = {}
    for o in part.outputs:
        v = raw[o.name]
        if o.kind == "number":
            shown = format_value(float(v), o.unit, o.sig)
            outputs[o.name] = {"value": _display_number(float(v), o.unit), "text": shown, "finite": math.isfinite(v)}
        else:
            shown = str(v)
            outputs[o.name] = {"value": shown, "text": shown, "finite": True}
        text[o.name] = shown
    charts = {c.id: _convert_chart(c, chart_data[c.id]) for c in part.charts if c.id in chart_data}
    failures = [{"id": f.id, "title": f.title, "message": f.text(raw)} for f in part.failures if f.holds(raw)]
    math_lines = [line.format_map(_KeepMissing(text)) for line in part.math.substituted]
    return {
        "lab": lab.id,
        "part": part.id,
        "inputs": page_values,
        "outputs": outputs,
        "charts": charts,
        "failures": failures,
        "math": math_lines,
        "text": text,
        "presets": presets,
        "raw": {k: v for k, v in raw.items() if isinstance(v, (int, float, str, bool))},
    }


def reveal(
    lab: Lab | str, part_id: str, prediction: Any, ledger: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Compare a locked prediction with the engine's answer at the scenario's settings.

    Numeric: "You predicted 5.00 ms. Actual: 39.06 ms. Off by 7.8× (under)." (engine.units.off_by).
    Choice:  "You predicted (b) …. Actual: (a) …." with `correct`.
    """
    lab = _lab(lab)
    part = lab.part(part_id)
    view = evaluate(lab, part_id, {}, ledger)
    pred = part.prediction
    answer = next(o for o in part.outputs if o.name == pred.answer)
    if isinstance(pred, NumericPrediction):
        if isinstance(prediction, bool) or not isinstance(prediction, (int, float)) or not math.isfinite(prediction):
            raise LabInputError(f"`prediction` must be a number in {pred.unit} (got {prediction!r})")
        if not (pred.min <= prediction <= pred.max):
            raise LabInputError(
                f"`prediction` must be inside [{format_number(pred.min)}, {format_number(pred.max)}] {pred.unit} "
                f"(got {prediction!r})"
            )
        predicted_base = to_base(float(prediction), pred.unit)
        actual_base = float(view["raw"][pred.answer])
        off = off_by(predicted_base, actual_base)
        predicted_text = format_value(predicted_base, pred.unit, 3)
        actual_text = format_value(actual_base, pred.unit, answer.sig)
        return {
            "kind": "numeric",
            "text": f"You predicted {predicted_text}. Actual: {actual_text}. {off.text}.",
            "predicted": {"value": float(prediction), "unit": pred.unit, "text": predicted_text},
            "actual": {"value": _display_number(actual_base, pred.unit), "unit": pred.unit, "text": actual_text},
            "off_by": off.factor,
            "direction": off.direction,
            "correct": None,
        }
    assert isinstance(pred, ChoicePrediction)
    labels = {o.key: o.label for o in pred.options}
    if prediction not in labels:
        raise LabInputError(f"`prediction` must be one of {list(labels)} (got {prediction!r})")
    actual_key = view["raw"][pred.answer]
    correct = prediction == actual_key
    verdict = "Correct." if correct else "Not this time."
    return {
        "kind": "choice",
        "text": f"You predicted ({prediction}) {labels[prediction]}. Actual: ({actual_key}) {labels[actual_key]}. {verdict}",
        "predicted": {"value": prediction, "unit": "none", "text": f"({prediction}) {labels[prediction]}"},
        "actual": {"value": actual_key, "unit": "none", "text": f"({actual_key}) {labels[actual_key]}"},
        "off_by": None,
        "direction": None,
        "correct": correct,
    }


class _KeepMissing(dict):
    """format_map mapping that leaves unknown {names} in place (validation reports them; pages never crash)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _public(view: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in view.items() if k != "raw"}


def handle(request_json: str) -> str:
    """The worker's entry point: one JSON request in, one JSON response out (no Python objects cross over).

    Requests: {"op": "evaluate", "lab", "part", "inputs", "ledger"} | {"op": "reveal", "lab", "part",
    "prediction", "ledger"} | {"op": "portfolio", "ledger_doc"} | {"op": "ping"}. Responses: {"ok": true, "result": …} or {"ok": false, "error": "…"}.
    """
    try:
        req = json.loads(request_json)
        op = req.get("op")
        if op == "ping":
            result: Any = {"pong": True}
        elif op == "evaluate":
            result = _public(evaluate(req["lab"], req["part"], req.get("inputs") or {}, req.get("ledger") or {}))
        elif op == "reveal":
            result = reveal(req["lab"], req["part"], req.get("prediction"), req.get("ledger") or {})
        elif op == "portfolio":
            from labs.portfolio import build_portfolio  # only the capstone page asks for it

            doc = req.get("ledger_doc")
            if not isinstance(doc, dict):
                raise LabInputError(f"`ledger_doc` must be the Design Ledger document (got {type(doc).__name__})")
            result = build_portfolio(doc)
        else:
            raise LabInputError(f"`op` must be one of 'evaluate', 'reveal', 'portfolio', 'ping' (got {op!r})")
        return json.dumps({"ok": True, "result": result}, allow_nan=False)
    except (EngineInputError, KeyError, ValueError, TypeError) as exc:
        message = str(exc) if isinstance(exc, EngineInputError) else f"{type(exc).__name__}: {exc}"
        return json.dumps({"ok": False, "error": message})
