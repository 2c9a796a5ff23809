"""The Volume I portfolio and the capstone's replay of a Design Ledger (v1-16).

Two jobs, one rule — replay, not recall:

1. `replay_inputs(values)` turns the recorded *inputs* of Volume I (plans, choices, budgets; a flat mapping
   "v1-08.training_plan" -> value, exactly what a lab page passes as its ledger) into an `engine.capstone.Design`,
   tagging every input "ledger" or "preset", reporting every value it had to reject, and cross-checking each stored
   *output* (v1-08.training_memory_budget_gb, …) against the replay: one that disagrees is "stale". labs/v1_16.py
   uses it for Parts A–D.
2. `build_portfolio(doc)` reads the whole Design Ledger document (untrusted: any JSON), lists every Volume I lab
   with its predictions and decisions, replays the guardrails with engine.capstone, finds the binding one, measures
   the evidence share and the student's calibration over time, and renders the lot as Markdown. It never raises on
   bad data: problems are returned in `problems` and printed in the Markdown.

Nothing here computes physics: every number is an engine call (engine.capstone, engine.units).
"""

from __future__ import annotations

import dataclasses
import math
import re
import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from engine import capstone
from engine.capstone import Audit, Design, Guardrail
from engine.compression import LLAMA_SIZES, QUANT_METHODS
from engine.ops import MONITORS
from engine.registry.datasets import FILTERS, SCALES
from engine.responsible import EPSILONS
from engine.units import UNITS, format_exact, format_number, format_value, off_by, shortest_sig, to_base

VOLUME = 1
LAB_IDS: tuple[str, ...] = tuple(f"v1-{i:02d}" for i in range(17))
# Titles of Volume I labs whose module is not in this build yet (the catalog is asked first).
FALLBACK_TITLES: Mapping[str, str] = {"v1-15": "No Free Safeguard", "v1-16": "The Architect's Audit"}
RATIO_CAP = 1e6  # an unbounded ratio (an unstable queue, a row with no measurement) is reported as this, flagged
STALE_REL_TOL = 5e-3  # a stored output within 0.5 % of its replay agrees (stored values are display-rounded)
MAX_TEXT = 200  # characters of any ledger string echoed back

# --- small, safe readers ------------------------------------------------------------------------------------


class BadValue(ValueError):
    """A ledger value the replay cannot use; the message is in the engine's one error form."""


def short(value: Any, limit: int = 40) -> str:
    """A bounded, single-line repr of an untrusted value for problem messages."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a hostile object must not break the report
        text = f"<{type(value).__name__}>"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clean_text(value: Any, limit: int = MAX_TEXT) -> str:
    """An untrusted string made safe to show: control characters dropped, whitespace collapsed, length bounded."""
    text = value if isinstance(value, str) else str(value)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(key: str, value: Any, lo: float, hi: float, *, integer: bool = False, lo_open: bool = False) -> float:
    """A finite number in [lo, hi] (or (lo, hi]); numeric strings are accepted, booleans are not."""
    given = value
    if isinstance(value, str) and len(value) <= 40:
        try:
            value = float(value.strip())
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise BadValue(f"`{key}` must be a finite number (got {short(given)})")
    x = float(value)
    value = given
    if x < lo or x > hi or (lo_open and x == lo):
        bracket = "(" if lo_open else "["
        raise BadValue(f"`{key}` must be inside {bracket}{format_number(lo, shortest_sig(lo))}, "
                       f"{format_number(hi, shortest_sig(hi))}] "
                       f"(got {short(value)})")
    if integer:
        if abs(x - round(x)) > 1e-9:
            raise BadValue(f"`{key}` must be a whole number (got {short(value)})")
        return float(round(x))
    return x


def _choice(key: str, value: Any, options: tuple[str, ...]) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        value = format(value, "g")
    if not isinstance(value, str) or value.strip() not in options:
        raise BadValue(f"`{key}` must be one of {', '.join(options)} (got {short(value)})")
    return value.strip()


def parse_pairs(key: str, value: Any) -> dict[str, str]:
    """'gpus: 8, zero_stage: 1' (the labs' text form of a small mapping) or a small map -> {name: text}."""
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, str) and len(value) <= 4000:
        items = []
        for piece in value.split(","):
            name, sep, v = piece.partition(":")
            if not sep:
                raise BadValue(f"`{key}` must read 'name: value, name: value' (got {short(value)})")
            items.append((name.strip(), v.strip()))
    else:
        raise BadValue(f"`{key}` must read 'name: value, name: value' (got {short(value)})")
    out: dict[str, str] = {}
    for name, v in items:
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_]{1,64}", name):
            raise BadValue(f"`{key}` must name its fields with letters, digits and _ (got {short(name)})")
        if isinstance(v, bool) or not isinstance(v, (str, int, float)):
            raise BadValue(f"`{key}.{name}` must be a number or a word (got {short(v)})")
        out[name] = v if isinstance(v, str) else format(v, "g")
    return out


def _field(key: str, pairs: Mapping[str, str], *names: str) -> str:
    for n in names:
        if n in pairs:
            return pairs[n]
    raise BadValue(f"`{key}` must include `{names[0]}` (got fields {short(sorted(pairs))})")


# --- the audit's inputs: parsers from a ledger value to Design fields ---------------------------------------

Parser = Callable[[str, Any], dict[str, Any]]


