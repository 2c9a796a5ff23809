"""The closed unit vocabulary, number formatting, and the off-by factor.

Inside the engine every quantity is a plain float in SI base units, with the unit in the variable's name
(`memory_bandwidth_bytes_per_s`). Human units (GB/s, TFLOP/s, ms) exist only at the boundaries: when a registry
entry is loaded (`to_base`) and when a value is shown (`format_value`). Every instrument, output, prediction and
chart axis names one unit id from `UNITS`; the site builder rejects any other.

Conventions that matter here (most engine bugs in this field are unit slips):
- bytes use decimal prefixes (1 GB = 1e9 B) unless the id says otherwise (GiB, MiB, KiB);
- link bandwidth is per direction unless a unit id says `bidir`;
- FLOP and integer OP are separate quantities: a TOP/s figure is never silently compared with a TFLOP/s one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine.errors import EngineInputError, require_finite, require_positive, require_positive_int, require_real


@dataclass(frozen=True)
class Unit:
    """One unit: its id, the symbol shown next to numbers, the spoken name, its quantity and factor to base."""

    id: str
    symbol: str
    spoken: str
    quantity: str
    factor: float  # value_in_base = value_in_this_unit * factor


def _u(id: str, symbol: str, spoken: str, quantity: str, factor: float) -> Unit:
    return Unit(id=id, symbol=symbol, spoken=spoken, quantity=quantity, factor=factor)


_ALL: tuple[Unit, ...] = (
    # dimensionless
    _u("none", "", "", "dimensionless", 1.0),
    _u("x", "×", "times", "ratio", 1.0),
    _u("fraction", "", "", "fraction", 1.0),
    _u("percent", "%", "percent", "fraction", 0.01),
    _u("count", "", "", "count", 1.0),
    _u("parameters", "parameters", "parameters", "count", 1.0),
    _u("tokens", "tokens", "tokens", "count", 1.0),
    _u("bit", "bit", "bits", "bits", 1.0),
    # time
    _u("s", "s", "seconds", "time", 1.0),
    _u("ms", "ms", "milliseconds", "time", 1e-3),
    _u("us", "µs", "microseconds", "time", 1e-6),
    _u("ns", "ns", "nanoseconds", "time", 1e-9),
    _u("min", "min", "minutes", "time", 60.0),
    _u("h", "h", "hours", "time", 3600.0),
    _u("day", "days", "days", "time", 86400.0),
    # frequency and rates of discrete things
    _u("Hz", "Hz", "hertz", "frequency", 1.0),
    _u("MHz", "MHz", "megahertz", "frequency", 1e6),
    _u("GHz", "GHz", "gigahertz", "frequency", 1e9),
    _u("tokens/s", "tokens/s", "tokens per second", "frequency", 1.0),
    _u("requests/s", "requests/s", "requests per second", "frequency", 1.0),
    # information
    _u("B", "B", "bytes", "bytes", 1.0),
    _u("kB", "kB", "kilobytes", "bytes", 1e3),
    _u("MB", "MB", "megabytes", "bytes", 1e6),
    _u("GB", "GB", "gigabytes", "bytes", 1e9),
    _u("TB", "TB", "terabytes", "bytes", 1e12),
    _u("KiB", "KiB", "kibibytes", "bytes", 1024.0),
    _u("MiB", "MiB", "mebibytes", "bytes", 1024.0**2),
    _u("GiB", "GiB", "gibibytes", "bytes", 1024.0**3),
    # bandwidth (per direction)
    _u("B/s", "B/s", "bytes per second", "bandwidth", 1.0),
    _u("MB/s", "MB/s", "megabytes per second", "bandwidth", 1e6),
    _u("GB/s", "GB/s", "gigabytes per second", "bandwidth", 1e9),
    _u("TB/s", "TB/s", "terabytes per second", "bandwidth", 1e12),
    # floating-point work and rate
    _u("FLOP", "FLOP", "floating-point operations", "flop", 1.0),
    _u("GFLOP", "GFLOP", "gigaflop", "flop", 1e9),
    _u("TFLOP", "TFLOP", "teraflop", "flop", 1e12),
    _u("PFLOP", "PFLOP", "petaflop", "flop", 1e15),
    _u("FLOP/s", "FLOP/s", "floating-point operations per second", "flop_rate", 1.0),
    _u("GFLOP/s", "GFLOP/s", "gigaflops per second", "flop_rate", 1e9),
    _u("TFLOP/s", "TFLOP/s", "teraflops per second", "flop_rate", 1e12),
    _u("PFLOP/s", "PFLOP/s", "petaflops per second", "flop_rate", 1e15),
    # integer operations and rate (kept apart from FLOP on purpose)
    _u("OP/s", "OP/s", "operations per second", "op_rate", 1.0),
    _u("GOP/s", "GOP/s", "giga-operations per second", "op_rate", 1e9),
    _u("TOP/s", "TOP/s", "tera-operations per second", "op_rate", 1e12),
    # power and energy
    _u("W", "W", "watts", "power", 1.0),
    _u("mW", "mW", "milliwatts", "power", 1e-3),
    _u("kW", "kW", "kilowatts", "power", 1e3),
    _u("MW", "MW", "megawatts", "power", 1e6),
    _u("J", "J", "joules", "energy", 1.0),
    _u("kWh", "kWh", "kilowatt-hours", "energy", 3.6e6),
    _u("MWh", "MWh", "megawatt-hours", "energy", 3.6e9),
    # money and carbon
    _u("USD", "$", "US dollars", "money", 1.0),
    _u("kgCO2e", "kg CO₂e", "kilograms of CO2 equivalent", "carbon", 1.0),
    _u("tCO2e", "t CO₂e", "tonnes of CO2 equivalent", "carbon", 1e3),
    _u("kgCO2e/kWh", "kg CO₂e/kWh", "kilograms of CO2 equivalent per kilowatt-hour", "carbon_intensity", 1 / 3.6e6),
    # --- added for engine v1 ---
    _u("lbCO2e", "lb CO₂e", "pounds of CO2 equivalent", "carbon", 0.45359237),
    _u("week", "weeks", "weeks", "time", 604800.0),
    _u("month", "months", "months (30 days)", "time", 2592000.0),
    _u("year", "years", "years (365 days)", "time", 31536000.0),
    _u("kHz", "kHz", "kilohertz", "frequency", 1e3),
    _u("Mb/s", "Mb/s", "megabits per second", "bandwidth", 1e6 / 8),
    _u("Gb/s", "Gb/s", "gigabits per second", "bandwidth", 1e9 / 8),
    _u("GB/s-bidir", "GB/s (both directions)", "gigabytes per second, both directions summed", "bandwidth_bidir", 1e9),
    _u("TB/day", "TB/day", "terabytes per day", "bandwidth", 1e12 / 86400.0),
    _u("mJ", "mJ", "millijoules", "energy", 1e-3),
    _u("uJ", "µJ", "microjoules", "energy", 1e-6),
    _u("nJ", "nJ", "nanojoules", "energy", 1e-9),
    _u("pJ", "pJ", "picojoules", "energy", 1e-12),
    _u("mA", "mA", "milliamperes", "current", 1e-3),
    _u("V", "V", "volts", "voltage", 1.0),
    _u("mW/Mbps", "mW/(Mb/s)", "milliwatts per megabit per second", "power_per_rate", 1e-3 / (1e6 / 8)),
    _u("MAC", "MAC", "multiply-accumulates", "mac", 1.0),
    _u("GMAC", "GMAC", "giga multiply-accumulates", "mac", 1e9),
    _u("MMAC", "MMAC", "mega multiply-accumulates", "mac", 1e6),
    _u("OP", "OP", "operations", "op", 1.0),
    _u("MOP", "MOP", "mega-operations", "op", 1e6),
    _u("GOP", "GOP", "giga-operations", "op", 1e9),
    _u("person-day", "person-days", "person-days", "effort", 1.0),
    _u("engineer-week", "engineer-weeks", "engineer-weeks", "effort_weeks", 1.0),
    _u("USD/h", "$/h", "US dollars per hour", "price_per_time", 1 / 3600.0),
    _u("USD/GB", "$/GB", "US dollars per gigabyte", "price_per_byte", 1e-9),
    _u("USD/TB-month", "$/TB-month", "US dollars per terabyte-month", "price_per_byte_time", 1e-12 / 2592000.0),
    _u("FLOP/B", "FLOP/B", "floating-point operations per byte", "intensity", 1.0),
    _u("OP/B", "op/B", "operations per byte", "intensity", 1.0),
    _u("GPU-h", "GPU-h", "GPU-hours", "device_time", 3600.0),
    _u("perplexity", "", "perplexity", "dimensionless", 1.0),
    _u("points", "points", "percentage points", "fraction", 0.01),
)

UNITS: dict[str, Unit] = {u.id: u for u in _ALL}
assert len(UNITS) == len(_ALL), "duplicate unit id"

# Prefix ladders used when a value is shown with an automatically chosen unit (failure messages, tables).
_AUTO_LADDERS: dict[str, tuple[str, ...]] = {
    "bytes": ("B", "kB", "MB", "GB", "TB"),
    "bandwidth": ("B/s", "MB/s", "GB/s", "TB/s"),
    "time": ("ns", "us", "ms", "s"),
    "flop_rate": ("FLOP/s", "GFLOP/s", "TFLOP/s", "PFLOP/s"),
    "op_rate": ("OP/s", "GOP/s", "TOP/s"),
    "power": ("mW", "W", "kW", "MW"),
    "energy": ("J", "kWh", "MWh"),
    "flop": ("FLOP", "GFLOP", "TFLOP", "PFLOP"),
    "carbon": ("kgCO2e", "tCO2e"),
}


def get_unit(unit_id: str) -> Unit:
    """Return the unit with id `unit_id`, or raise the engine's error naming the closed vocabulary."""
    try:
        return UNITS[unit_id]
    except (KeyError, TypeError):
        raise EngineInputError(f"`unit` must be a known unit id such as 'ms' or 'GB/s' (got {unit_id!r})") from None


