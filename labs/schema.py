"""The lab schema: frozen records that a lab module instantiates, and the validation that checks them.

A lab is data. Its module declares one `Lab`: metadata, a briefing, Parts A–D (scenario, prediction, instruments,
outputs, charts, failure states, math peek, reveal), decisions, a synthesis and its Design Ledger reads and writes.
Each part names a `compute` function (the model, in PhET's sense): its parameters are exactly the part's instrument
names plus any ledger inputs, it calls the engine and returns a plain dict of outputs in SI base units and chart
data. The site builder renders the records; labs.runtime evaluates them, at build time and in the browser.

`validate_lab` collects every problem it finds, each in the one message form
"`v1-00.A.instruments.params.default` must be inside [1e+06, 1e+11] (got 5e+12)", so a contributor sees all of
them at once (MkDocs' "validate everything, then write").
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Union

from engine.units import UNITS

# --- records ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One choice: `key` is what the page and ledger store, `value` what compute receives (defaults to key)."""

    key: str
    label: str
    detail: str = ""
    value: Any = None

    @property
    def compute_value(self) -> Any:
        return self.key if self.value is None else self.value


@dataclass(frozen=True)
class Scenario:
    """The stakeholder who frames the decision, and what they say (Markdown)."""

    speaker: str
    role: str
    text: str


@dataclass(frozen=True)
class NumericPrediction:
    """A number with a unit. `min`/`max` are in `unit`; `answer` names the output whose value is the actual."""

    prompt: str
    unit: str
    min: float
    max: float
    answer: str
    scale: str = "log"  # log | linear


@dataclass(frozen=True)
class ChoicePrediction:
    """One of several options; `answer` names the output whose value is the correct option key."""

    prompt: str
    options: tuple[Option, ...]
    answer: str


Prediction = Union[NumericPrediction, ChoicePrediction]


@dataclass(frozen=True)
class Slider:
    """A range control. Linear sliders use min/max/step; log sliders use explicit `steps` (values in `unit`).

    The value compute receives is converted to SI base units (value × unit factor) exactly once, in labs.runtime.
    With `default_from` (a ledger read) and `default_by` (ledger value -> default), the scenario's setting depends
    on an earlier lab: e.g. a power budget of 700 W when the home context is cloud and 20 W when it is edge.
    """

    name: str
    label: str
    unit: str
    min: float
    max: float
    default: float
    step: float | None = None
    steps: tuple[float, ...] = ()
    help: str = ""
    default_from: str = ""
    default_by: Mapping[str, float] = field(default_factory=dict)

    @property
    def is_log(self) -> bool:
        return bool(self.steps)


@dataclass(frozen=True)
class Select:
    """A drop-down. With `default_from` (a ledger read) the default is the ledger value when it is an option, or
    `default_by[ledger value]` when that map is given (e.g. compare against tiny, or cloud when home is tiny)."""

    name: str
    label: str
    options: tuple[Option, ...]
    default: str
    unit: str = "none"
    default_from: str = ""
    help: str = ""
    default_by: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Toggle:
    """A checkbox."""

    name: str
    label: str
    default: bool = False
    help: str = ""


Instrument = Union[Slider, Select, Toggle]


@dataclass(frozen=True)
class Output:
    """A computed readout. Numbers arrive in SI base units and are shown in `unit` with `sig` figures.

    kind 'text' outputs are strings (a binding axis, a verdict) and have unit 'none'.

    `bounds` are the physical limits of a number, in SI base units (a percent output holds a fraction): None
    means the default of its unit's quantity (see `output_bounds`); `SHARE` is a part of a whole; `SIGNED` is a
    margin or a difference that may go negative. Validation and the tests hold every value inside them.
    """

    name: str
    label: str
    unit: str = "none"
    sig: int = 3
    kind: str = "number"  # number | text
    show: bool = True  # False: used only in math-peek substitutions and ledger writes
    bounds: tuple[float, float] | None = None


SHARE: tuple[float, float] = (0.0, 1.0)  # a part of a whole: 0 to 100 %
SIGNED: tuple[float, float] = (-math.inf, math.inf)  # a margin, a saving or a change: may be negative


def _bounds_well_formed(b: object) -> bool:
    return (isinstance(b, tuple) and len(b) == 2
            and all(isinstance(x, (int, float)) and not isinstance(x, bool) and not math.isnan(x) for x in b)
            and b[0] < b[1])