def _training_plan(key: str, v: Any) -> dict[str, Any]:
    p = parse_pairs(key, v)
    adapters = _field(key, p, "adapters")
    return {
        "train_gpus": int(_number(f"{key}.gpus", _field(key, p, "gpus"), 1, 1024, integer=True)),
        "zero_stage": int(_number(f"{key}.zero_stage", _field(key, p, "zero_stage"), 0, 3, integer=True)),
        "train_state_bits": int(_choice(f"{key}.state_bits", p.get("state_bits", "32"), ("32", "16", "8"))),
        "train_checkpointing": _choice(f"{key}.checkpointing", p.get("checkpointing", "none"), ("none", "full")),
        "train_adapters": 0.0 if adapters == "off" else _number(f"{key}.adapters", adapters, 0.0, 1.0, lo_open=True),
    }


def _nonlinearity(key: str, v: Any) -> dict[str, Any]:
    return {"train_nonlinearity": _choice(key, v, ("relu", "sigmoid", "gelu"))}


SIZE_TO_MODEL: Mapping[str, str] = {m.split("_")[1].upper(): m for m in LLAMA_SIZES}


def _selected_model(key: str, v: Any) -> dict[str, Any]:
    p = parse_pairs(key, v)
    size = _choice(f"{key}.size", _field(key, p, "size").upper(), tuple(SIZE_TO_MODEL))
    return {
        "serve_model": SIZE_TO_MODEL[size],
        "serve_bits": int(_choice(f"{key}.bits", _field(key, p, "bits"), ("2", "3", "4", "8", "16"))),
        "serve_method": _choice(f"{key}.method", _field(key, p, "method"), QUANT_METHODS),
        "context_tokens": int(_number(f"{key}.context_tokens", _field(key, p, "context_tokens"), 1, 1_048_576,
                                      integer=True)),
    }


def _decode_plan(key: str, v: Any) -> dict[str, Any]:
    p = parse_pairs(key, v)
    return {"batch": int(_number(f"{key}.batch", _field(key, p, "batch"), 1, 4096, integer=True))}


def _scalar(field: str, lo: float, hi: float, scale: float = 1.0, *, integer: bool = False,
            lo_open: bool = True) -> Parser:
    """A numeric ledger value in display units -> one Design field (value × scale)."""

    def parse(key: str, v: Any) -> dict[str, Any]:
        x = _number(key, v, lo, hi, integer=integer, lo_open=lo_open) * scale
        return {field: int(x) if integer else x}

    return parse


def _frame_plan(key: str, v: Any) -> dict[str, Any]:
    p = parse_pairs(key, v)
    return {
        "serial_s": _number(f"{key}.serial_ms", _field(key, p, "serial_ms"), 0.0, 1000.0) * 1e-3,
        "detector_scale": _number(f"{key}.detector_scale", _field(key, p, "detector_scale"), 0.0, 10.0, lo_open=True),
        "coordination_s": _number(f"{key}.coordination_us", _field(key, p, "coordination_us"), 0.0, 1e5) * 1e-6,
        "lanes": int(_number(f"{key}.lanes", _field(key, p, "lanes"), 1, 100_000, integer=True)),
    }


def _data_plan(key: str, v: Any) -> dict[str, Any]:
    p = parse_pairs(key, v)
    return {
        "data_scale": _choice(f"{key}.scale", _field(key, p, "scale"), SCALES),
        "data_filter": _choice(f"{key}.filter", _field(key, p, "filter"), FILTERS),
        "runs_sharing_scores": int(_number(f"{key}.runs_sharing_scores", _field(key, p, "runs_sharing_scores"), 1,
                                           1000, integer=True)),
    }


def _monitors(key: str, v: Any) -> dict[str, Any]:
    if not isinstance(v, str) or len(v) > 200:
        raise BadValue(f"`{key}` must list monitors like 'source_share, per_source' (got {short(v)})")
    names = tuple(n.strip() for n in v.split(",") if n.strip())
    if names == ("none",):
        return {"monitors": ()}
    for n in names:
        _choice(key, n, MONITORS)
    if not names or len(set(names)) != len(names):
        raise BadValue(f"`{key}` must list distinct monitors from {', '.join(MONITORS)} (got {short(v)})")
    return {"monitors": names}


def _policy(key: str, v: Any) -> dict[str, Any]:
    p = parse_pairs(key, v)
    return {
        "threshold_policy": _choice(f"{key}.policy", _field(key, p, "policy", "threshold_policy"),
                                    ("single", "equal_delay")),
        "threshold_a": _number(f"{key}.threshold_a", _field(key, p, "threshold_a"), 0.0, 5.0),
        "epsilon": _choice(f"{key}.epsilon", _field(key, p, "epsilon"), EPSILONS),
        "retrains_per_year": int(_number(f"{key}.retrains_per_year", _field(key, p, "retrains_per_year"), 1, 365,
                                         integer=True)),
    }


@dataclass(frozen=True)
class Input:
    """One recorded input of the audit: where it lives, how to read it, and the preset shown when it is missing."""

    key: str
    label: str
    preset_text: str
    parse: Parser


P = Design()  # the cloud preset design of the v1-16 spec (the engine-recommended Part D designs)


def _g(x: float, unit: str) -> str:
    return format_exact(to_base(x, unit), unit)


