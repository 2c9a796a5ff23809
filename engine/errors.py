"""The engine's one error form for bad arguments.

Every public engine function checks its arguments with these helpers, so a student or contributor always reads
the same sentence shape: "`batch_size` must be a positive integer (got -3)". Infeasible-but-valid setups (out
of memory, utilisation >= 1) are *not* errors: solvers return them as typed results with a sentence.
"""

from __future__ import annotations

import math
from collections.abc import Iterable


class EngineInputError(ValueError):
    """A public engine function was called with an argument outside its domain."""


def _fail(name: str, requirement: str, value: object) -> EngineInputError:
    return EngineInputError(f"`{name}` must be {requirement} (got {value!r})")


def _is_real(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def require_real(name: str, value: object) -> float:
    """Return `value` as a float, or raise unless it is a real number (NaN and ±∞ pass: display and formatting)."""
    if not _is_real(value):
        raise _fail(name, "a real number", value)
    return float(value)


def require_finite(name: str, value: object) -> float:
    """Return `value` as a float, or raise if it is not a finite real number."""
    if not _is_real(value) or not math.isfinite(value):
        raise _fail(name, "a finite number", value)
    return float(value)


def require_positive(name: str, value: object) -> float:
    """Return `value` as a float, or raise unless it is finite and > 0."""
    if not _is_real(value) or not math.isfinite(value) or value <= 0:
        raise _fail(name, "a positive number", value)
    return float(value)


def require_non_negative(name: str, value: object) -> float:
    """Return `value` as a float, or raise unless it is finite and >= 0."""
    if not _is_real(value) or not math.isfinite(value) or value < 0:
        raise _fail(name, "a non-negative number", value)
    return float(value)


def require_positive_int(name: str, value: object) -> int:
    """Return `value` as an int, or raise unless it is a whole number >= 1 (1.0 is accepted, 1.5 is not)."""
    if _is_real(value) and math.isfinite(value) and value >= 1 and float(value).is_integer():
        return int(value)
    raise _fail(name, "a positive integer", value)


def require_fraction(name: str, value: object, *, open_upper: bool = False) -> float:
    """Return `value` as a float, or raise unless 0 <= value <= 1 (or < 1 with `open_upper`)."""
    if _is_real(value) and math.isfinite(value) and 0 <= value and (value < 1 if open_upper else value <= 1):
        return float(value)
    raise _fail(name, "a fraction in [0, 1)" if open_upper else "a fraction in [0, 1]", value)


def require_choice(name: str, value: object, choices: Iterable[object]) -> object:
    """Return `value`, or raise unless it is one of `choices` (listed in the message)."""
    options = tuple(choices)
    if value in options:
        return value
    listed = ", ".join(repr(c) for c in options)
    raise _fail(name, f"one of {listed}", value)