def output_bounds(output: Output) -> tuple[float, float]:
    """The physical bounds of a numeric output in SI base units.

    Declared bounds win. Otherwise a dimensional quantity (time, bytes, FLOP, energy, money, a count, a ratio, a
    fraction…) is at least 0 and a dimensionless score is unbounded.
    """
    if output.bounds is not None and _bounds_well_formed(output.bounds):
        return output.bounds
    return SIGNED if UNITS[output.unit].quantity == "dimensionless" else (0.0, math.inf)


def bound_problems(path: str, part: "Part", raw: Mapping[str, Any]) -> list[str]:
    """Every numeric output of `raw` (a compute result) that is not finite or lies outside its physical bounds."""
    problems = []
    for o in part.outputs:
        v = raw.get(o.name)
        if o.kind != "number" or o.name not in raw:
            continue
        lo, hi = output_bounds(o)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            problems.append(f"`{path}.outputs.{o.name}` must be a finite number (got {v!r})")
        elif not lo <= v <= hi:
            problems.append(f"`{path}.outputs.{o.name}` must be inside [{lo:g}, {hi:g}] (got {v:g})")
    return problems


@dataclass(frozen=True)
class Chart:
    """A chart the part's compute fills under results['charts'][id] (see labs.runtime for the data shape)."""

    id: str
    kind: str  # bar | grouped_bar | stacked_bar | line
    title: str
    x_label: str
    y_label: str
    y_unit: str = "none"
    x_unit: str = "none"
    x_log: bool = False
    y_log: bool = False
    description: str = ""


@dataclass(frozen=True)
class FailureState:
    """A reversible failure: `when` says if it holds; `message` names value, limit, unit and first fix.

    Most failures are a flag and a message the compute function already returns, so both may name a result:
    `when="unstable"` holds while results["unstable"] is true, `when="not fits"` while results["fits"] is false,
    and `message="slo_message"` shows results["slo_message"]. Anything else is a function of the results.
    """

    id: str
    title: str
    when: Callable[[Mapping[str, Any]], bool] | str
    message: Callable[[Mapping[str, Any]], str] | str

    def _flag(self) -> tuple[bool, str]:
        negate = self.when.startswith("not ")
        return negate, self.when[4:] if negate else self.when

    def _result(self, results: Mapping[str, Any], name: str) -> Any:
        if name not in results:
            raise KeyError(f"failure {self.id!r} names the result {name!r}, which compute does not return")
        return results[name]

    def holds(self, results: Mapping[str, Any]) -> bool:
        if callable(self.when):
            return bool(self.when(results))
        negate, name = self._flag()
        return bool(self._result(results, name)) != negate

    def text(self, results: Mapping[str, Any]) -> str:
        return self.message(results) if callable(self.message) else self._result(results, self.message)


@dataclass(frozen=True)
class MathPeek:
    """The governing equations (LaTeX, rendered at build time) and the same with the student's values.

    `substituted` are templates whose {names} are instrument or output names; they are filled with display text.
    `engine` lists the dotted engine functions that compute the part (each must cite a Source).
    """

    equations: tuple[str, ...]
    substituted: tuple[str, ...]
    engine: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Reveal:
    """What the reveal explains after "You predicted X. Actual: Y. Off by Z×." (Markdown)."""

    explanation: str


@dataclass(frozen=True)
class Part:
    id: str  # A | B | C | D
    title: str
    kind: str  # calibration | deepening | cross-context | design
    scenario: Scenario
    prediction: Prediction
    instruments: tuple[Instrument, ...]
    compute: Callable[..., Mapping[str, Any]]
    outputs: tuple[Output, ...]
    reveal: Reveal
    math: MathPeek
    charts: tuple[Chart, ...] = ()
    failures: tuple[FailureState, ...] = ()
    ledger_inputs: Mapping[str, str] = field(default_factory=dict)  # compute parameter -> ledger key


@dataclass(frozen=True)
class Decision:
    """A choice the lab records without a prediction (v1-00's home context)."""

    key: str  # full ledger key, e.g. "v1-00.home_context"
    prompt: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class LedgerRead:
    """A value from an earlier lab; `preset` is used (and labelled "preset in use") when it is missing or unusable.

    `choices`: the value must be one of them (the builder pre-computes every part for each choice). `between`:
    the value must be a number strictly inside (low, high), e.g. (0, 1) for a utilisation.
    """

    key: str
    label: str
    preset: Any
    choices: tuple[str, ...] = ()
    between: tuple[float, float] | None = None

    def usable(self, value: Any) -> bool:
        """Whether a stored value can stand in for the preset."""
        if value is None or self.choices and value not in self.choices:
            return False
        if self.between is not None:
            return (isinstance(value, (int, float)) and not isinstance(value, bool)
                    and self.between[0] < value < self.between[1])
        return True