INPUTS: tuple[Input, ...] = (
    Input("v1-08.training_plan", "Training plan (v1-08)",
          f"ZeRO-{P.zero_stage} on {P.train_gpus} GPUs, FP{P.train_state_bits} optimizer states, no checkpointing, "
          "no adapters", _training_plan),
    Input("v1-05.nonlinearity", "MLP nonlinearity (v1-05, sets v1-08's activations)",
          f"{P.train_nonlinearity.upper()}", _nonlinearity),
    Input("v1-10.selected_model", "Model shipped (v1-10)",
          f"LLaMA-{P.serve_model.split('_')[1].upper()} GPTQ {P.serve_bits}-bit g128, "
          f"{format_number(P.context_tokens, 4)} tokens", _selected_model),
    Input("v1-11.decode_plan", "Decode plan (v1-11)", f"batch {P.batch}", _decode_plan),
    Input("v1-07.per_token_latency_ms", "Per-token overhead (v1-07, ms)",
          f"{_g(P.per_token_overhead_s * 1e3, 'ms')} fused + CUDA graphs",
          _scalar("per_token_overhead_s", 0.0, 10_000.0, 1e-3, lo_open=False)),
    Input("v1-11.step_budget_ms", "Per-token step budget (v1-11, ms)",
          f"{_g(P.step_budget_s * 1e3, 'ms')}", _scalar("step_budget_s", 0.0, 100_000.0, 1e-3)),
    Input("v1-13.replicas", "Replicas (v1-13)", f"{P.replicas} replicas",
          _scalar("replicas", 1, 256, integer=True, lo_open=False)),
    Input("v1-13.forecast_rps", "Forecast peak (v1-13, req/s)", f"{P.forecast_rps:g} req/s",
          _scalar("forecast_rps", 0.0, 100_000.0)),
    Input("v1-13.service_ms", "Service time (v1-13, ms)", f"{_g(P.service_s * 1e3, 'ms')}",
          _scalar("service_s", 0.0, 100_000.0, 1e-3)),
    Input("v1-13.slo_p99_ms", "p99 SLO (v1-13, ms)", f"{_g(P.slo_p99_s * 1e3, 'ms')}",
          _scalar("slo_p99_s", 0.0, 1e6, 1e-3)),
    Input("v1-13.burst_factor", "Burst multiplier (v1-13)", f"{P.burst_factor:.1f}×",
          _scalar("burst_factor", 1.0, 100.0, lo_open=False)),
    Input("v1-13.admission_cap_rps", "Admission cap (v1-13, req/s; 0 = none)", "none",
          _scalar("admission_cap_rps", 0.0, 1e6, lo_open=False)),
    Input("v1-12.plan", "Frame plan (v1-12)",
          f"serial path {_g(P.serial_s * 1e3, 'ms')}, detector × {P.detector_scale:.1f}, "
          f"{P.coordination_s * 1e6:g} µs coordination, {P.lanes} lanes", _frame_plan),
    Input("v1-12.deadline_ms", "Frame deadline (v1-12, ms)", f"{_g(P.deadline_s * 1e3, 'ms')}",
          _scalar("deadline_s", 0.0, 1e6, 1e-3)),
    Input("v1-09.data_plan", "Data plan (v1-09)", "128 M pool, image ∩ CLIP filter, 1 run", _data_plan),
    Input("v1-09.data_plan_metric", "Target metric (v1-09)", "38-task average",
          lambda key, v: {"data_metric": _choice(key, v, ("avg38", "imagenet"))}),
    Input("v1-08.gpu_price_usd_per_h", "GPU price (v1-08, $/GPU-h)", f"${P.gpu_usd_per_h:.2f} per GPU-hour",
          _scalar("gpu_usd_per_h", 0.0, 1000.0)),
    Input("v1-09.budget_usd", "Data budget (v1-09, $)", f"${P.data_budget_usd:,.0f}",
          _scalar("data_budget_usd", 0.0, 1e9)),
    Input("v1-09.target_pct", "Accuracy target (v1-09, %)", f"{P.data_target_pct:g} %",
          _scalar("data_target_pct", 0.0, 100.0)),
    Input("v1-14.monitors", "Monitors (v1-14)", "source-share + per-source", _monitors),
    Input("v1-14.audit_fraction", "Audit share (v1-14)", f"{P.audit_fraction * 100:g} %",
          _scalar("audit_fraction", 0.0, 1.0, lo_open=False)),
    Input("v1-14.misread_limit", "Misread limit (v1-14)", f"{P.misread_limit:g} misreads",
          _scalar("misread_limit", 0.0, 1e9)),
    Input("v1-15.policy", "Threshold and privacy policy (v1-15)",
          f"equal delay rates, t_A = {P.threshold_a:.1f}, ε = {P.epsilon} per retrain, {P.retrains_per_year} "
          "retrain a year", _policy),
    Input("v1-15.epsilon_budget", "Privacy budget (v1-15, ε per year)", f"ε {P.epsilon_budget:g} per year",
          _scalar("epsilon_budget", 0.0, 1e6)),
    Input("v1-15.fairness_gap_target", "Fairness gap target (v1-15, points)",
          f"{P.gap_target_points:g} points", _scalar("gap_target_points", 0.0, 100.0)),
)
INPUT_BY_KEY: Mapping[str, Input] = {i.key: i for i in INPUTS}

# guardrail -> the recorded inputs it is replayed from
GUARDRAIL_INPUTS: Mapping[str, tuple[str, ...]] = {
    "G1": ("v1-08.training_plan", "v1-05.nonlinearity"),
    "G2": ("v1-10.selected_model", "v1-11.decode_plan"),
    "G3": ("v1-10.selected_model", "v1-11.decode_plan", "v1-07.per_token_latency_ms", "v1-11.step_budget_ms"),
    "G4": ("v1-10.selected_model",),
    "G5": ("v1-13.replicas", "v1-13.forecast_rps", "v1-13.service_ms", "v1-13.slo_p99_ms"),
    "G6": ("v1-13.replicas", "v1-13.forecast_rps", "v1-13.service_ms", "v1-13.slo_p99_ms", "v1-13.burst_factor",
           "v1-13.admission_cap_rps"),
    "G7": ("v1-12.plan", "v1-12.deadline_ms"),
    "G8": ("v1-09.data_plan", "v1-08.gpu_price_usd_per_h", "v1-09.budget_usd"),
    "G9": ("v1-09.data_plan", "v1-09.data_plan_metric", "v1-09.target_pct"),
    "G10": ("v1-14.monitors", "v1-14.audit_fraction", "v1-14.misread_limit"),
    "G11": ("v1-15.policy", "v1-15.epsilon_budget"),
    "G12": ("v1-15.policy", "v1-15.fairness_gap_target"),
    "G13": ("v1-15.policy",),
}
GUARDRAIL_IDS: tuple[str, ...] = tuple(GUARDRAIL_INPUTS)