def to_base(value: float, unit_id: str) -> float:
    """Convert `value` expressed in `unit_id` to SI base units (the only conversion into the engine).

    Any finite `value` converts, zero and negatives included."""
    return require_finite("value", value) * get_unit(unit_id).factor


def from_base(value: float, unit_id: str) -> float:
    """Convert a base-unit `value` to `unit_id` for display (any finite value, zero and negatives included)."""
    return require_finite("value", value) / get_unit(unit_id).factor


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def format_number(x: float, sig: int = 3) -> str:
    """Format `x` with `sig` significant figures: thousands separators in [1e-3, 1e6), else "1.03 × 10⁶".

    Any real `x` is shown, zero, negatives, NaN and ±∞ included; `sig` is a positive integer.
    """
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise EngineInputError(f"`x` must be a number (got {x!r})")
    sig = require_positive_int("sig", sig)
    if math.isnan(x):
        return "NaN"  # never shown by a lab: the fuzz tests assert outputs are finite
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    exponent = math.floor(math.log10(abs(x)))
    rounded = float(f"{x:.{sig - 1}e}")  # round first so 999.96 becomes 1,000 rather than "1000.0"
    exponent = math.floor(math.log10(abs(rounded)))
    if -3 <= exponent < 6:
        decimals = max(0, sig - 1 - exponent)
        text = f"{rounded:,.{decimals}f}"
    else:
        mantissa = rounded / 10**exponent
        text = f"{mantissa:.{sig - 1}f} × 10{str(exponent).translate(_SUPERSCRIPT)}"
    return text.replace("-", "−")


