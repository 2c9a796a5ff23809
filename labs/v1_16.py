"""v1-16 — The Architect's Audit (Volume I capstone).

Replay, not recall: every part rebuilds Quillwork's design from the *inputs* recorded in Volume I (plans, choices,
budgets; labs.portfolio.replay_inputs), recomputes the 13 guardrails with engine.capstone, flags stored outputs that
disagree with their replay as stale, and shows the evidence share. Part A finds the binding guardrail of the composed
design, Part B repairs the batch and stresses one driver at a time, Part C replays the repaired design on every
context, Part D funds at most two revisions and checks the memo against the replay. The page ends in the Volume I
portfolio (labs.portfolio.build_portfolio).
Spec: shared/labs/v1-16.md.

Every number shown is an engine call (engine.capstone, engine.memory, engine.serving, engine.units); this module
chooses the settings and words the results.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
from functools import lru_cache
from collections.abc import Callable, Mapping
from typing import Any

from engine import capstone
from engine.capstone import Audit, Design, Guardrail
from engine.compression import quality_lookup
from engine.memory import kv_cache_bytes
from engine.registry.hardware import CONTEXT_KEYS, get_context
from engine.registry.models import get_model
from engine.serving import admission_cap_for_slo, mmc
from engine.units import format_auto, format_exact, format_number, format_value, ratio
from labs import portfolio as PF
from labs.portfolio import GUARDRAIL_IDS, INPUTS, STORED, STORED_PRESET_TEXT, Replay, clean_text
from labs.schema import (
    Briefing,
    Chart,
    ChoicePrediction,
    FailureState,
    Lab,
    LedgerRead,
    LedgerWrite,
    MathPeek,
    Option,
    Output,
    Part,
    Reveal,
    Scenario,
    Select,
    Slider,
    Synthesis,
    Toggle,
)

HOME = "v1-00.home_context"

# --- ledger reads --------------------------------------------------------------------------------------------
# Inputs are replayed; stored outputs are only cross-checked; display keys are shown. A missing input arrives as its
# labelled preset text (labs.portfolio.INPUTS), which the replay recognises, so every input is tagged ledger/preset.

DISPLAY_READS: tuple[LedgerRead, ...] = (
    LedgerRead("v1-01.binding_axis_home", "Axis you found binding at home (v1-01, display)", "capacity"),
    LedgerRead("v1-02.dominant_term", "Dominant latency term (v1-02, display)", "overhead"),
    LedgerRead("v1-03.stage5_multiplier", "Stage-5 cost multiplier (v1-03)", 16.0),
    LedgerRead("v1-04.placement_plan", "Data placement (v1-04, display)", "not recorded (display only)"),
    LedgerRead("v1-06.max_context_fused_home", "Longest fused-attention context at home (v1-06, tokens)", 126882.0),
)
INPUT_READS: tuple[LedgerRead, ...] = tuple(LedgerRead(i.key, i.label, i.preset_text) for i in INPUTS)
STORED_READS: tuple[LedgerRead, ...] = tuple(
    LedgerRead(s.key, s.label + " — cross-checked", STORED_PRESET_TEXT)
    for g, s in STORED.items() if g not in ("G5", "G6")  # v1-13's p99 texts are cross-checked by the portfolio only
)
READS: tuple[LedgerRead, ...] = (
    (LedgerRead(HOME, "Home context (v1-00)", "cloud", choices=CONTEXT_KEYS),) + DISPLAY_READS + INPUT_READS
    + STORED_READS
)


def _param(key: str) -> str:
    """The compute parameter bound to a ledger key: 'v1-08.training_plan' -> 'v1_08_training_plan'."""
    return key.replace("-", "_").replace(".", "_")


LEDGER_INPUTS: Mapping[str, str] = {_param(r.key): r.key for r in READS}
REPLAY_KEYS: tuple[str, ...] = tuple(r.key for r in INPUT_READS + STORED_READS)


def _with_ledger(fn: Callable[..., dict[str, Any]], instruments: tuple[str, ...]) -> Callable[..., dict[str, Any]]:
    """Give `fn(ins..., ledger=…)` the signature the schema binds: its instruments, then every ledger read.

    (Forty ledger parameters written out by hand would hide the model; the signature is still checked by
    labs.schema against the part's instruments and ledger_inputs.)
    """

    def compute(**kwargs: Any) -> dict[str, Any]:
        ledger = {key: kwargs.pop(_param(key)) for key in LEDGER_INPUTS.values()}
        return fn(ledger=ledger, **kwargs)

    params = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY) for n in instruments]
    params += [inspect.Parameter(p, inspect.Parameter.KEYWORD_ONLY) for p in LEDGER_INPUTS]
    compute.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    compute.__name__ = fn.__name__
    compute.__doc__ = fn.__doc__
    return compute


def _replay(ledger: Mapping[str, Any], *, use_preset: frozenset[str] = frozenset(), **overrides: Any) -> Replay:
    return PF.replay_inputs({k: ledger.get(k) for k in REPLAY_KEYS}, use_preset=use_preset, **overrides)


# --- wording helpers (numbers come from the engine) ----------------------------------------------------------

G_NAME: Mapping[str, str] = {g.key: g.label for g in capstone.replay(Design()).guardrails}
DRIVER_LABEL: Mapping[str, str] = {
    "sequences": "concurrent sequences", "traffic": "traffic", "gpu_price": "GPU price", "serial_path": "serial path",
    "label_delay": "label delay", "deposits": "deposits", "retrains": "retrains",
    "training_sequence": "training sequence", "quality_gate": "quality gate (tightened)",
}
DRIVER_OPTIONS = tuple(Option(k, v) for k, v in DRIVER_LABEL.items())


def _r(x: float) -> str:
    return PF.ratio_text(x)


def _x(x: float) -> str:
    """'4.73×', or 'unbounded' (no steady state / no measured row)."""
    return PF.ratio_text(x) + ("" if PF.ratio_text(x) == "unbounded" else "×")


def _row(g: Guardrail, source: str = "", stale: str = "") -> str:
    mark = "✓" if g.passes else "✗"
    rel = "vs" if g.at_least else "of"
    tail = f" · {source}" if source else ""
    tail += " · stale stored output" if stale else ""
    return f"{PF.value_text(g)} {rel} {PF.limit_text(g)} → {_r(g.ratio)} {mark}{tail}"


def _kv_per_sequence(d: Design) -> float:
    m = get_model(d.serve_model)
    return kv_cache_bytes(m.layers, m.kv_heads, m.head_dim, 16, d.context_tokens, 1)


def _model_text(d: Design) -> str:
    return f"{d.serve_model.split('_')[1].upper()}"


def _conjunction_message(a: Audit, d: Design, prefix: str = "") -> str:
    """The failing binding guardrail with value, limit, ratio and first fix (G2 explains the batch-model joint)."""
    g = a.binding
    failing = [x for x in a.guardrails if not x.passes]
    n = len(failing) - 1
    more = f" ({n} more guardrail{'s also fail' if n > 1 else ' also fails'}.)" if n > 0 else ""
    label = g.label if prefix else g.label[0].upper() + g.label[1:]
    head = f"{prefix}{label} {PF.value_text(g)} {'<' if g.at_least else '>'} {PF.limit_text(g).lstrip('≥ ')} " \
           f"({_x(g.ratio)})"
    if g.key == "G2":
        bmax = capstone.max_batch_for_memory(d)
        fix = (f"at most {bmax} concurrent sequence{'s' if bmax != 1 else ''}" if bmax >= 1
               else "a smaller model: the weights alone exceed the memory")
        return (f"{head} — v1-11's batch of {d.batch} was sized for a 7B model, v1-10 ships {_model_text(d)} "
                f"({format_auto(_kv_per_sequence(d), 'bytes', 4)} of KV per sequence). First fix: {fix}.{more}")
    return f"{head}. First fix: {PF.FIRST_FIX[g.key]}.{more}"


def _stress_sentence(driver: str, g: Guardrail, factor: float, d: Design) -> str:
    f = format_number(factor, 2)
    if g.key == "G6" and not math.isfinite(g.value):
        burst = d.forecast_rps * d.burst_factor * (factor if driver == "traffic" else 1.0)
        if d.admission_cap_rps > 0:
            burst = min(burst, d.admission_cap_rps)
        rho = mmc(burst, d.service_s, d.replicas).utilization
        return (f"{f}× {DRIVER_LABEL[driver]}: p99 in burst is unbounded (ρ = {format_number(rho, 3)} ≥ 1) against "
                f"the {format_exact(d.slo_p99_s, 'ms')} SLO. First fix: {PF.FIRST_FIX['G6']}.")
    rel = "<" if g.at_least else ">"
    return (f"{f}× {DRIVER_LABEL[driver]}: {g.label} {PF.value_text(g)} {rel} {PF.limit_text(g).lstrip('≥ ')} "
            f"({_x(g.ratio)}). First fix: {PF.FIRST_FIX[g.key]}.")


def _worst(tornado: Mapping[str, Guardrail]) -> tuple[str, Guardrail]:
    return max(tornado.items(), key=lambda kv: kv[1].ratio)


def _bars(values: list[float], others: list[float] = ()) -> list[float | None]:
    """Chart heights: 0 is a gap on the log axis; ∞ is drawn at 10 (or twice the largest finite bar) and labelled."""
    finite = [v for v in list(values) + list(others) if math.isfinite(v) and v > 0]
    cap = max([10.0] + [2 * v for v in finite])
    return [None if v <= 0 else (cap if not math.isfinite(v) else v) for v in values]


def _ledger_text(ledger: Mapping[str, Any], key: str, preset: Any) -> str:
    v = ledger.get(key)
    if v is None or v == preset:
        return f"{clean_text(preset, 60)}"
    return clean_text(v, 60)


# --- Part A: calibration -------------------------------------------------------------------------------------

PRED_A_GROUPS: Mapping[str, tuple[str, ...]] = {"a": ("G1",), "b": ("G2",), "c": ("G5", "G6"), "d": ("G11",)}


def binding_option(a: Audit) -> str:
    """Part A's answer: the option whose guardrail(s) have the largest ratio (ties: the first option)."""
    best = max(PRED_A_GROUPS, key=lambda k: (max(a.get(g).ratio for g in PRED_A_GROUPS[k]), -ord(k)))
    return best


SERVE_BATCH_OPTIONS = (Option("recorded", "as recorded (v1-11)"),) + tuple(
    Option(str(b), f"{b}", value=str(b)) for b in (1, 2, 4, 8, 16, 32, 64)
)


def audit_composition(ledger: Mapping[str, Any], serve_batch: str, **sources: bool) -> dict[str, Any]:
    """Part A model: replay every guardrail from the ledger (or presets), find the binding one, show the evidence."""
    forced = frozenset(f"G{int(name.split('_g')[1])}" for name, on in sources.items() if on)
    over = {} if serve_batch == "recorded" else {"batch": int(serve_batch)}
    rp = _replay(ledger, use_preset=forced, **over)
    a, d = rp.audit, rp.design
    out: dict[str, Any] = {}
    for g in a.guardrails:
        out[f"row_{g.key.lower()}"] = _row(g, rp.guardrail_source(g.key), PF.stale_text(rp, g.key))
        out[f"ratio_{g.key.lower()}"] = PF.ratio_number(g)
    b = a.binding
    out["binding"] = f"{b.key} {b.label}"
    out["binding_ratio_text"] = _x(b.ratio)
    out["binding_sentence"] = PF.binding_sentence(b)
    out["binding_preset_text"] = f"guardrail: {b.key}, ratio: {format_number(PF.ratio_number(b), 3)}"
    out["guardrail_ratios_text"] = ", ".join(f"{g.key}: {format_number(PF.ratio_number(g), 3)}" for g in a.guardrails)
    out["evidence_share"] = rp.evidence_share
    out["evidence_fraction"] = rp.evidence_share
    out["evidence_text"] = (f"{sum(rp.guardrail_share(g) == 1 for g in GUARDRAIL_IDS)} of {len(GUARDRAIL_IDS)} "
                            "guardrails replayed entirely from your ledger")
    from_ledger = sum(rp.sources[i.key] == "ledger" for i in INPUTS)
    preset_labs = sorted({i.key.split(".")[0] for i in INPUTS if rp.sources[i.key] == "preset"})
    out["inputs_text"] = (f"{from_ledger} of {len(INPUTS)} from your ledger"
                          + (f"; presets for {', '.join(preset_labs)}" if preset_labs else ""))
    stale = [PF.stale_text(rp, g) for g in GUARDRAIL_IDS if rp.stale(g)]
    out["stale_text"] = "; ".join(stale) if stale else "none"
    out["problems_text"] = "; ".join(rp.problems) if rp.problems else "none"
    home = ledger.get(HOME, "cloud")
    env = get_context(home if home in CONTEXT_KEYS else "cloud")
    out["home_text"] = f"{env.label} ({env.device.name}): highlighted in Part C"
    out["v101_text"] = _ledger_text(ledger, "v1-01.binding_axis_home", DISPLAY_READS[0].preset)
    maxctx = ledger.get("v1-06.max_context_fused_home")
    if isinstance(maxctx, (int, float)) and not isinstance(maxctx, bool) and math.isfinite(maxctx) and maxctx > 0:
        ok = d.context_tokens <= maxctx
        out["context_check"] = (f"{format_number(d.context_tokens, 4)} {'≤' if ok else '>'} "
                                f"{format_number(maxctx, 6)} tokens {'✓' if ok else '✗ (the context exceeds it)'}")
    else:
        out["context_check"] = "not recorded (v1-06)"
    mult = ledger.get("v1-03.stage5_multiplier")
    mult_ok = isinstance(mult, (int, float)) and not isinstance(mult, bool) and math.isfinite(mult) and mult > 0
    preset_mult = DISPLAY_READS[2].preset
    out["late_cost_text"] = f"{format_exact(mult if mult_ok else preset_mult, 'x', 3)} a stage-1 review (v1-03)"
    out["failing"] = not a.passes
    out["failure_message"] = _conjunction_message(a, d) if not a.passes else ""
    out["answer_a"] = binding_option(a)
    out["g2_value"] = a.get("G2").value
    out["g2_ratio"] = a.get("G2").ratio
    out["g3_value"] = a.get("G3").value
    out["kv_per_seq"] = _kv_per_sequence(d)
    out["weights"] = capstone.serving_memory_bytes(d) - d.batch * _kv_per_sequence(d)
    out["batch_used"] = str(d.batch)
    order = sorted(a.guardrails, key=lambda g: -g.ratio)
    out["charts"] = {
        "ratios": {
            "x": [f"{g.key} {g.label}" for g in order],
            "series": [{
                "name": "ratio (value ÷ limit)",
                "y": _bars([g.ratio for g in order]),
                "status": ["ok" if g.passes else "fail" for g in order],
                "labels": [" · ".join(x for x in (("∞" if not math.isfinite(g.ratio) else ("0" if g.ratio == 0 else "")),
                                                    ("preset" if rp.guardrail_source(g.key) == "preset" else ""),
                                                    ("stale" if rp.stale(g.key) else "")) if x) for g in order],
            }],
            "lines": [{"y": 1.0, "label": "limit"}],
        }
    }
    return out


def _preset_audit() -> tuple[Replay, Audit]:
    rp = _replay({})
    return rp, rp.audit


def _reveal_a() -> str:
    rp, a = _preset_audit()
    d = rp.design
    g2, g3 = a.get("G2"), a.get("G3")
    w = capstone.serving_memory_bytes(d) - d.batch * _kv_per_sequence(d)
    m = get_model(d.serve_model)
    return (
        f"**(b) serving memory, {_r(g2.ratio)}×.** G2 = {format_auto(w, 'bytes', 4)} of 4-bit weights + {d.batch} × "
        f"(2 × {int(m.layers)} × {format_number(m.kv_heads * m.head_dim, 4)} × 2 B × {format_number(d.context_tokens, 4)} "
        f"= {format_auto(_kv_per_sequence(d), 'bytes', 4)}) = **{PF.value_text(g2)}** against "
        f"{PF.limit_text(g2)} → {_r(g2.ratio)}×; the per-token step follows: G3 = {PF.value_text(g2)} ÷ "
        f"{format_auto(get_context('cloud').memory_bandwidth_bytes_per_s, 'bandwidth', 3)} + "
        f"{format_exact(d.per_token_overhead_s, 'ms')} = {PF.value_text(g3)} → {_r(g3.ratio)}×.\n\n"
        "Each lab passed alone: v1-11 sized its batch for a 7B model, v1-10 shipped the best model the GPU can hold. "
        "The conflict exists only in the composition. Found now, at stage 5, it costs v1-03's stage-5 multiplier "
        "(16× at presets) what an envelope review at stage 1 would have cost."
    )


SOURCE_TOGGLES = tuple(
    Toggle(f"source_g{i}", f"G{i} {G_NAME[f'G{i}']}: use the preset",
           help="Off: your ledger where present. On: the labelled preset for this guardrail's inputs." if i == 1 else "")
    for i in range(1, 14)
)

PART_A = Part(
    id="A",
    title="Calibration: do the local optima compose?",
    kind="calibration",
    scenario=Scenario(
        speaker="Ines Cardoso",
        role="VP Engineering at Quillwork",
        text=(
            "Every team hit its target. Modelling shipped the best model the GPU can hold; serving tuned batching for "
            "throughput; data, ops and privacy all passed review. Before the board meeting I want one page: what is "
            "our system's binding constraint?"
        ),
    ),
    prediction=ChoicePrediction(
        prompt="Which guardrail does the composed design break or come closest to breaking?",
        options=(
            Option("a", "training memory"),
            Option("b", "serving memory"),
            Option("c", "tail latency"),
            Option("d", "privacy budget"),
        ),
        answer="answer_a",
    ),
    instruments=SOURCE_TOGGLES + (
        Select("serve_batch", "Concurrent sequences (what-if)", SERVE_BATCH_OPTIONS, default="recorded",
               help="The batch v1-11 recorded, or a what-if value; Part B repairs it properly."),
    ),
    compute=_with_ledger(audit_composition, tuple(t.name for t in SOURCE_TOGGLES) + ("serve_batch",)),
    ledger_inputs=LEDGER_INPUTS,
    outputs=(
        Output("binding", "Binding guardrail", kind="text"),
        Output("binding_ratio_text", "Its ratio", kind="text"),
        Output("evidence_share", "Evidence share (inputs from your ledger)", "percent", 3),
        Output("evidence_text", "Evidence", kind="text"),
        *(Output(f"row_g{i}", f"G{i} {G_NAME[f'G{i}']}", kind="text") for i in range(1, 14)),
        Output("stale_text", "Stale stored outputs", kind="text"),
        Output("inputs_text", "Recorded inputs", kind="text"),
        Output("problems_text", "Ledger values the replay rejected", kind="text"),
        Output("home_text", "Home context", kind="text"),
        Output("v101_text", "The axis you predicted would bind at home (v1-01)", kind="text"),
        Output("context_check", "Context vs v1-06's fused-attention limit", kind="text"),
        Output("late_cost_text", "Cost of finding it at stage 5", kind="text"),
        Output("binding_sentence", "Binding sentence", kind="text", show=False),
        Output("binding_preset_text", "Binding (ledger form)", kind="text", show=False),
        Output("guardrail_ratios_text", "Ratios (ledger form)", kind="text", show=False),
        Output("evidence_fraction", "Evidence share", "fraction", 3, show=False),
        Output("answer_a", "Answer key", kind="text", show=False),
        Output("g2_value", "Serving memory", "GB", 5, show=False),
        Output("g3_value", "Per-token step", "ms", 4, show=False),
        Output("kv_per_seq", "KV per sequence", "GB", 4, show=False),
        Output("weights", "Weights", "GB", 4, show=False),
        Output("batch_used", "Batch", kind="text", show=False),
        *(Output(f"ratio_g{i}", f"G{i} ratio", "x", 3, show=False) for i in range(1, 14)),
    ),
    charts=(
        Chart(
            id="ratios",
            kind="bar",
            title="Every guardrail's ratio, largest first",
            x_label="Guardrail",
            y_label="Ratio (value ÷ limit)",
            y_unit="x",
            y_log=True,
            description="One bar per guardrail, sorted; red bars break their limit (the 1.0 line). Bars labelled "
                        "preset come from presets, not your ledger; ∞ bars are unbounded and drawn capped.",
        ),
    ),
    failures=(
        FailureState("conjunction", "Guardrail conjunction fails", when="failing", message="failure_message"),
    ),
    math=MathPeek(
        equations=(
            r"r_i = \frac{v_i}{\ell_i}\quad(\text{or } \ell_i/v_i \text{ for an at-least rule})",
            r"\text{binding} = \arg\max_i r_i",
            r"M = W + B\cdot 2\,L\,d\,b\,T",
        ),
        substituted=(
            "M = {weights} + {batch_used} × {kv_per_seq} = {g2_value}",
            "binding = {binding}: {binding_ratio_text}",
            "evidence share = {evidence_share}",
        ),
        engine=("engine.capstone.replay", "engine.capstone.evaluate_design", "engine.memory.kv_cache_bytes"),
        note="Each guardrail's value is a call into the source lab's engine function with the recorded inputs.",
    ),
    reveal=Reveal(_reveal_a()),
)

# --- Part B: repair, then double one thing -------------------------------------------------------------------

PRED_B_DRIVERS: Mapping[str, str] = {"a": "sequences", "b": "traffic", "c": "gpu_price", "d": "retrains"}


def stress_option(tornado: Mapping[str, Guardrail]) -> str:
    """Part B's answer: the option whose driver gives the largest stressed ratio."""
    return max(PRED_B_DRIVERS, key=lambda k: (tornado[PRED_B_DRIVERS[k]].ratio, -ord(k)))


def repair_and_stress(ledger: Mapping[str, Any], batch: float, stress_driver: str,
                      stress_factor: float) -> dict[str, Any]:
    """Part B model: the repaired design's guardrails, and every driver multiplied by the surprise, one at a time."""
    base = _replay(ledger)
    rp = _replay(ledger, batch=int(round(batch)))
    a, d = rp.audit, rp.design
    f = stress_factor
    tornado = _tornado(d, f)
    nominal = {drv: a.get(capstone.DRIVERS[drv][1]) for drv in capstone.DRIVERS}
    worst_drv, worst = _worst(tornado)
    b = a.binding
    g2, g3 = a.get("G2"), a.get("G3")
    out: dict[str, Any] = {
        "b_max_text": f"{capstone.max_batch_for_memory(base.design)} sequences",
        "batch_used": str(d.batch),
        "weights": capstone.serving_memory_bytes(d) - d.batch * _kv_per_sequence(d),
        "kv_per_seq": _kv_per_sequence(d),
        "g2_value": g2.value,
        "g2_ratio": g2.ratio,
        "g3_value": g3.value,
        "g3_ratio": g3.ratio,
        "tokens_per_s": ratio(d.batch, g3.value),
        "repaired_table": " · ".join(f"{g.key} {_r(g.ratio)}{'' if g.passes else ' ✗'}" for g in a.guardrails),
        "binding_repaired": f"{b.key} {b.label} ({_x(b.ratio)})",
        "binding_repaired_text": f"guardrail: {b.key}, ratio: {format_number(PF.ratio_number(b), 3)}",
        "repair_fails": not a.passes,
        "repair_message": _conjunction_message(a, d) if not a.passes else "",
        "factor": f,
        "selected_text": _stress_sentence(stress_driver, tornado[stress_driver], f, d).split(" First fix")[0],
        "worst_text": f"{DRIVER_LABEL[worst_drv]}: {tornado[worst_drv].key} {_r(worst.ratio)}",
        "stress_fails": f > 1.0 and worst.ratio > 1.0,  # at 1.0× there is no surprise: the repair card speaks
        "stress_message": _stress_sentence(worst_drv, worst, f, d) if f > 1.0 and worst.ratio > 1.0 else "",
        "burst_p99_text": PF.value_text(a.get("G6")),
        "answer_b": stress_option(_tornado(d, 2.0)),
    }
    for drv, g in tornado.items():
        out[f"s_{drv}"] = f"{g.key} {_r(nominal[drv].ratio)} → {_r(g.ratio)}" + ("" if g.passes else " ✗")
    out["charts"] = {
        "tornado": {
            "x": [f"{DRIVER_LABEL[k]} ({g.key})" for k, g in tornado.items()],
            "series": [
                {"name": "repaired", "y": _bars([nominal[k].ratio for k in tornado])},
                {"name": f"× {format_number(f, 2)}", "y": _bars([g.ratio for g in tornado.values()],
                                                               [nominal[k].ratio for k in tornado]),
                 "status": ["ok" if g.passes else "fail" for g in tornado.values()],
                 "labels": [" ".join(x for x in ("selected" if k == stress_driver else "",
                                                  "∞" if not math.isfinite(g.ratio) else "") if x)
                            for k, g in tornado.items()]},
            ],
            "lines": [{"y": 1.0, "label": "limit"}],
        }
    }
    return out


def _reveal_b() -> str:
    rp = _replay({})
    bmax = capstone.max_batch_for_memory(rp.design)
    d = dataclasses.replace(rp.design, batch=bmax)
    a = capstone.replay(d)
    t = capstone.stress_tornado(d, 2.0)
    w = capstone.serving_memory_bytes(d) - d.batch * _kv_per_sequence(d)
    rho = mmc(d.forecast_rps * d.burst_factor * 2, d.service_s, d.replicas).utilization
    g2, g3 = a.get("G2"), a.get("G3")
    return (
        f"**(b) burst latency: unbounded.** Repair first: B_max = ⌊(80 GB − {format_auto(w, 'bytes', 4)}) ÷ "
        f"{format_auto(_kv_per_sequence(d), 'bytes', 4)}⌋ = {bmax} → G2 = {PF.value_text(g2)} ({_r(g2.ratio)}), "
        f"G3 = {PF.value_text(g3)} ({_r(g3.ratio)}), {format_number(ratio(d.batch, g3.value), 4)} tokens/s; every "
        f"guardrail passes and the binding one becomes **{a.binding.key} {a.binding.label} ({_r(a.binding.ratio)})**."
        f"\n\nDoubling one driver at a time: sequences → G2 {_r(t['sequences'].ratio)}; traffic → burst ρ = "
        f"{format_number(d.forecast_rps * d.burst_factor * 2, 3)} × {format_exact(d.service_s, 'ms')} ÷ "
        f"{d.replicas} = {format_number(rho, 3)} → **unstable (∞)**; GPU price → G8 {_r(t['gpu_price'].ratio)}; "
        f"serial path → G7 {_r(t['serial_path'].ratio)}; deposits → G13 {_r(t['deposits'].ratio)}; retrains → G11 "
        f"{_r(t['retrains'].ratio)}; quality gate 5 % → 2.5 % → G4 {_r(t['quality_gate'].ratio)}; label delay 5 → 10 "
        f"days → G10 unchanged {_r(t['label_delay'].ratio)} (the label-free alarm fires first); training sequence "
        f"4,096 → 8,192 → G1 {_r(t['training_sequence'].ratio)}. Linear constraints degrade in proportion; the queue "
        "has no proportion."
    )


PART_B = Part(
    id="B",
    title="Deepening: repair, then double one thing",
    kind="deepening",
    scenario=Scenario(
        speaker="Ines Cardoso",
        role="VP Engineering at Quillwork",
        text="Fix the batch. Then the board will ask the only question boards ask: what if something doubles?",
    ),
    prediction=ChoicePrediction(
        prompt="Repaired design, one driver doubled at a time — which guardrail fails worst?",
        options=(
            Option("a", "serving memory (twice the concurrent sequences)"),
            Option("b", "burst latency (twice the traffic)"),
            Option("c", "data cost (twice the GPU price)"),
            Option("d", "privacy (twice the retrains)"),
        ),
        answer="answer_b",
    ),
    instruments=(
        Slider("batch", "Concurrent sequences (repair)", "count", 1, 64, 8, step=1,
               help="Sequences decoded together; each holds its own KV cache."),
        Select("stress_driver", "Highlighted driver", DRIVER_OPTIONS, default="traffic",
               help="The tornado always shows every driver; this only highlights one."),
        Slider("stress_factor", "Surprise size", "x", 1.0, 3.0, 2.0, step=0.1,
               help="Each driver multiplied by this, one at a time (the quality gate is divided by it)."),
    ),
    compute=_with_ledger(repair_and_stress, ("batch", "stress_driver", "stress_factor")),
    ledger_inputs=LEDGER_INPUTS,
    outputs=(
        Output("b_max_text", "Largest batch that fits 80 GB", kind="text"),
        Output("g2_value", "Serving memory after repair", "GB", 4),
        Output("g3_value", "Per-token step after repair", "ms", 4),
        Output("tokens_per_s", "Throughput", "tokens/s", 4),
        Output("binding_repaired", "New binding guardrail", kind="text"),
        Output("repaired_table", "All guardrails after repair", kind="text"),
        Output("selected_text", "Highlighted driver", kind="text"),
        Output("worst_text", "Worst stressed guardrail", kind="text"),
        *(Output(f"s_{k}", f"× surprise: {v}", kind="text") for k, v in DRIVER_LABEL.items()),
        Output("burst_p99_text", "p99 in burst (repaired, unstressed)", kind="text"),
        Output("binding_repaired_text", "Binding after repair (ledger form)", kind="text", show=False),
        Output("answer_b", "Answer key", kind="text", show=False),
        Output("batch_used", "Batch", kind="text", show=False),
        Output("weights", "Weights", "GB", 4, show=False),
        Output("kv_per_seq", "KV per sequence", "GB", 4, show=False),
        Output("g2_ratio", "G2 ratio", "x", 3, show=False),
        Output("g3_ratio", "G3 ratio", "x", 3, show=False),
        Output("factor", "Surprise", "x", 2, show=False),
    ),
    charts=(
        Chart(
            id="tornado",
            kind="grouped_bar",
            title="Each driver multiplied by the surprise, one at a time",
            x_label="Driver (guardrail it stresses)",
            y_label="Ratio (value ÷ limit)",
            y_unit="x",
            y_log=True,
            description="For every driver, the repaired ratio and the stressed ratio; red bars break the 1.0 line; "
                        "∞ bars are unbounded and drawn capped.",
        ),
    ),
    failures=(
        FailureState("stressed_breaks", "A surprise breaks a guardrail", when="stress_fails", message="stress_message"),
        FailureState("repair_fails", "The repaired design still fails", when="repair_fails", message="repair_message"),
    ),
    math=MathPeek(
        equations=(
            r"B_\text{max} = \left\lfloor \frac{M_\text{ctx} - W}{K_\text{seq}} \right\rfloor",
            r"r_i(f\,x_j)\ \text{for every driver } j",
            r"\rho = \frac{\lambda S}{c} \ge 1 \Rightarrow p_{99} = \infty",
        ),
        substituted=(
            "M = {weights} + {batch_used} × {kv_per_seq} = {g2_value} ({g2_ratio})",
            "surprise {factor}: worst = {worst_text}",
            "tokens/s = {batch_used} ÷ {g3_value} = {tokens_per_s}",
        ),
        engine=("engine.capstone.stress_tornado", "engine.capstone.max_batch_for_memory", "engine.serving.mmc"),
    ),
    reveal=Reveal(_reveal_b()),
)

# --- Part C: the same design on every home -------------------------------------------------------------------

PRED_C: Mapping[str, str] = {"a": "G2", "b": "G3", "c": "G4"}
STEP_BUDGET_MS: Mapping[str, float] = {"cloud": 50, "edge": 50, "mobile": 100, "tiny": 100}  # spec Part C


def context_option(a: Audit) -> str:
    """Part C's answer on a context: the largest of G2–G4, or (d) when all three pass."""
    key = max(PRED_C, key=lambda k: (a.get(PRED_C[k]).ratio, -ord(k)))
    return key if a.get(PRED_C[key]).ratio > 1.0 else "d"


def every_home(ledger: Mapping[str, Any], batch: float, step_budget_ms_cloud: float, step_budget_ms_edge: float,
               step_budget_ms_mobile: float, step_budget_ms_tiny: float) -> dict[str, Any]:
    """Part C model: the repaired design replayed with each context's memory, bandwidth and step budget."""
    rp = _replay(ledger, batch=int(round(batch)))
    budgets = {"cloud": step_budget_ms_cloud, "edge": step_budget_ms_edge, "mobile": step_budget_ms_mobile,
               "tiny": step_budget_ms_tiny}
    home = ledger.get(HOME, "cloud")
    home = home if home in CONTEXT_KEYS else "cloud"
    out: dict[str, Any] = {}
    audits = {c: capstone.replay_context(rp.design, c, budgets[c]) for c in CONTEXT_KEYS}
    for c, a in audits.items():
        sub = [a.get(k) for k in ("G2", "G3", "G4")]
        top = max(sub, key=lambda g: g.ratio)
        verdict = f"passes (closest: {top.key} {_r(top.ratio)})" if top.passes else f"breaks on {top.key} " \
                  f"{top.label} ({_x(top.ratio)})"
        out[f"row_{c}"] = " · ".join(f"{g.key} {_r(g.ratio)}" for g in sub) + f" → {verdict}"
        for g in sub:
            out[f"{c}_{g.key.lower()}"] = g.ratio
    ha = audits[home]
    hb = max((ha.get(k) for k in ("G2", "G3", "G4")), key=lambda g: g.ratio)
    out["home_text"] = (f"{get_context(home).label}: {hb.key} {hb.label} {_x(hb.ratio)}"
                        + (" (passes)" if hb.passes else " (breaks)"))
    cloud = audits["cloud"]
    out["others_text"] = " · ".join(f"{g.key} {_r(g.ratio)}" for g in cloud.guardrails
                                    if g.key not in ("G2", "G3", "G4"))
    out["memory_used"] = capstone.serving_memory_bytes(rp.design)
    out["edge_bw"] = get_context("edge").memory_bandwidth_bytes_per_s
    out["edge_step"] = audits["edge"].get("G3").value
    out["answer_c"] = context_option(audits["edge"])
    names = {c: f"{get_context(c).label} ({get_context(c).device.name})" + (" — your home" if c == home else "")
             for c in CONTEXT_KEYS}
    out["charts"] = {
        "contexts": {
            "x": ["G2 serving memory", "G3 per-token step", "G4 quality gate"],
            "series": [
                {"name": names[c], "y": _bars([audits[c].get(k).ratio for k in ("G2", "G3", "G4")],
                                              [a.get(k).ratio for a in audits.values() for k in ("G2", "G3", "G4")]),
                 "status": ["ok" if audits[c].get(k).passes else "fail" for k in ("G2", "G3", "G4")],
                 "labels": [_r(audits[c].get(k).ratio) for k in ("G2", "G3", "G4")]}
                for c in CONTEXT_KEYS
            ],
            "lines": [{"y": 1.0, "label": "limit"}],
        }
    }
    return out


def _reveal_c() -> str:
    rp = _replay({})
    d = dataclasses.replace(rp.design, batch=capstone.max_batch_for_memory(rp.design))
    a = {c: capstone.replay_context(d, c, STEP_BUDGET_MS[c] * 1e-3) for c in CONTEXT_KEYS}
    mem = capstone.serving_memory_bytes(d)
    e = get_context("edge")
    return (
        f"**(b) per-token step, {_r(a['edge'].get('G3').ratio)}×.** The repaired design holds "
        f"{format_auto(mem, 'bytes', 4)}. Cloud: binding {a['cloud'].binding.key} {_r(a['cloud'].binding.ratio)} "
        f"(passes). Edge: G2 = {format_auto(mem, 'bytes', 4)} ÷ {format_exact(e.model_memory_bytes, 'GB')} = "
        f"{_r(a['edge'].get('G2').ratio)}, G3 = ({format_auto(mem, 'bytes', 4)} ÷ "
        f"{format_auto(e.memory_bandwidth_bytes_per_s, 'bandwidth', 4)} + {format_exact(d.per_token_overhead_s, 'ms')})"
        f" ÷ 50 ms = {PF.value_text(a['edge'].get('G3'))} ÷ 50 ms = **{_r(a['edge'].get('G3').ratio)}** → step. "
        f"Mobile: G2 = {_r(a['mobile'].get('G2').ratio)} (G3 {_r(a['mobile'].get('G3').ratio)}) → memory. Tiny: G2 = "
        f"{format_auto(mem, 'bytes', 4)} ÷ {format_auto(get_context('tiny').model_memory_bytes, 'bytes')} = "
        f"{_r(a['tiny'].get('G2').ratio)}× → memory.\n\nThe cloud's binding constraint (quality) is nowhere near "
        "binding elsewhere: every context needs its own v1-10 row (edge 33B, phone 7B with ≤ 256 tokens, tiny another "
        "family)."
    )


PART_C = Part(
    id="C",
    title="Cross-context: the same design on every home",
    kind="cross-context",
    scenario=Scenario(
        speaker="Bao Tran",
        role="Devices Lead at Quillwork",
        text=(
            "Sales wants the same assistant on the Orin kiosk, the phone and the e-ink notepad. Same model, same "
            "batch. Where does it break, and on which axis?"
        ),
    ),
    prediction=ChoicePrediction(
        prompt="On the Orin box, which guardrail has the largest ratio?",
        options=(
            Option("a", "serving memory"),
            Option("b", "per-token step"),
            Option("c", "quality"),
            Option("d", "none — it passes"),
        ),
        answer="answer_c",
    ),
    instruments=(
        Slider("batch", "Concurrent sequences (all columns)", "count", 1, 64, 8, step=1),
        *(Slider(f"step_budget_ms_{c}", f"Per-token budget, {c}", "ms", 10, 500, STEP_BUDGET_MS[c], step=5)
          for c in CONTEXT_KEYS),
    ),
    compute=_with_ledger(every_home, ("batch",) + tuple(f"step_budget_ms_{c}" for c in CONTEXT_KEYS)),
    ledger_inputs=LEDGER_INPUTS,
    outputs=(
        *(Output(f"row_{c}", f"{get_context(c).label} ({get_context(c).device.name})", kind="text")
          for c in CONTEXT_KEYS),
        Output("home_text", "Your home context", kind="text"),
        Output("others_text", "Context-independent guardrails (same everywhere)", kind="text"),
        Output("memory_used", "Serving memory of the design", "GB", 4),
        Output("answer_c", "Answer key", kind="text", show=False),
        Output("edge_bw", "Edge bandwidth", "GB/s", 4, show=False),
        Output("edge_step", "Edge per-token step", "ms", 4, show=False),
        *(Output(f"{c}_{g}", f"{c} {g.upper()} ratio", "x", 3, show=False) for c in CONTEXT_KEYS
          for g in ("g2", "g3", "g4")),
    ),
    charts=(
        Chart(
            id="contexts",
            kind="grouped_bar",
            title="Serving guardrails of the same design on every context",
            x_label="Guardrail",
            y_label="Ratio (value ÷ limit)",
            y_unit="x",
            y_log=True,
            description="For each serving guardrail, one bar per context with its ratio printed; red bars break the "
                        "1.0 line.",
        ),
    ),
    math=MathPeek(
        equations=(
            r"r_{G2} = \frac{M}{M_\text{ctx}}",
            r"r_{G3} = \frac{M/BW_\text{ctx} + t_\text{overhead}}{t_\text{budget,ctx}}",
        ),
        substituted=(
            "edge: M = {memory_used}; step = {memory_used} ÷ {edge_bw} + overhead = {edge_step} → {edge_g3}",
            "mobile: G2 {mobile_g2}, G3 {mobile_g3}; tiny: G2 {tiny_g2}",
        ),
        engine=("engine.capstone.replay_context",),
    ),
    reveal=Reveal(_reveal_c()),
)

# --- Part D: two revisions and a defence ---------------------------------------------------------------------

R33 = quality_lookup("llama_33b", "gptq_g128", 4, "3cf64c6f").perplexity
R65 = quality_lookup("llama_65b", "gptq_g128", 4, "3cf64c6f").perplexity
REVISION_OPTIONS = (
    Option("none", "none"),
    Option("R1", "R1 admission cap at the SLO rate (v1-13)"),
    Option("R2", "R2 serve 33B GPTQ 4-bit g128 (v1-10)"),
    Option("R3", "R3 4 runs share data scores (v1-09)"),
    Option("R4", "R4 serial path 1 ms (v1-12)"),
    Option("R5", "R5 batch 16 for throughput (v1-11)"),
)
REJECT_OPTIONS = (Option("none", "not chosen yet"),) + tuple(
    Option(o.key, o.label) for o in REVISION_OPTIONS[1:]
)
RISK_OPTIONS = (Option("none", "not named yet"),) + tuple(Option(k, f"2× {v}") for k, v in DRIVER_LABEL.items())
VOLUME_II_OPTIONS = (
    Option("none", "not chosen yet"),
    Option("one_machine", "What changes when one machine is no longer enough?"),
    Option("traffic_10x", "Which guardrail binds first when traffic grows 10×?"),
    Option("train_1000", "What does training memory look like across 1,000 GPUs?"),
)
PRED_D: Mapping[str, str] = {"a": "R1", "b": "R2", "c": "R3", "d": "R4"}


@lru_cache(maxsize=64)
def _tornado(design: Design, factor: float) -> Mapping[str, Guardrail]:
    """engine.capstone.stress_tornado, memoised (designs are frozen; the page re-asks on every control change)."""
    return capstone.stress_tornado(design, factor)


@lru_cache(maxsize=64)
def _revise(design: Design, revisions: tuple[str, ...]) -> Design:
    """engine.capstone.apply_revisions, memoised (R1's admission cap is a nested bisection)."""
    return capstone.apply_revisions(design, list(revisions))


@lru_cache(maxsize=16)
def revision_option(repaired: Design, factor: float = 2.0) -> str:
    """Part D's answer: the single revision R1–R4 whose worst stressed ratio is lowest."""
    worst = {k: _worst(_tornado(_revise(repaired, (r,)), factor))[1].ratio
             for k, r in PRED_D.items()}
    return min(PRED_D, key=lambda k: (worst[k], k))


def _repaired(ledger: Mapping[str, Any]) -> Replay:
    """The recorded design with its batch repaired to what fits (B = min(recorded, B_max), at least 1)."""
    base = _replay(ledger)
    bmax = max(1, capstone.max_batch_for_memory(base.design))
    return _replay(ledger, batch=min(base.design.batch, bmax))


def defend(ledger: Mapping[str, Any], revision_1: str, revision_2: str, stress_factor: float, memo_rejected: str,
           memo_residual_risk: str, memo_volume_ii_question: str) -> dict[str, Any]:
    """Part D model: nominal and worst-surprise ratios before and after at most two revisions; the memo checked."""
    rp = _repaired(ledger)
    before_d = rp.design
    revs = list(dict.fromkeys(r for r in (revision_1, revision_2) if r != "none"))
    after_d = _revise(before_d, tuple(revs))
    before, after = capstone.replay(before_d), capstone.replay(after_d)
    f = stress_factor
    t0, t1 = _tornado(before_d, f), _tornado(after_d, f)
    w0, w1 = _worst(t0), _worst(t1)
    fmt_f = format_number(f, 2)
    out: dict[str, Any] = {
        "revisions_text": ", ".join(revs) if revs else "none",
        "nominal_after": " · ".join(f"{g.key} {_r(g.ratio)}{'' if g.passes else ' ✗'}" for g in after.guardrails),
        "worst_before_text": f"{DRIVER_LABEL[w0[0]]} → {w0[1].key} {_r(w0[1].ratio)}",
        "worst_after_text": f"{DRIVER_LABEL[w1[0]]} → {w1[1].key} {_r(w1[1].ratio)}",
        "worst_2x_text": f"driver: {w1[0]}, ratio: {format_number(PF.ratio_number(w1[1]), 3)}",
        "unabsorbed_text": "; ".join(f"{DRIVER_LABEL[k]} {g.key} {_r(g.ratio)}"
                                     for k, g in sorted(t1.items(), key=lambda kv: -kv[1].ratio) if not g.passes)
        or f"none: every driver × {fmt_f} is absorbed",
        "factor": f,
        "answer_d": revision_option(before_d, 2.0),
    }
    if "R1" in revs:
        cap = _revise(before_d, ("R1",)).admission_cap_rps
        offered = before_d.forecast_rps * before_d.burst_factor * f
        shed = max(0.0, 1.0 - cap / offered)
        out["side_effects"] = (f"R1 caps admission at {format_number(cap, 4)} req/s: "
                               f"{format_value(shed, 'percent', 3)} of the {format_number(offered, 3)} req/s surprise "
                               "is shed (lost requests)")
    else:
        out["side_effects"] = ""
    if "R2" in revs:
        out["side_effects"] += ("; " if out["side_effects"] else "") + \
            f"R2 perplexity {format_number(R65 or 0, 3)} → {format_number(R33 or 0, 3)}"
    if "R3" in revs:
        out["side_effects"] += ("; " if out["side_effects"] else "") + "R3 needs 4 planned runs"
    if "R4" in revs:
        out["side_effects"] += ("; " if out["side_effects"] else "") + "R4 costs engineer-weeks (v1-12)"
    out["side_effects"] = out["side_effects"] or "none"
    # conjunction after revisions: name the revision that breaks it, if removing one clears it
    out["conjunction"] = not after.passes
    if not after.passes:
        culprit = next((r for r in revs if capstone.replay(_revise(
            before_d, tuple(x for x in revs if x != r))).passes), None)
        g = after.binding
        fix = f"remove {culprit}" if culprit else PF.FIRST_FIX[g.key]
        rel = "<" if g.at_least else ">"
        out["conjunction_message"] = (f"{g.label[0].upper()}{g.label[1:]} {PF.value_text(g)} {rel} "
                                      f"{PF.limit_text(g).lstrip('≥ ')} ({_x(g.ratio)}) after "
                                      f"{', '.join(revs)}. First fix: {fix}.")
    else:
        out["conjunction_message"] = ""
    # the memo, checked against the replay
    out["rejected_text"] = ("not chosen" if memo_rejected == "none" else
                            next(o.label for o in REJECT_OPTIONS if o.key == memo_rejected)
                            + (" (but it is funded)" if memo_rejected in revs else ""))
    if memo_residual_risk == "none":
        out["residual_risk_text"] = "not named"
    else:
        g = t1[memo_residual_risk]
        out["residual_risk_text"] = (f"{fmt_f}× {DRIVER_LABEL[memo_residual_risk]} → {g.key} {g.label} {_r(g.ratio)}"
                                     + (" (not absorbed)" if not g.passes else " (absorbed)"))
    out["memo_empty"] = memo_residual_risk == "none"
    out["memo_empty_message"] = (f"Residual risk is empty. First fix: name the worst {fmt_f}× surprise "
                                 f"the design still cannot absorb (now {DRIVER_LABEL[w1[0]]}, {w1[1].key} "
                                 f"{_r(w1[1].ratio)}).")
    mismatch = memo_residual_risk != "none" and t1[memo_residual_risk].passes and not w1[1].passes
    out["memo_mismatch"] = mismatch
    out["memo_mismatch_message"] = (
        f"The memo names {fmt_f}× {DRIVER_LABEL[memo_residual_risk]} as the residual risk, but the replay absorbs it "
        f"({t1[memo_residual_risk].key} {_r(t1[memo_residual_risk].ratio)} ≤ 1). First fix: name "
        f"{DRIVER_LABEL[w1[0]]} ({w1[1].key} {_r(w1[1].ratio)})." if mismatch else "")
    out["volume_ii_text"] = next(o.label for o in VOLUME_II_OPTIONS if o.key == memo_volume_ii_question)
    filled = sum(x != "none" for x in (memo_rejected, memo_residual_risk, memo_volume_ii_question))
    out["memo_completeness"] = f"{filled} of 3 memo fields" + (" — ready to file" if filled == 3 and not mismatch
                                                                and not out["conjunction"] else "")
    keys = list(capstone.DRIVERS)
    out["charts"] = {
        "before_after": {
            "x": [f"{t0[k].key} ({DRIVER_LABEL[k]})" for k in keys],
            "series": [
                {"name": f"before, × {fmt_f}", "y": _bars([t0[k].ratio for k in keys], [t1[k].ratio for k in keys]),
                 "status": ["ok" if t0[k].passes else "fail" for k in keys],
                 "labels": ["∞" if not math.isfinite(t0[k].ratio) else "" for k in keys]},
                {"name": f"after, × {fmt_f}", "y": _bars([t1[k].ratio for k in keys], [t0[k].ratio for k in keys]),
                 "status": ["ok" if t1[k].passes else "fail" for k in keys],
                 "labels": ["∞" if not math.isfinite(t1[k].ratio) else "" for k in keys]},
            ],
            "lines": [{"y": 1.0, "label": "limit"}],
        }
    }
    return out


def _reveal_d() -> str:
    rp = _replay({})
    d = dataclasses.replace(rp.design, batch=capstone.max_batch_for_memory(rp.design))
    t = {r: capstone.stress_tornado(capstone.apply_revisions(d, list(r)), 2.0) for r in
         ((), ("R1",), ("R1", "R2"), ("R1", "R3"))}
    after1 = sorted(t[("R1",)].items(), key=lambda kv: -kv[1].ratio)
    cap = admission_cap_for_slo(d.service_s, d.replicas, d.slo_p99_s)
    rho = cap.cap_per_s * d.service_s / d.replicas
    return (
        f"**(a) R1, the admission cap: ∞ → {_r(after1[0][1].ratio)}.** Without a revision the worst 2× driver is "
        f"traffic (∞). R1 admits at most {format_number(cap.cap_per_s, 4)} req/s (ρ = {format_number(rho, 3)}, found "
        f"by bisection), so doubled traffic gives G6 = {_r(t[('R1',)]['traffic'].ratio)}; the worst becomes "
        f"{DRIVER_LABEL[after1[0][0]]} ({after1[0][1].key} {_r(after1[0][1].ratio)}), then "
        f"{DRIVER_LABEL[after1[1][0]]} ({after1[1][1].key} {_r(after1[1][1].ratio)}), "
        f"{DRIVER_LABEL[after1[2][0]]} ({after1[2][1].key} {_r(after1[2][1].ratio)}). R2, R3 and R4 each leave "
        "traffic unbounded.\n\n"
        f"R1 + R2: 2× sequences fall to {_r(t[('R1', 'R2')]['sequences'].ratio)}; the remaining residual risks "
        f"G13 {_r(t[('R1', 'R2')]['deposits'].ratio)} and G11 {_r(t[('R1', 'R2')]['retrains'].ratio)} must be named "
        f"in the memo. R1 + R3 is the other defensible pair (2× GPU price → G8 "
        f"{_r(t[('R1', 'R3')]['gpu_price'].ratio)}: cost risk instead of capacity risk). R5 is a trap: G2 breaks. "
        "The engine does not pick for you; it checks that the memo's numbers match the replay."
    )


PART_D = Part(
    id="D",
    title="Design challenge: two revisions and a defence",
    kind="design",
    scenario=Scenario(
        speaker="Ines Cardoso",
        role="VP Engineering at Quillwork",
        text=(
            "You get two revisions this quarter. Show me the guardrails after them, the worst 2× surprise you still "
            "cannot absorb, and why you rejected the alternative."
        ),
    ),
    prediction=ChoicePrediction(
        prompt="Which single revision lowers the worst 2× ratio the most?",
        options=(
            Option("a", "R1 admission cap"),
            Option("b", "R2 serve 33B 4-bit"),
            Option("c", "R3 share data scores across 4 runs"),
            Option("d", "R4 serial path to 1 ms"),
        ),
        answer="answer_d",
    ),
    instruments=(
        Select("revision_1", "First revision funded", REVISION_OPTIONS, default="none"),
        Select("revision_2", "Second revision funded", REVISION_OPTIONS, default="none"),
        Slider("stress_factor", "Surprise size for the check", "x", 1.0, 3.0, 2.0, step=0.1),
        Select("memo_rejected", "Memo: the alternative you rejected", REJECT_OPTIONS, default="none"),
        Select("memo_residual_risk", "Memo: the residual risk you name", RISK_OPTIONS, default="none"),
        Select("memo_volume_ii_question", "Memo: the question for Volume II", VOLUME_II_OPTIONS, default="none"),
    ),
    compute=_with_ledger(defend, ("revision_1", "revision_2", "stress_factor", "memo_rejected", "memo_residual_risk",
                                  "memo_volume_ii_question")),
    ledger_inputs=LEDGER_INPUTS,
    outputs=(
        Output("revisions_text", "Revisions funded", kind="text"),
        Output("nominal_after", "Guardrails after the revisions", kind="text"),
        Output("worst_before_text", "Worst surprise before", kind="text"),
        Output("worst_after_text", "Worst surprise after", kind="text"),
        Output("unabsorbed_text", "Surprises still not absorbed", kind="text"),
        Output("side_effects", "Side effects", kind="text"),
        Output("rejected_text", "Rejected alternative", kind="text"),
        Output("residual_risk_text", "Residual risk", kind="text"),
        Output("volume_ii_text", "Question for Volume II", kind="text"),
        Output("memo_completeness", "Memo", kind="text"),
        Output("worst_2x_text", "Worst surprise (ledger form)", kind="text", show=False),
        Output("answer_d", "Answer key", kind="text", show=False),
        Output("factor", "Surprise", "x", 2, show=False),
    ),
    charts=(
        Chart(
            id="before_after",
            kind="grouped_bar",
            title="Each driver's stressed ratio, before and after your revisions",
            x_label="Guardrail (driver)",
            y_label="Ratio (value ÷ limit)",
            y_unit="x",
            y_log=True,
            description="Before and after the funded revisions, each driver multiplied by the surprise; red bars "
                        "break the 1.0 line; ∞ bars are unbounded and drawn capped.",
        ),
    ),
    failures=(
        FailureState("conjunction", "A revision breaks a guardrail", "conjunction",
                     "conjunction_message"),
        FailureState("memo_empty", "Report locked:", "memo_empty",
                     "memo_empty_message"),
        FailureState("memo_mismatch", "The memo disagrees with the replay", "memo_mismatch",
                     "memo_mismatch_message"),
    ),
    math=MathPeek(
        equations=(
            r"\max_j r_i(2x_j)\ \text{before and after}",
            r"\lambda_\text{cap} = \max\{\lambda : p_{99}(c = 7, \lambda) \le \text{SLO}\}",
        ),
        substituted=(
            "surprise {factor}: worst before {worst_before_text}; after {revisions_text}: {worst_after_text}",
        ),
        engine=("engine.capstone.apply_revisions", "engine.capstone.stress_tornado",
                "engine.serving.admission_cap_for_slo"),
    ),
    reveal=Reveal(_reveal_d()),
)

# --- the lab -------------------------------------------------------------------------------------------------


def _guardrail_table_md() -> str:
    rp = _replay({})
    rows = []
    for g in rp.audit.guardrails:
        labs = ", ".join(dict.fromkeys(k.split(".")[0] for k in PF.GUARDRAIL_INPUTS[g.key]))
        rows.append(f"| {g.key} | {g.label} | {labs} | {PF.value_text(g)} | {PF.limit_text(g)} | {_r(g.ratio)} |")
    return ("| # | guardrail | replayed from | preset | limit | ratio |\n|---|---|---|---|---|---|\n"
            + "\n".join(rows))


LAB = Lab(
    id="v1-16",
    title="The Architect's Audit",
    volume=1,
    section="Capstone",
    minutes=60,
    prerequisites=tuple(f"v1-{i:02d}" for i in range(16)),
    core_question=(
        "Replaying every decision you recorded in Volume I, which single constraint binds your system first — and "
        "does the design still hold when one thing doubles?"
    ),
    briefing=Briefing(
        objectives=(
            "Compose the separate decisions of Volume I into one system, recompute every guardrail from the recorded "
            "inputs, and find the binding constraint — including conflicts no single lab could see.",
            "Stress the repaired design with one 2× surprise at a time and learn which constraints degrade gracefully "
            "and which fail without bound.",
            "Replay the design on the other contexts, choose at most two revisions, and defend the result with "
            "numbers, a rejected alternative and a named residual risk.",
        ),
        decide="The revisions you fund and the memo that closes Volume I.",
        body=(
            "**Replay, not recall.** The audit never trusts a stored result: it reads each lab's recorded *inputs* "
            "(plans, choices) and recomputes the outputs with the same engine functions; a stored output that "
            "disagrees with its replay is flagged *stale*. A missing input uses a preset — the engine-recommended "
            "Part D design of that lab on the cloud — tagged *preset*. The evidence share (inputs from your own "
            "ledger ÷ all inputs, averaged over the 13 guardrails) is shown beside every conclusion.\n\n"
            "**Guardrails** (ratio = value ÷ limit, or limit ÷ value for the at-least rule; pass ≤ 1), at the "
            "presets:\n\n" + _guardrail_table_md()
        ),
    ),
    parts=(PART_A, PART_B, PART_C, PART_D),
    synthesis=Synthesis(
        takeaways=(
            "Systems fail at the joints: two locally optimal decisions (the best model that fits, the best batch for "
            "throughput) composed into a 4.7× memory overrun. Audit the composition, not the parts.",
            "After repair, the binding constraint (quality at 0.985) is not the dangerous one: under a single 2× "
            "surprise the queue goes unbounded while everything else degrades in proportion. Rank risks by their "
            "stress response, not their current margin.",
            "Binding constraints are context-specific — the same design is bound by quality on the cloud, by "
            "bandwidth on the edge and by capacity on the phone and the MCU.",
        ),
        connections=(
            "Every Volume I lab; v2-01 opens with the question this memo ends on — what changes when one machine is "
            "no longer enough."
        ),
        self_assessment=(
            ("Why did the preset design pass every lab yet fail the audit?",
             "v1-11 sized batch for 7B; v1-10 shipped 65B: KV per sequence grew 5×."),
            ("Doubling traffic takes G6 from 0.49 to ∞ — why not to 0.99?",
             "ρ goes from 0.86 to 1.71; past ρ = 1 the queue has no steady state."),
            ("What fraction of your conclusion rests on presets if you skipped v1-12 and v1-14?",
             "2 of the 13 guardrails' inputs (G7, G10) — shown as the evidence share (11/13 = 85 %)."),
        ),
    ),
    model_note=(
        "The audit rebuilds one design (engine.capstone.Design) from the inputs Volume I recorded and replays every "
        "guardrail with the source labs' engine functions on the cloud context (Quillwork's service), where the "
        "preset design lives; Part C replays the same design on every context. Presets are the cloud Part D designs "
        "of the spec for every home context (the spec asks for each home's own Part D design; only the cloud designs "
        "are defined for all thirteen guardrails, so other homes see the cloud presets, labelled). Stored outputs are "
        "cross-checked against the replay within 0.5 % (they are display-rounded); a disagreement is flagged stale "
        "and the replay is used. The evidence share averages, over the 13 guardrails, the fraction of each "
        "guardrail's inputs that came from your ledger. Changes from the spec: the replay also reads "
        "`v1-13.admission_cap_rps` (a recorded cap changes G6) and `v1-09.data_plan_metric` (G9's metric); G1 also "
        "uses v1-05's nonlinearity and v1-08's optimizer-state format and adapters, and G8 prices every filter's "
        "scorer as v1-09 does, so an honest ledger is never flagged stale. Part A adds a what-if batch select so its "
        "failure can be cleared in place; the memo is three choices (rejected alternative, residual risk, Volume II "
        "question) because the lab schema has no free-text instrument; two revision selects enforce \"at most two\". "
        "Charts: vertical sorted bars (Part A), grouped bars for the tornado, the context heat map and the "
        "before/after pairs; unbounded ratios are drawn at 10 (or twice the largest finite bar) and labelled ∞. The repaired design in "
        "Part D is the recorded batch capped at what fits. Sources: every source lab's citations (H100 datasheet, "
        "GPTQ-for-LLaMa README, DataComp, Erlang C, Abadi et al. 2016)."
    ),
    reads=READS,
    writes=(
        LedgerWrite("v1-16.binding_prediction", "prediction", "A", "prediction"),
        # text "guardrail: G2, ratio: 4.73": split on ", " then on ": "
        LedgerWrite("v1-16.binding_preset", "number", "A", "binding_preset_text"),
        LedgerWrite("v1-16.binding_repaired", "number", "B", "binding_repaired_text"),
        # text "G1: 0.709, G2: 4.73, …, G13: 0.851"
        LedgerWrite("v1-16.guardrail_ratios", "number", "A", "guardrail_ratios_text", when="change"),
        # text "driver: deposits, ratio: 1.7" (ratio 1e+06 = unbounded)
        LedgerWrite("v1-16.worst_2x_driver", "number", "D", "worst_2x_text", when="change"),
        LedgerWrite("v1-16.revisions", "decision", "D", "revisions_text", when="change"),
        LedgerWrite("v1-16.rejected_alternative", "decision", "D", "rejected_text", when="change"),
        LedgerWrite("v1-16.residual_risk", "decision", "D", "residual_risk_text", when="change"),
        LedgerWrite("v1-16.evidence_share", "number", "A", "evidence_fraction", unit="fraction", when="change"),
        LedgerWrite("v1-16.volume_ii_question", "decision", "D", "volume_ii_text", when="change"),
    ),
    portfolio=True,
)