@dataclass(frozen=True)
class Stored:
    """A stored output that is only cross-checked: ledger key, how to read it into the guardrail's units."""

    key: str
    label: str
    to_value: Callable[[float], float]
    abs_tol: float = 0.0


def _p99_ms(text: Any) -> float:
    """v1-13's p99 text: '120.1 ms' -> 0.1201 s; 'unbounded (ρ ≥ 1)' -> ∞."""
    if isinstance(text, str) and text.strip().startswith("unbounded"):
        return math.inf
    if isinstance(text, str) and text.strip().endswith(" ms"):
        return _number("p99", text.strip()[:-3].replace(",", ""), 0.0, 1e9) * 1e-3
    return _number("p99", text, 0.0, 1e9) * 1e-3


STORED: Mapping[str, Stored] = {
    "G1": Stored("v1-08.training_memory_budget_gb", "Training memory per GPU (v1-08, GB)", lambda x: x * 1e9),
    "G4": Stored("v1-10.selected_ppl", "Selected perplexity (v1-10)", float),
    "G5": Stored("v1-13.p99_forecast_ms", "p99 at forecast (v1-13)", _p99_ms),
    "G6": Stored("v1-13.p99_burst_ms", "p99 in burst (v1-13)", _p99_ms),
    "G7": Stored("v1-12.frame_time_ms", "Frame time (v1-12, ms)", lambda x: x * 1e-3),
    "G8": Stored("v1-09.data_plan_cost_usd", "Data-plan cost (v1-09, $)", float),
    "G9": Stored("v1-09.data_plan_accuracy_pct", "Data-plan accuracy (v1-09, %)", float),
    "G10": Stored("v1-14.extra_misreads", "Extra misreads (v1-14)", float, abs_tol=0.05),
    "G11": Stored("v1-15.privacy_epsilon", "Privacy ε per year (v1-15)", float),
    "G12": Stored("v1-15.policy_gap_pp", "Delay-rate gap (v1-15, points)", lambda x: max(0.0, x), abs_tol=0.05),
    "G13": Stored("v1-15.review_utilization", "Review utilisation (v1-15)", float),
}
# The v1-13 p99 texts are written by the page as strings; every other stored output is a number.
_TEXT_STORED = {"v1-13.p99_forecast_ms", "v1-13.p99_burst_ms"}

# How each guardrail's value and limit are shown: (unit, significant figures).
SHOW: Mapping[str, tuple[str, int]] = {
    "G1": ("GB", 4), "G2": ("GB", 4), "G3": ("ms", 4), "G4": ("perplexity", 4), "G5": ("ms", 4), "G6": ("ms", 4),
    "G7": ("ms", 3), "G8": ("USD", 5), "G9": ("percent", 4), "G10": ("count", 3), "G11": ("none", 3),
    "G12": ("points", 3), "G13": ("fraction", 3),
}
FIRST_FIX: Mapping[str, str] = {
    "G1": "a higher ZeRO stage or checkpointing (v1-08)",
    "G2": "fewer concurrent sequences or a smaller model (v1-11, v1-10)",
    "G3": "fewer concurrent sequences, a smaller model or a faster runtime (v1-11, v1-10, v1-07)",
    "G4": "a compression row closer to its FP16 perplexity (v1-10)",
    "G5": "more replicas (v1-13)",
    "G6": "an admission cap at the SLO rate or more replicas (v1-13)",
    "G7": "a shorter serial path (v1-12)",
    "G8": "share the data scores across runs or a cheaper filter (v1-09)",
    "G9": "a stronger filter or the next scale (v1-09)",
    "G10": "a label-free source-share alarm or more audits (v1-14)",
    "G11": "fewer retrains a year or a smaller ε per retrain (v1-15)",
    "G12": "equalise the delay rates (v1-15)",
    "G13": "more reviewers or fewer cheques routed to review (v1-15)",
}


def value_text(g: Guardrail) -> str:
    """A guardrail's value in its display unit ('∞' when unbounded)."""
    unit, sig = SHOW[g.key]
    if not math.isfinite(g.value):
        return "unbounded (no steady state)" if g.key in ("G5", "G6") else "unbounded (no measured row)"
    if g.key == "G11":  # ε per year: a count of budget units, shown without padding zeros
        return format_number(g.value, shortest_sig(g.value, sig))
    return format_value(_base(g.key, g.value), unit, sig)


def _base(key: str, x: float) -> float:
    """A capstone guardrail value in SI base units (percent and points are plain numbers there)."""
    return x / 100.0 if key in ("G9", "G12") else x


def limit_text(g: Guardrail) -> str:
    unit, sig = SHOW[g.key]
    text = format_exact(_base(g.key, g.limit), unit)
    return f"≥ {text}" if g.at_least else text


def ratio_number(g: Guardrail) -> float:
    """The ratio as a JSON-safe float (unbounded ratios are reported as RATIO_CAP and flagged)."""
    r = g.ratio
    return RATIO_CAP if not math.isfinite(r) or r > RATIO_CAP else float(r)