def shortest_sig(x: float, max_sig: int = 6) -> int:
    """The fewest significant figures (1..max_sig) that show `x` exactly: 8 -> 1, 4096 -> 4, 0.3 -> 1.

    Any real `x` is accepted (zero and negatives included); `max_sig` is a positive integer.
    """
    require_real("x", x)
    max_sig = require_positive_int("max_sig", max_sig)
    for sig in range(1, max_sig + 1):
        if math.isclose(float(f"{x:.{sig - 1}e}"), x, rel_tol=1e-12, abs_tol=0.0):
            return sig
    return max_sig


def format_exact(value_base: float, unit_id: str, max_sig: int = 6) -> str:
    """Show a setting (an instrument value) without rounding it: 8 GPUs is "8", 4,096 tokens is "4,096".

    Any real `value_base` is shown (zero and negatives included).
    """
    require_real("value_base", value_base)
    unit = get_unit(unit_id)
    return format_value(value_base, unit_id, shortest_sig(value_base / unit.factor, max_sig))


def format_value(value_base: float, unit_id: str, sig: int = 3) -> str:
    """Show a base-unit value in `unit_id`: format_value(0.0390625, "ms", 4) == "39.06 ms".

    Any real `value_base` is shown, zero, negatives and ±∞ included (an unstable queue's wait reads "∞ ms").
    """
    require_real("value_base", value_base)
    unit = get_unit(unit_id)
    number = format_number(value_base / unit.factor, sig)
    if not unit.symbol:
        return number
    if unit.symbol in ("×", "%"):
        return f"{number}{unit.symbol}" if unit.symbol == "%" else f"{number}×"
    if unit.id == "USD":  # "$600", "−$5.00"
        return f"−${number[1:]}" if number.startswith("−") else f"${number}"
    return f"{number} {unit.symbol}"