@dataclass(frozen=True)
class LedgerWrite:
    """A value this lab writes. kind: prediction | decision | number.

    source: for kind 'prediction', one of prediction | actual | off_by (of part `part`);
            otherwise an output or instrument name of part `part`.
    when:   'reveal' (at the scenario's settings, when the prediction is locked) or 'change' (latest state).
    """

    key: str
    kind: str
    part: str
    source: str
    unit: str = "none"
    when: str = "reveal"


@dataclass(frozen=True)
class Briefing:
    objectives: tuple[str, ...]
    decide: str
    body: str = ""  # Markdown: conventions, tables


@dataclass(frozen=True)
class Synthesis:
    takeaways: tuple[str, ...]
    connections: str
    self_assessment: tuple[tuple[str, str], ...]  # (question, answer)


@dataclass(frozen=True)
class Lab:
    id: str
    title: str
    volume: int
    section: str
    minutes: int
    prerequisites: tuple[str, ...]
    core_question: str
    briefing: Briefing
    parts: tuple[Part, ...]
    synthesis: Synthesis
    model_note: str
    decisions: tuple[Decision, ...] = ()
    reads: tuple[LedgerRead, ...] = ()
    writes: tuple[LedgerWrite, ...] = ()
    portfolio: bool = False  # the page ends in the Volume portfolio (labs.portfolio.build_portfolio)

    def part(self, part_id: str) -> Part:
        for p in self.parts:
            if p.id == part_id:
                return p
        raise KeyError(part_id)

    def read(self, key: str) -> LedgerRead:
        for r in self.reads:
            if r.key == key:
                return r
        raise KeyError(key)


# --- validation ---------------------------------------------------------------------------------------------

LAB_ID = re.compile(r"^v[12]-\d\d$")
PART_IDS = ("A", "B", "C", "D")
PART_KINDS = ("calibration", "deepening", "cross-context", "design")
CHART_KINDS = ("bar", "grouped_bar", "stacked_bar", "line")
WRITE_KINDS = ("prediction", "decision", "number")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
FLAG = re.compile(r"(not )?[A-Za-z_][A-Za-z0-9_]*")  # FailureState.when naming a result
PLACEHOLDER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")