def ratio_text(r: float) -> str:
    if not math.isfinite(r) or r >= RATIO_CAP:
        return "unbounded"
    if r >= 1000:
        return format_number(r, int(math.floor(math.log10(r))) + 1)
    return format_number(r, 3)


# --- the replay ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaleCheck:
    """A stored output compared with its replay."""

    guardrail: str
    key: str
    stored: float
    replayed: float
    stale: bool


@dataclass(frozen=True)
class Replay:
    """A design replayed from ledger values: where each input came from, what was rejected, what is stale."""

    design: Design
    sources: Mapping[str, str]  # input key -> "ledger" | "preset"
    problems: tuple[str, ...]
    audit: Audit
    checks: Mapping[str, StaleCheck]  # guardrail -> cross-check of its stored output

    def guardrail_source(self, gid: str) -> str:
        """'ledger' when every input of the guardrail came from the ledger, 'preset' otherwise."""
        return "ledger" if all(self.sources[k] == "ledger" for k in GUARDRAIL_INPUTS[gid]) else "preset"

    def guardrail_share(self, gid: str) -> float:
        keys = GUARDRAIL_INPUTS[gid]
        return sum(self.sources[k] == "ledger" for k in keys) / len(keys)

    @property
    def evidence_share(self) -> float:
        """Inputs from the ledger ÷ all inputs, per guardrail, averaged over the 13 guardrails."""
        return sum(self.guardrail_share(g) for g in GUARDRAIL_IDS) / len(GUARDRAIL_IDS)

    def stale(self, gid: str) -> bool:
        c = self.checks.get(gid)
        return bool(c and c.stale)


STORED_PRESET_TEXT = "not recorded"


def is_preset(key: str, value: Any) -> bool:
    """A missing value, or the labelled preset text a lab page passes when the source lab is not done."""
    inp = INPUT_BY_KEY.get(key)
    if value is None or (isinstance(value, str) and value == STORED_PRESET_TEXT):
        return True
    return inp is not None and isinstance(value, str) and value == inp.preset_text


def replay_inputs(values: Mapping[str, Any], *, use_preset: frozenset[str] = frozenset(),
                  **overrides: Any) -> Replay:
    """Build the design from ledger values (missing or bad ones take the preset) and replay it on the cloud.

    `use_preset`: guardrail ids whose inputs the student switched to the preset (v1-16 Part A toggles).
    `overrides`: Design fields set after the ledger (a repair or a what-if, e.g. batch=8).
    Source: v1-16 Briefing ("replay, not recall"); engine.capstone.replay.
    """
    forced = {k for g in use_preset for k in GUARDRAIL_INPUTS.get(g, ())}
    fields: dict[str, Any] = {}
    sources: dict[str, str] = {}
    problems: list[str] = []
    for inp in INPUTS:
        raw = values.get(inp.key) if isinstance(values, Mapping) else None
        if inp.key in forced or is_preset(inp.key, raw):
            sources[inp.key] = "preset"
            continue
        try:
            fields.update(inp.parse(inp.key, raw))
            sources[inp.key] = "ledger"
        except BadValue as exc:
            sources[inp.key] = "preset"
            problems.append(f"{exc}; the preset is used instead")
    if fields.get("monitors") == ():
        # v1-14's "no monitor": an unaudited aggregate monitor never fires and buys no audits (v1-14 `_policy`)
        fields.update(monitors=("aggregate",), audit_fraction=0.0)
    design = dataclasses.replace(P, **fields)
    try:
        audit = capstone.replay(design)
    except Exception as exc:  # noqa: BLE001 - a combination the engine rejects must not break the audit
        problems.append(f"the recorded inputs could not be replayed together ({clean_text(exc, 120)}); "
                        "the preset design is used instead")
        design = P
        sources = {k: "preset" for k in sources}
        audit = capstone.replay(design)
    if overrides:
        design = dataclasses.replace(design, **overrides)
        audit = capstone.replay(design)
    checks: dict[str, StaleCheck] = {}
    for gid, st in STORED.items():
        raw = values.get(st.key) if isinstance(values, Mapping) else None
        if raw is None or is_preset(st.key, raw) or not any(sources[k] == "ledger" for k in GUARDRAIL_INPUTS[gid]):
            continue
        try:
            stored = st.to_value(raw if st.key in _TEXT_STORED else _number(st.key, raw, -1e15, 1e15))
        except (BadValue, TypeError, ValueError):
            problems.append(f"`{st.key}` must be a finite number (got {short(raw)}); it is not cross-checked")
            continue
        replayed = audit.get(gid).value
        if math.isinf(stored) or math.isinf(replayed):
            agree = math.isinf(stored) and math.isinf(replayed)
        else:
            agree = math.isclose(stored, replayed, rel_tol=STALE_REL_TOL, abs_tol=st.abs_tol)
        checks[gid] = StaleCheck(gid, st.key, stored, replayed, not agree)
    return Replay(design, sources, tuple(problems), audit, checks)


def stale_text(r: Replay, gid: str) -> str:
    """'stored 130.3 GB, replay 56.75 GB' for a stale guardrail, else ''."""
    c = r.checks.get(gid)
    if not c or not c.stale:
        return ""
    g = r.audit.get(gid)
    stored = dataclasses.replace(g, value=c.stored)
    return (f"{STORED[gid].key} stored {value_text(stored)}, replay {value_text(g)}: recorded at other settings or "
            "by an older engine; the audit uses the replay")


# --- the portfolio ------------------------------------------------------------------------------------------