def auto_unit(value_base: float, quantity: str) -> str:
    """Pick the largest unit on `quantity`'s prefix ladder that keeps the shown number >= 1.

    Any real `value_base` is accepted, zero and negatives included: the prefix is chosen from |value_base|.
    """
    require_real("value_base", value_base)
    ladder = _AUTO_LADDERS.get(quantity)
    if ladder is None:
        raise EngineInputError(f"`quantity` must be one of {', '.join(sorted(_AUTO_LADDERS))} (got {quantity!r})")
    chosen = ladder[0]
    for unit_id in ladder:
        if abs(value_base) >= UNITS[unit_id].factor:
            chosen = unit_id
    return chosen


def format_auto(value_base: float, quantity: str, sig: int = 3) -> str:
    """Format a base-unit value with an automatically chosen prefix: format_auto(2e9, "bytes") == "2.00 GB".

    Any real `value_base` is shown (zero and negatives included).
    """
    return format_value(value_base, auto_unit(value_base, quantity), sig)


def spoken_value(value_base: float, unit_id: str, sig: int = 3) -> str:
    """The screen-reader form of a value: spoken_value(3.35e12, "TB/s") == "3.35 terabytes per second".

    Any real `value_base` is spoken, zero and negatives included ("minus 5 …").
    """
    require_real("value_base", value_base)
    unit = get_unit(unit_id)
    number = format_number(value_base / unit.factor, sig).replace("−", "minus ")
    return f"{number} {unit.spoken}".strip()


def ratio(numerator: float, denominator: float) -> float:
    """Return numerator / denominator for two positive quantities of the same kind (a gap, a demand/limit).

    G = v_A / v_B
    Source: definition; the per-axis gap of v1-01 (compare contexts axis by axis, never by one "speed" number).
    """
    return require_positive("numerator", numerator) / require_positive("denominator", denominator)


@dataclass(frozen=True)
class OffBy:
    """How far a prediction was from the engine's answer.

    factor = max(predicted/actual, actual/predicted) >= 1; direction is "over" when the prediction was larger,
    "under" when smaller, "exact" when equal.
    """

    factor: float
    direction: str

    @property
    def text(self) -> str:
        if self.direction == "exact":
            return "Off by 1.0× (exact)"
        return f"Off by {format_number(self.factor, 2)}× ({self.direction})"


def off_by(predicted: float, actual: float) -> OffBy:
    """Off-by factor Z = max(X/Y, Y/X) between a prediction X and the actual Y (both > 0).

    Source: the labs' convention, introduced in v1-00 (the ratio is symmetric so over- and under-estimates by the
    same factor score the same).
    """
    x = require_positive("predicted", predicted)
    y = require_positive("actual", actual)
    if x == y:
        return OffBy(1.0, "exact")
    return OffBy(max(x / y, y / x), "over" if x > y else "under")