class LabValidationError(Exception):
    """Raised by `validate_or_raise` with every message found."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def _must(errors: list[str], ok: bool, path: str, requirement: str, got: object) -> bool:
    if not ok:
        errors.append(f"`{path}` must be {requirement} (got {got!r})")
    return ok


def _check_unit(errors: list[str], path: str, unit: str) -> None:
    _must(errors, unit in UNITS, path, "a unit id from engine.units.UNITS", unit)


def _check_instrument(errors: list[str], path: str, ins: Instrument) -> None:
    _must(errors, bool(NAME.match(ins.name)), f"{path}.name", "a snake_case identifier", ins.name)
    _must(errors, bool(ins.label.strip()), f"{path}.label", "non-empty", ins.label)
    if isinstance(ins, Slider):
        _check_unit(errors, f"{path}.unit", ins.unit)
        if not _must(errors, ins.min < ins.max, f"{path}.min", f"less than max {ins.max!r}", ins.min):
            return
        _must(
            errors, ins.min <= ins.default <= ins.max, f"{path}.default", f"inside [{ins.min:g}, {ins.max:g}]", ins.default
        )
        if ins.is_log:
            steps = ins.steps
            _must(errors, list(steps) == sorted(set(steps)), f"{path}.steps", "strictly increasing", steps)
            _must(errors, steps[0] == ins.min and steps[-1] == ins.max, f"{path}.steps", "to start at min and end at max", (steps[0], steps[-1]))
            _must(errors, ins.default in steps, f"{path}.default", "one of the log steps", ins.default)
            _must(errors, ins.step is None, f"{path}.step", "None for a log slider (use steps)", ins.step)
        else:
            if _must(errors, ins.step is not None and ins.step > 0, f"{path}.step", "a positive number for a linear slider", ins.step):
                n = (ins.default - ins.min) / ins.step
                _must(errors, abs(n - round(n)) < 1e-6, f"{path}.default", f"on the step grid from {ins.min:g} by {ins.step:g}", ins.default)
    elif isinstance(ins, Select):
        _check_unit(errors, f"{path}.unit", ins.unit)
        keys = [o.key for o in ins.options]
        _must(errors, len(keys) >= 2, f"{path}.options", "at least two options", keys)
        _must(errors, len(keys) == len(set(keys)), f"{path}.options", "unique keys", keys)
        _must(errors, ins.default in keys, f"{path}.default", f"one of {keys}", ins.default)
    elif isinstance(ins, Toggle):
        _must(errors, isinstance(ins.default, bool), f"{path}.default", "a bool", ins.default)
    else:
        errors.append(f"`{path}` must be a Slider, Select or Toggle (got {type(ins).__name__})")


def _resolve_engine_ref(ref: str) -> Callable[..., Any] | None:
    module_name, _, attr = ref.rpartition(".")
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError:
        # allow registry.hardware.get_context style paths to nested attributes
        return None
    return getattr(obj, attr, None)


def _check_math(errors: list[str], path: str, math_peek: MathPeek) -> None:
    _must(errors, len(math_peek.equations) >= 1, f"{path}.equations", "at least one equation", math_peek.equations)
    _must(errors, len(math_peek.engine) >= 1, f"{path}.engine", "at least one engine function", math_peek.engine)
    for ref in math_peek.engine:
        fn = _resolve_engine_ref(ref) if ref.startswith("engine.") else None
        if not _must(errors, callable(fn), f"{path}.engine", "dotted paths to engine functions", ref):
            continue
        doc = inspect.getdoc(fn) or ""
        _must(errors, "Source:" in doc, f"{path}.engine.{ref}", "a function whose docstring has a Source: line", ref)


def _check_part(errors: list[str], lab: Lab, part: Part) -> None:
    from labs import runtime  # late import: runtime depends on this module

    path = f"{lab.id}.{part.id}"
    _must(errors, part.id in PART_IDS, f"{path}.id", f"one of {PART_IDS}", part.id)
    _must(errors, part.kind in PART_KINDS, f"{path}.kind", f"one of {PART_KINDS}", part.kind)
    _must(errors, bool(part.scenario.text.strip()), f"{path}.scenario.text", "non-empty", part.scenario.text)
    _must(errors, len(part.instruments) >= 1, f"{path}.instruments", "at least one instrument", part.instruments)
    names = [i.name for i in part.instruments]
    _must(errors, len(names) == len(set(names)), f"{path}.instruments", "uniquely named", names)
    for ins in part.instruments:
        ipath = f"{path}.instruments.{ins.name}"
        _check_instrument(errors, ipath, ins)
        default_from = getattr(ins, "default_from", "")
        default_by = getattr(ins, "default_by", {})
        if default_from:
            _must(errors, default_from in {r.key for r in lab.reads}, f"{ipath}.default_from",
                  "a key the lab declares in reads", default_from)
        _must(errors, not default_by or bool(default_from), f"{ipath}.default_by", "used with default_from", default_by)
        for key, value in default_by.items():
            _check_instrument(errors, f"{ipath}.default_by.{key}", dataclasses.replace(ins, default=value, default_by={}))

    # bindings: compute's parameters are exactly instruments + ledger inputs
    try:
        params = inspect.signature(part.compute).parameters
    except (TypeError, ValueError):
        errors.append(f"`{path}.compute` must be a function (got {part.compute!r})")
        return
    bound = set(names) | set(part.ledger_inputs)
    for n in names:
        _must(errors, n in params, f"{path}.instruments.{n}", f"a parameter of {part.compute.__name__}()", n)
    for p in params.values():
        if p.default is inspect.Parameter.empty:
            _must(errors, p.name in bound, f"{path}.compute.{p.name}", "bound to an instrument or a ledger input", p.name)
    read_keys = {r.key for r in lab.reads}
    for param, key in part.ledger_inputs.items():
        _must(errors, param in params, f"{path}.ledger_inputs.{param}", f"a parameter of {part.compute.__name__}()", param)
        _must(errors, key in read_keys, f"{path}.ledger_inputs.{param}", "a key the lab declares in reads", key)

    outputs = {o.name: o for o in part.outputs}
    _must(errors, len(outputs) == len(part.outputs), f"{path}.outputs", "uniquely named", [o.name for o in part.outputs])
    for o in part.outputs:
        _check_unit(errors, f"{path}.outputs.{o.name}.unit", o.unit)
        _must(errors, o.kind in ("number", "text"), f"{path}.outputs.{o.name}.kind", "'number' or 'text'", o.kind)
        if o.bounds is not None:
            _must(errors, o.kind == "number" and _bounds_well_formed(o.bounds), f"{path}.outputs.{o.name}.bounds",
                  "(low, high) with low < high on a number", o.bounds)
    for f in part.failures:
        _must(errors, callable(f.when) or isinstance(f.when, str) and bool(FLAG.fullmatch(f.when)),
              f"{path}.failures.{f.id}.when", "a function of the results, 'name' or 'not name'", f.when)
        _must(errors, callable(f.message) or isinstance(f.message, str) and f.message.isidentifier(),
              f"{path}.failures.{f.id}.message", "a function of the results or a result's name", f.message)
    for c in part.charts:
        _must(errors, c.kind in CHART_KINDS, f"{path}.charts.{c.id}.kind", f"one of {CHART_KINDS}", c.kind)
        _check_unit(errors, f"{path}.charts.{c.id}.y_unit", c.y_unit)
        _check_unit(errors, f"{path}.charts.{c.id}.x_unit", c.x_unit)

    pred = part.prediction
    if isinstance(pred, NumericPrediction):
        _check_unit(errors, f"{path}.prediction.unit", pred.unit)
        _must(errors, pred.scale in ("log", "linear"), f"{path}.prediction.scale", "'log' or 'linear'", pred.scale)
        _must(errors, pred.min < pred.max, f"{path}.prediction.min", f"less than max {pred.max!r}", pred.min)
        if pred.scale == "log":
            _must(errors, pred.min > 0, f"{path}.prediction.min", "positive on a log scale", pred.min)
        ans = outputs.get(pred.answer)
        if _must(errors, ans is not None and ans.kind == "number", f"{path}.prediction.answer", "a numeric output name", pred.answer):
            same = UNITS.get(ans.unit) and UNITS.get(pred.unit) and UNITS[ans.unit].quantity == UNITS[pred.unit].quantity
            _must(errors, bool(same), f"{path}.prediction.unit", f"of the same quantity as output {ans.name!r} ({ans.unit})", pred.unit)
    elif isinstance(pred, ChoicePrediction):
        keys = [o.key for o in pred.options]
        _must(errors, len(keys) >= 2 and len(keys) == len(set(keys)), f"{path}.prediction.options", "two or more unique keys", keys)
        ans = outputs.get(pred.answer)
        _must(errors, ans is not None and ans.kind == "text", f"{path}.prediction.answer", "a text output name", pred.answer)
    else:
        errors.append(f"`{path}.prediction` must be a NumericPrediction or ChoicePrediction (got {type(pred).__name__})")

    _check_math(errors, f"{path}.math", part.math)

    # run the model at its defaults for every ledger preset combination: outputs exist and are finite
    for ledger in runtime.ledger_combinations(lab):
        where = f"{path}@{ledger}" if ledger else path
        try:
            view = runtime.evaluate(lab, part.id, {}, ledger)
        except Exception as exc:  # noqa: BLE001 - report every failure, keep validating
            errors.append(f"`{where}.compute` must run at its defaults (got {type(exc).__name__}: {exc})")
            continue
        raw = view["raw"]
        for o in part.outputs:
            if not _must(errors, o.name in raw, f"{where}.outputs.{o.name}", "returned by compute", sorted(raw)):
                continue
            v = raw[o.name]
            if o.kind == "text":
                _must(errors, isinstance(v, str) and v != "", f"{where}.outputs.{o.name}", "a non-empty string", v)
        errors.extend(bound_problems(where, part, raw))
        for c in part.charts:
            _must(errors, c.id in view["charts"], f"{where}.charts.{c.id}", "filled by compute", sorted(view["charts"]))
        for line in part.math.substituted:
            missing = [n for n in PLACEHOLDER.findall(line) if n not in view["text"]]
            _must(errors, not missing, f"{where}.math.substituted", "placeholders naming instruments or outputs", missing)
        if isinstance(pred, ChoicePrediction) and pred.answer in raw:
            _must(errors, raw[pred.answer] in [o.key for o in pred.options], f"{where}.reveal",
                  "an option key computed by the engine", raw[pred.answer])
        if isinstance(pred, NumericPrediction) and isinstance(raw.get(pred.answer), (int, float)):
            _must(errors, raw[pred.answer] > 0, f"{where}.reveal", "a positive actual value", raw[pred.answer])


def validate_lab(lab: Lab) -> list[str]:
    """Return every problem in `lab` (empty when it is valid)."""
    errors: list[str] = []
    _must(errors, bool(LAB_ID.match(lab.id)), f"{lab.id}.id", "like 'v1-00' or 'v2-16'", lab.id)
    _must(errors, lab.volume in (1, 2), f"{lab.id}.volume", "1 or 2", lab.volume)
    _must(errors, bool(lab.core_question.strip()), f"{lab.id}.core_question", "non-empty", lab.core_question)
    _must(errors, len(lab.parts) >= 1, f"{lab.id}.parts", "at least one part", lab.parts)
    ids = [p.id for p in lab.parts]
    _must(errors, ids == sorted(set(ids)), f"{lab.id}.parts", "unique and in order A–D", ids)
    _must(errors, any(p.failures for p in lab.parts), f"{lab.id}.parts", "to declare at least one failure state", ids)
    for r in lab.reads:
        _must(errors, bool(re.match(r"^v[12]-\d\d\.[a-z0-9_]+$", r.key)), f"{lab.id}.reads", "keys like 'v1-00.home_context'", r.key)
        if r.choices:
            _must(errors, r.preset in r.choices, f"{lab.id}.reads.{r.key}.preset", f"one of {r.choices}", r.preset)
        if r.between is not None:
            _must(errors, _bounds_well_formed(r.between) and r.usable(r.preset), f"{lab.id}.reads.{r.key}.preset",
                  f"a number strictly inside {r.between}", r.preset)
    for d in lab.decisions:
        _must(errors, d.key.startswith(lab.id + "."), f"{lab.id}.decisions", f"keys starting with '{lab.id}.'", d.key)
        _must(errors, len(d.options) >= 2, f"{lab.id}.decisions.{d.key}.options", "at least two options", d.options)
    for w in lab.writes:
        wpath = f"{lab.id}.writes.{w.key}"
        _must(errors, w.key.startswith(lab.id + "."), wpath, f"a key starting with '{lab.id}.'", w.key)
        _must(errors, w.kind in WRITE_KINDS, f"{wpath}.kind", f"one of {WRITE_KINDS}", w.kind)
        _must(errors, w.when in ("reveal", "change"), f"{wpath}.when", "'reveal' or 'change'", w.when)
        _check_unit(errors, f"{wpath}.unit", w.unit)
        if w.part == "" and w.kind == "decision":
            _must(errors, w.key in {d.key for d in lab.decisions}, wpath, "a declared decision", w.key)
            continue
        if not _must(errors, w.part in ids, f"{wpath}.part", f"one of {ids}", w.part):
            continue
        part = lab.part(w.part)
        if w.kind == "prediction":
            _must(errors, w.source in ("prediction", "actual", "off_by"), f"{wpath}.source", "prediction, actual or off_by", w.source)
        else:
            known = {o.name for o in part.outputs} | {i.name for i in part.instruments}
            _must(errors, w.source in known, f"{wpath}.source", f"an output or instrument of part {w.part}", w.source)
    for part in lab.parts:
        _check_part(errors, lab, part)
    return errors


def validate_all(all_labs: list[Lab]) -> list[str]:
    """Validate every lab and cross-lab facts (unique ids, reads that name a lab that writes the key)."""
    errors: list[str] = []
    seen: set[str] = set()
    for lab in all_labs:
        _must(errors, lab.id not in seen, f"{lab.id}", "a unique lab id", lab.id)
        seen.add(lab.id)
        errors.extend(validate_lab(lab))
    written = {w.key for lab in all_labs for w in lab.writes} | {d.key for lab in all_labs for d in lab.decisions}
    present = {lab.id for lab in all_labs}
    for lab in all_labs:
        for r in lab.reads:
            source_lab = r.key.split(".")[0]
            if source_lab in present:
                _must(errors, r.key in written, f"{lab.id}.reads", f"a key that lab {source_lab} writes", r.key)
    return errors


def validate_or_raise(all_labs: list[Lab]) -> None:
    errors = validate_all(all_labs)
    if errors:
        raise LabValidationError(errors)