_LAB_ID = re.compile(r"^v[12]-\d\d$")
_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")
_TIME = re.compile(r"^\d{4}-\d\d-\d\dT[0-9:.]+Z?$")


def _lab_record(lab_id: str) -> Any | None:
    """The lab's declaration from labs.catalog, or None when it is not in this build."""
    from labs.catalog import get_lab

    try:
        return get_lab(lab_id)
    except Exception:  # noqa: BLE001 - a lab not built yet (or failing to import) is reported, not fatal
        return None


def _flatten(doc: Any, problems: list[str]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """(flat 'lab.name' -> value, lab id -> entry) for well-formed Volume I entries; everything else reported."""
    flat: dict[str, Any] = {}
    entries: dict[str, dict[str, Any]] = {}
    if not isinstance(doc, Mapping):
        problems.append(f"the ledger must be a JSON object (got {type(doc).__name__})")
        return flat, entries
    if doc.get("app") != "mlsys-labs":
        problems.append(f"`app` must be \"mlsys-labs\" (got {short(doc.get('app'))}); read anyway")
    if doc.get("schema") != 1:
        problems.append(f"`schema` must be 1 (got {short(doc.get('schema'))}); read anyway")
    labs = doc.get("labs")
    if not isinstance(labs, Mapping):
        problems.append(f"`labs` must be an object (got {type(labs).__name__}); nothing recorded is used")
        return flat, entries
    for lab_id, entry in labs.items():
        if not isinstance(lab_id, str) or not _LAB_ID.match(lab_id):
            problems.append(f"ignored an entry with an unknown lab id {short(lab_id)}")
            continue
        if lab_id not in LAB_IDS:
            if lab_id.startswith("v1-"):
                problems.append(f"ignored {lab_id}: not a Volume I lab")
            continue  # Volume II entries belong to another portfolio
        if not isinstance(entry, Mapping):
            problems.append(f"`labs.{lab_id}` must be an object (got {type(entry).__name__}); ignored")
            continue
        entries[lab_id] = dict(entry)
        values = entry.get("values", {})
        if not isinstance(values, Mapping):
            problems.append(f"`labs.{lab_id}.values` must be an object (got {type(values).__name__}); ignored")
            continue
        for name, v in values.items():
            if not isinstance(name, str) or not _NAME.match(name):
                problems.append(f"ignored `labs.{lab_id}.values` entry with an invalid name {short(name)}")
                continue
            if not isinstance(v, Mapping) or "value" not in v:
                problems.append(f"`labs.{lab_id}.values.{name}` must be an object with a value (got {short(v)})")
                continue
            x = v["value"]
            if isinstance(x, float) and not math.isfinite(x):
                problems.append(f"`{lab_id}.{name}` must be finite (got {short(x)}); ignored")
                continue
            if isinstance(x, (str, int, float, bool)) or x is None or isinstance(x, Mapping):
                flat[f"{lab_id}.{name}"] = x
            else:
                problems.append(f"`{lab_id}.{name}` must be a number, text or small map (got {type(x).__name__})")
    return flat, entries


def _option_text(lab: Any, part_id: str, key: Any) -> str | None:
    """'(b) serving memory' for a choice prediction's option key, if the lab declares it."""
    try:
        pred = lab.part(part_id).prediction
        for o in getattr(pred, "options", ()):
            if o.key == key:
                return f"({o.key}) {o.label}"
    except Exception:  # noqa: BLE001
        return None
    return None


def _number_or_none(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        return None
    return float(x)


def _value_display(value: Any, unit: Any) -> str:
    """A recorded value with its unit, safely: 4 significant figures for numbers, cleaned text otherwise."""
    x = _number_or_none(value)
    if x is not None:
        if isinstance(unit, str) and unit in UNITS and unit != "none":
            return format_exact(to_base(x, unit), unit, 4)
        return format_number(x, shortest_sig(x, 4))
    if isinstance(value, Mapping):
        return clean_text(", ".join(f"{k}: {v}" for k, v in list(value.items())[:20]))
    if value is None:
        return "—"
    return clean_text(value)


def _predictions(lab_id: str, lab: Any, entry: Mapping[str, Any], problems: list[str],
                 points: list[tuple[str, str, str, float]]) -> list[dict[str, Any]]:
    preds = entry.get("predictions", {})
    if not isinstance(preds, Mapping):
        problems.append(f"`labs.{lab_id}.predictions` must be an object (got {type(preds).__name__}); ignored")
        return []
    out = []
    for part_id in sorted(k for k in preds if isinstance(k, str)):
        p = preds[part_id]
        if part_id not in ("A", "B", "C", "D") or not isinstance(p, Mapping):
            problems.append(f"ignored `labs.{lab_id}.predictions.{short(part_id)}`: not a part A–D with a record")
            continue
        prompt = ""
        if lab is not None:
            try:
                prompt = lab.part(part_id).prediction.prompt
            except KeyError:
                problems.append(f"{lab_id} has no Part {part_id}; its prediction is listed without a prompt")
        value, actual, unit = p.get("value"), p.get("actual"), p.get("unit")
        # never trust the stored off-by: recompute it from the recorded prediction and answer when both are numbers
        x, y = _number_or_none(value), _number_or_none(actual)
        factor: float | None = None
        direction: str | None = None
        if x is not None and y is not None and x > 0 and y > 0:
            ob = off_by(x, y)
            factor, direction = ob.factor, ob.direction
            stored = _number_or_none(p.get("off_by"))
            if stored is not None and not math.isclose(stored, factor, rel_tol=1e-6):
                problems.append(f"{lab_id} Part {part_id}: stored off-by {format_number(stored, 3)}× disagrees with "
                                f"the recorded values ({format_number(factor, 3)}×); the recomputed one is used")
        elif x is not None or y is not None:
            problems.append(f"{lab_id} Part {part_id}: the numeric prediction needs a positive value and answer "
                            f"(got {short(value)} and {short(actual)}); no off-by")
        correct = p.get("correct") if isinstance(p.get("correct"), bool) else None
        if isinstance(value, str) and isinstance(actual, str):
            correct = value == actual  # a choice: recompute, never trust the stored verdict
        t = p.get("time")
        time_ok = isinstance(t, str) and bool(_TIME.match(t))
        if factor is not None and time_ok:
            points.append((t, lab_id, part_id, factor))
        elif factor is not None:
            problems.append(f"{lab_id} Part {part_id}: the prediction has no valid time (got {short(t)}); "
                            "it is left out of the calibration")

        def text_of(v: Any, given: Any) -> str:
            if isinstance(given, str) and given.strip():
                return clean_text(given)
            if isinstance(v, str) and lab is not None:
                return _option_text(lab, part_id, v) or clean_text(v)
            return _value_display(v, unit)

        out.append({
            "part": part_id,
            "prompt": prompt,
            "predicted_text": text_of(value, p.get("value_text")),
            "actual_text": text_of(actual, p.get("actual_text")),
            "off_by": factor,
            "direction": direction,
            "correct": correct,
            "time": clean_text(t, 40) if time_ok else "",
        })
    return out


def _decision_keys(lab: Any, lab_id: str) -> list[tuple[str, str]]:
    """(key, label) of every decision the lab records, then every audit input it provides."""
    keys: list[tuple[str, str]] = []
    if lab is not None:
        for d in lab.decisions:
            keys.append((d.key, clean_text(d.prompt, 80)))
        for w in lab.writes:
            if w.kind != "decision" or any(k == w.key for k, _ in keys):
                continue
            label = w.key.split(".", 1)[1].replace("_", " ")
            if w.part:
                part = lab.part(w.part)
                named = [o.label for o in part.outputs if o.name == w.source] + \
                        [i.label for i in part.instruments if i.name == w.source]
                label = named[0] if named else label
            keys.append((w.key, label))
    for inp in INPUTS:
        if inp.key.startswith(lab_id + ".") and all(k != inp.key for k, _ in keys):
            keys.append((inp.key, inp.label))
    return keys


def _median(xs: list[float]) -> float | None:
    return float(statistics.median(xs)) if xs else None


def calibration(points: list[tuple[str, str, str, float]]) -> dict[str, Any]:
    """Median off-by of the first half of the predictions (in time order) against the second half.

    improved: second < 0.9 × first; got worse: second > 1.1 × first; else about the same; < 4 points: not enough.
    With an odd count the middle prediction belongs to neither half.
    """
    pts = sorted(points)
    n = len(pts)
    out_points = [{"lab": lab, "part": part, "off_by": f} for _, lab, part, f in pts]
    if n < 4:
        return {"points": out_points, "first_half_median": None, "second_half_median": None,
                "verdict": "not enough predictions",
                "sentence": f"{n} numeric prediction{'s' if n != 1 else ''} with an off-by so far; the calibration "
                            "trend needs at least 4."}
    first = _median([f for *_, f in pts[: n // 2]])
    second = _median([f for *_, f in pts[(n + 1) // 2:]])
    assert first is not None and second is not None
    if second < 0.9 * first:
        verdict = "improved"
    elif second > 1.1 * first:
        verdict = "got worse"
    else:
        verdict = "about the same"
    return {"points": out_points, "first_half_median": first, "second_half_median": second, "verdict": verdict,
            "sentence": f"Median off-by {format_number(first, 2)}× over your first {n // 2} numeric predictions and "
                        f"{format_number(second, 2)}× over your last {n // 2}: your calibration {verdict}."}


def binding_sentence(g: Guardrail) -> str:
    """'G2 serving memory binds first: 378.3 GB > 80.00 GB (4.73×). First fix: …' (or the closest one)."""
    r = ratio_text(g.ratio) + ("" if ratio_text(g.ratio) == "unbounded" else "×")
    if g.passes:
        return (f"Every guardrail passes; the closest to its limit is {g.key} {g.label}: {value_text(g)} against "
                f"{limit_text(g)} ({r}).")
    rel = "<" if g.at_least else ">"
    return (f"{g.key} {g.label} binds first: {value_text(g)} {rel} {limit_text(g).lstrip('≥ ')} ({r}). "
            f"First fix: {FIRST_FIX[g.key]}.")


def _md(text: Any) -> str:
    """Escape a string for a Markdown table cell or line (no HTML, no links, no table breaks)."""
    s = clean_text(text, 400).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_[]|#":
        s = s.replace(ch, "\\" + ch)
    return s


def _markdown(res: dict[str, Any], problems: list[str]) -> str:
    lines = [f"# {res['title']}", ""]
    rec = res["recorded"]
    lines += [f"Labs with entries: {rec['labs_with_entries']} of {rec['labs_total']}; completed: "
              f"{rec['labs_completed']}. Evidence share: {res['evidence_share'] * 100:.0f} % of the audit's inputs "
              "come from your ledger; the rest are labelled presets.", ""]
    lines += ["## Binding constraint", "", _md(res["binding"]["sentence"]), ""]
    lines += ["| # | guardrail | value | limit | ratio | passes | source | stale |", "|---|---|---|---|---|---|---|---|"]
    for g in res["guardrails"]:
        lines.append(f"| {g['id']} | {_md(g['name'])} | {_md(g['value_text'])} | {_md(g['limit_text'])} | "
                     f"{_md(g['ratio_text'])} | {'yes' if g['passes'] else 'no'} | {g['source']} | "
                     f"{'stale: ' + _md(g['stale_text']) if g['stale'] else 'no'} |")
    cal = res["calibration"]
    lines += ["", "## Your prediction calibration", "", _md(cal["sentence"]), ""]
    if cal["points"]:
        lines += ["| # | lab | part | off by |", "|---|---|---|---|"]
        for i, p in enumerate(cal["points"], 1):
            lines.append(f"| {i} | {p['lab']} | {p['part']} | {format_number(p['off_by'], 2)}× |")
        lines.append("")
    lines += ["## Lab by lab", ""]
    for lab in res["labs"]:
        lines += [f"### {lab['id']} {_md(lab['title'])} ({lab['status']})", ""]
        if lab["predictions"]:
            lines += ["| part | prediction | you predicted | actual | off by / verdict |", "|---|---|---|---|---|"]
            for p in lab["predictions"]:
                verdict = (f"{format_number(p['off_by'], 2)}× ({p['direction']})" if p["off_by"] is not None
                           else {True: "correct", False: "not this time", None: "—"}[p["correct"]])
                lines.append(f"| {p['part']} | {_md(p['prompt'])} | {_md(p['predicted_text'])} | "
                             f"{_md(p['actual_text'])} | {verdict} |")
            lines.append("")
        else:
            lines += ["No predictions recorded.", ""]
        if lab["decisions"]:
            lines += ["| decision | value | source |", "|---|---|---|"]
            for d in lab["decisions"]:
                lines.append(f"| {_md(d['label'])} | {_md(d['value_text'])} | {d['source']} |")
            lines.append("")
    lines += ["## Missing labs and presets", ""]
    lines.append("Missing labs: " + (", ".join(res["missing_labs"]) if res["missing_labs"] else "none") + ".")
    lines.append("")
    if res["presets_used"]:
        lines += ["| input | preset in use |", "|---|---|"]
        for p in res["presets_used"]:
            lines.append(f"| {_md(p['label'])} | {_md(p['preset_text'])} |")
        lines.append("")
    if problems:
        lines += ["## Problems found in the ledger", ""]
        lines += [f"- {_md(p)}" for p in problems]
        lines.append("")
    return "\n".join(lines)


def build_portfolio(doc: Any) -> dict[str, Any]:
    """The Volume I portfolio of a Design Ledger document (see the module docstring); never raises on bad data."""
    problems: list[str] = []
    flat, entries = _flatten(doc, problems)
    rp = replay_inputs(flat)
    problems.extend(rp.problems)
    points: list[tuple[str, str, str, float]] = []
    labs_out = []
    for lab_id in LAB_IDS:
        lab = _lab_record(lab_id)
        title = lab.title if lab is not None else FALLBACK_TITLES.get(lab_id, lab_id)
        entry = entries.get(lab_id)
        has = bool(entry) and bool(entry.get("predictions") or entry.get("values"))
        status = "completed" if entry and entry.get("completed") is True else ("in progress" if has else "not started")
        if entry is not None and "completed" in entry and not isinstance(entry.get("completed"), bool):
            problems.append(f"`labs.{lab_id}.completed` must be true or false (got {short(entry.get('completed'))})")
        preds = _predictions(lab_id, lab, entry, problems, points) if entry else []
        decisions = []
        for key, label in _decision_keys(lab, lab_id):
            inp = INPUT_BY_KEY.get(key)
            if key in flat and (inp is None or rp.sources.get(key) == "ledger"):
                unit = None
                if entry and isinstance(entry.get("values"), Mapping):
                    rec = entry["values"].get(key.split(".", 1)[1])
                    unit = rec.get("unit") if isinstance(rec, Mapping) else None
                decisions.append({"key": key, "label": clean_text(label, 120),
                                  "value_text": _value_display(flat[key], unit), "source": "ledger"})
            elif inp is not None:
                decisions.append({"key": key, "label": inp.label, "value_text": inp.preset_text, "source": "preset"})
        labs_out.append({"id": lab_id, "title": title, "status": status, "predictions": preds,
                         "decisions": decisions})
    guardrails = []
    for g in rp.audit.guardrails:
        r = ratio_number(g)
        guardrails.append({
            "id": g.key, "name": g.label, "value_text": value_text(g), "limit_text": limit_text(g), "ratio": r,
            "ratio_text": ratio_text(g.ratio), "unbounded": not math.isfinite(g.ratio), "passes": g.passes,
            "source": rp.guardrail_source(g.key), "stale": rp.stale(g.key), "stale_text": stale_text(rp, g.key),
        })
    b = rp.audit.binding
    result: dict[str, Any] = {
        "volume": VOLUME,
        "title": "Volume I portfolio",
        "recorded": {
            "labs_with_entries": sum(1 for lab in labs_out if lab["status"] != "not started"),
            "labs_completed": sum(1 for lab in labs_out if lab["status"] == "completed"),
            "labs_total": len(LAB_IDS),
        },
        "labs": labs_out,
        "missing_labs": [lab["id"] for lab in labs_out if lab["id"] not in entries],
        "presets_used": [{"key": i.key, "label": i.label, "preset_text": i.preset_text}
                         for i in INPUTS if rp.sources[i.key] == "preset"],
        "guardrails": guardrails,
        "binding": {"id": b.key, "name": b.label, "ratio": ratio_number(b), "sentence": binding_sentence(b)},
        "evidence_share": rp.evidence_share,
        "calibration": calibration(points),
        "problems": [clean_text(p, 300) for p in problems[:200]],
    }
    result["markdown"] = _markdown(result, result["problems"])
    return result
