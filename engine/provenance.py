"""Citations for every registry number: where it comes from and what kind of number it is.

A registry value is built with `spec`, `derived`, `measured` or `assumed`, which converts it once from the unit
it was published in to SI base units and remembers the source. Registry records keep the plain float for the
engine and a `citations` mapping (field name -> Cited) for the sources page and the tests that require every
number to be cited.

Kinds (Pint groups constants the same way):
- spec: a vendor datasheet or standard states it;
- derived: computed here from other cited numbers (the note shows the arithmetic; never pasted);
- measured: a benchmark or paper measured it (the note names the table);
- assumed: a teaching estimate, with the reason in the note.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import Enum

from engine.errors import EngineInputError
from engine.units import get_unit, to_base


class Kind(str, Enum):
    SPEC = "spec"
    DERIVED = "derived"
    MEASURED = "measured"
    ASSUMED = "assumed"


@dataclass(frozen=True)
class Source:
    """A document a number comes from. `locator` names the table, figure, section or page."""

    id: str
    title: str
    locator: str = ""


@dataclass(frozen=True)
class Cited:
    """One cited number: base-unit value, the unit and value as published, its kind and its source."""

    value: float
    unit: str
    published: float
    kind: Kind
    source: Source
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind in (Kind.DERIVED, Kind.ASSUMED, Kind.MEASURED) and not self.note:
            raise EngineInputError(
                f"`note` must explain a {self.kind.value} number (got an empty note for {self.source.id})"
            )


def _cited(value: float, unit: str, source: Source, kind: Kind, note: str) -> Cited:
    get_unit(unit)
    return Cited(value=to_base(value, unit), unit=unit, published=float(value), kind=kind, source=source, note=note)


def spec(value: float, unit: str, source: Source, note: str = "") -> Cited:
    """A number stated by a datasheet or standard, given in the unit it was published in (any finite value,
    zero and negatives included)."""
    return _cited(value, unit, source, Kind.SPEC, note)


def derived(value: float, unit: str, source: Source, note: str) -> Cited:
    """A number computed from other cited numbers; pass the computation, not its result, as `value` (any finite
    value, zero and negatives included)."""
    return _cited(value, unit, source, Kind.DERIVED, note)


def measured(value: float, unit: str, source: Source, note: str) -> Cited:
    """A number measured by a benchmark or paper; `note` names the table or figure (any finite value, zero and
    negatives included)."""
    return _cited(value, unit, source, Kind.MEASURED, note)


def assumed(value: float, unit: str, source: Source, note: str) -> Cited:
    """A teaching estimate; `note` says why this value and what would change it (any finite value, zero and
    negatives included)."""
    return _cited(value, unit, source, Kind.ASSUMED, note)


def build_record(cls: type, citations_field: str = "citations", **values: object):
    """Instantiate frozen record `cls`, unwrapping Cited values to floats and collecting their citations.

    Unknown keys are rejected by the dataclass constructor; every float field must be given as a Cited.
    """
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(values) - names)
    if unknown:
        raise EngineInputError(f"`{unknown[0]}` must be a field of {cls.__name__} (got an unknown key)")
    plain: dict[str, object] = {}
    citations: dict[str, Cited] = {}
    for name, value in values.items():
        if isinstance(value, Cited):
            plain[name] = value.value
            citations[name] = value
        elif isinstance(value, float):
            raise EngineInputError(f"`{name}` must be a cited number built with spec()/derived()/… (got {value!r})")
        else:
            plain[name] = value
    plain[citations_field] = citations
    return cls(**plain)
