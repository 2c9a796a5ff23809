"""v1-13 — The Hockey Stick.

Deploy lab: calibrate the M/M/1 response-time curve at 50 % and 80 % utilisation (Part A), find where a p99 SLO
breaks and what service variability changes (Part B), compare the four deployment contexts' arrival and service
randomness with Kingman's approximation (Part C), and size replicas or an admission cap for a forecast plus a
burst on the home context (Part D). Spec: shared/labs/v1-13.md.

Every number shown comes from the engine: M/M/1 means and tails (`serving.mm1_response_time`, `mm1_quantile`,
`mm1_safe_utilization`), Little's law, Kingman's G/G/1 wait, M/M/c tails by Erlang C (`mmc_response_quantile`),
admission caps, and the periodic (D/D/1) server. Service times and replica limits are cited registry constants
(`engine.registry.infrastructure`). This module chooses the scenario's settings and words the results.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from engine.registry.hardware import CONTEXT_KEYS, get_context
from engine.registry.infrastructure import get_constant
from engine.serving import (
    Admission,
    admission_cap_by_tail,
    kingman_wait,
    littles_law,
    md1_wait,
    mm1_quantile,
    mm1_response_time,
    mm1_safe_utilization,
    mmc,
    mmc_response_quantile_tol,
    periodic_response_time,
    periodic_shed_fraction,
    replicas_for_slo,
)
from engine.units import format_number, format_value, from_base, ratio, to_base
from labs.common import log_steps
from labs.schema import (
    Briefing,
    Chart,
    ChoicePrediction,
    FailureState,
    Lab,
    LedgerRead,
    LedgerWrite,
    MathPeek,
    NumericPrediction,
    Option,
    Output,
    Part,
    Reveal,
    SHARE,
    Scenario,
    Select,
    Slider,
    Synthesis,
)

HOME = "v1-00.home_context"
DECODE = "v1-11.decode_step_ms"
FRAME = "v1-12.frame_time_ms"

# --- the scenario's settings ---------------------------------------------------------------------------------
# Service time S per context: one inference of each context's reference model (cited assumptions in the registry).
SERVICE_S: Mapping[str, float] = {ctx: get_constant(f"serving.service_time_{ctx}") for ctx in CONTEXT_KEYS}
# Replicas one box can run: an 8-GPU HGX H100 server; the Orin's GPU + its NVDLA engines (equal speed is an
# optimistic assumption); one NPU on the phone; one core on the microcontroller.
MAX_REPLICAS: Mapping[str, int] = {
    "cloud": int(get_constant("serving.hgx_h100_gpus")),
    "edge": 1 + int(get_constant("serving.orin_dla_engines")),
    "mobile": 1,
    "tiny": 1,
}
REPLICA_HARDWARE: Mapping[str, str] = {
    "cloud": "an 8-GPU HGX H100 server, one replica per GPU",
    "edge": "the Orin's GPU + 2 NVDLA engines",
    "mobile": "the phone's one NPU",
    "tiny": "the microcontroller's one core",
}
P99 = 0.99
UTIL_A = 0.80  # Part A's question: mean response at 80 % utilisation
UTIL_HALF = 0.50  # last month's load
SLO_PER_S = 12.5  # Part B: the contract scaled to each context's service time, SLO = 12.5 S (assumption)
# Part C: (c_a², c_s²) per context — random requests / variable work; fixed frame rate / variable detections;
# random taps / fixed graph; timer / fixed kernel (assumptions describing each process).
CV2: Mapping[str, tuple[float, float]] = {
    "cloud": (1.0, 1.0),
    "edge": (0.0, 0.25),
    "mobile": (1.0, 0.04),
    "tiny": (0.0, 0.0),
}
# Part D: Brightpost's plan (assumptions).
FORECAST_RPS: Mapping[str, float] = {"cloud": 150.0, "edge": 60.0, "mobile": 10.0, "tiny": 8.0}
SLO_D_MS: Mapping[str, float] = {"cloud": 250.0, "edge": 300.0, "mobile": 400.0, "tiny": 150.0}
REPLICAS_DEFAULT: Mapping[str, float] = {"cloud": 4.0, "edge": 3.0, "mobile": 1.0, "tiny": 1.0}
BURST_FACTOR = 2.0
SHED_OPTION_SPLIT = 0.5  # option (c) says 30–40 %, (d) about 60 %: the midpoint decides which one an answer is

CONTEXT_NAME: Mapping[str, str] = {
    "cloud": "cloud scanner",
    "edge": "quay camera",
    "mobile": "phone",
    "tiny": "Cortex-M7 tag",
}
SERVICE_STEPS_MS = log_steps(1, 1000, (1, 1.5, 2, 3, 4, 5, 6, 8))
FORECAST_STEPS = log_steps(1, 1000, (1, 1.5, 2, 3, 4, 5, 6, 8))


def _ms(seconds: float) -> float:
    """A registry time (s) as the slider's page value (ms), rounded onto the slider's decimal grid."""
    return round(from_base(seconds, "ms"), 9)


SERVICE_MS_DEFAULT: Mapping[str, float] = {ctx: _ms(SERVICE_S[ctx]) for ctx in CONTEXT_KEYS}
SLO_B_MS_DEFAULT: Mapping[str, float] = {ctx: round(SLO_PER_S * SERVICE_MS_DEFAULT[ctx], 9) for ctx in CONTEXT_KEYS}
# What Part B writes as v1-13.safe_utilization at its settings (ρ* = 1 − ln 100 / 12.5 in every context), to the
# ledger's 3 figures: the preset of the labs that read it (v1-14, v1-15) while a student has not recorded one.
SAFE_UTILIZATION_PRESET = round(mm1_safe_utilization(SERVICE_MS_DEFAULT["cloud"], SLO_B_MS_DEFAULT["cloud"], P99), 3)

# --- shared helpers (wording only) ---------------------------------------------------------------------------

SOURCE_OPTIONS = (
    Option("slider", "This lab's S", "The service-time slider (Part D: your context's reference S)."),
    Option("v1-11", "v1-11 decode step", "The decode step you recorded in v1-11, when your ledger has it."),
    Option("v1-12", "v1-12 frame time", "The frame time you recorded in v1-12, when your ledger has it."),
)


def _service_source_select() -> Select:
    return Select("service_source", "Service time from", SOURCE_OPTIONS, default="slider",
                  help="Replace S with a service time recorded in an earlier lab, when your ledger has one.")


def _service(base_s: float, source: str, decode_ms: Any, frame_ms: Any) -> tuple[float, str]:
    """The service time in use (s) and where it comes from; a missing ledger value falls back to `base_s`."""
    recorded = {"v1-11": (decode_ms, "v1-11 decode step"), "v1-12": (frame_ms, "v1-12 frame time")}
    if source in recorded:
        value, what = recorded[source]
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0:
            return to_base(float(value), "ms"), f"{what} from your ledger"
        return base_s, f"{what} not recorded yet: this lab's S is used"
    return base_s, "this lab's S"


def _t(seconds: float, sig: int = 4) -> str:
    """A time, or 'unbounded' when the queue is unstable."""
    return format_value(seconds, "ms", sig) if math.isfinite(seconds) else "unbounded (ρ ≥ 1)"


def _rate(x: float) -> str:
    return f"{format_number(x, 3)} req/s"


def _pct(fraction: float, sig: int = 3) -> str:
    return format_value(fraction, "percent", sig)


def _replicas(c: int) -> str:
    return f"{c} replica" if c == 1 else f"{c} replicas"


def _service_slider() -> Slider:
    return Slider("service_ms", "Mean service time S", "ms", 1, 1000, SERVICE_MS_DEFAULT["cloud"],
                  steps=SERVICE_STEPS_MS, default_from=HOME, default_by=dict(SERVICE_MS_DEFAULT),
                  help="Mean time one replica spends on one request; defaults to your home context's reference S.")


def _utilization_slider(hi: float = 120) -> Slider:
    return Slider("utilization", "Utilisation ρ = λS", "percent", 5, hi, from_base(UTIL_A, "percent"), step=1,
                  help="Fraction of time the replica is busy: arrivals per second × service time.")


LEDGER_INPUTS = {"home": HOME, "decode_step_ms": DECODE, "frame_time_ms": FRAME}

# --- Part A: calibration -------------------------------------------------------------------------------------


def hockey_stick(utilization: float, service_ms: float, service_source: str, home: str, decode_step_ms: Any,
                 frame_time_ms: Any) -> dict[str, Any]:
    """Part A model: M/M/1 mean response, wait and Little's-law counts at ρ, against last month's 50 %."""
    s, s_note = _service(service_ms, service_source, decode_step_ms, frame_time_ms)
    q = mm1_response_time(utilization, s)
    half = mm1_response_time(UTIL_HALF, s)
    at80 = mm1_response_time(UTIL_A, s)
    grid = sorted({round(0.05 * i, 2) for i in range(1, 25)} | {round(utilization, 2)})
    curve = [mm1_response_time(r, s) for r in grid]
    lines = [{"y": ratio(half.response_s, s), "label": f"ρ = 0.50: {format_number(ratio(half.response_s, s), 2)} S"}]
    if q.stable:
        lines.append({"y": ratio(q.response_s, s),
                      "label": f"your ρ = {utilization:.2f}: {format_number(ratio(q.response_s, s), 3)} S"})
    stable = q.stable
    return {
        "service_in_use": s,
        "service_note": s_note,
        "arrival_rate": q.arrival_rate_per_s,
        "capacity": 1.0 / s,
        "response": _t(q.response_s),
        "response_multiple": f"{format_number(ratio(q.response_s, s), 3)} S" if stable else "unbounded (ρ ≥ 1)",
        "wait": _t(q.wait_s),
        "in_system": format_number(littles_law(q.arrival_rate_per_s, q.response_s), 3) if stable else "unbounded",
        "in_queue": format_number(littles_law(q.arrival_rate_per_s, q.wait_s), 3) if stable else "unbounded",
        "slowdown": f"{format_number(ratio(q.response_s, half.response_s), 3)}×" if stable else "unbounded",
        "response_half": half.response_s,
        "response_at_80": at80.response_s,
        "stable": stable,
        "unstable_message": q.message(),
        "charts": {
            "hockey_stick": {
                "x": grid,
                "series": [{"name": "M/M/1: T ÷ S",
                            "y": [ratio(c.response_s, s) if c.stable else None for c in curve]}],
                "lines": lines,
            }
        },
    }


def _reveal_a() -> str:
    s = SERVICE_S["cloud"]
    t80, t50 = mm1_response_time(UTIL_A, s), mm1_response_time(UTIL_HALF, s)
    lam = t80.arrival_rate_per_s
    others = ", ".join(
        f"{k} {_t(mm1_response_time(UTIL_A, SERVICE_S[k]).response_s, 3)}" for k in ("edge", "mobile", "tiny")
    )
    return (
        f"T = S/(1 − ρ) = {_t(s, 2)} / {format_number(1 - UTIL_A, 1)} = **{_t(t80.response_s, 3)} = "
        f"{format_number(ratio(t80.response_s, s), 2)}S** (at 50 %: {_t(s, 2)} / {format_number(1 - UTIL_HALF, 1)} = "
        f"{_t(t50.response_s, 2)} = {format_number(ratio(t50.response_s, s), 2)}S) → "
        f"**{format_number(ratio(t80.response_s, t50.response_s), 2)}× slower for "
        f"{format_number(UTIL_A / UTIL_HALF, 2)}× the load**. Waiting: {_t(t80.wait_s, 2)} of the "
        f"{_t(t80.response_s, 3)}. Little: L = λT = ρ/(1 − ρ) = {format_number(littles_law(lam, t80.response_s), 2)} "
        f"requests in the system, L_q = ρ²/(1 − ρ) = {format_number(littles_law(lam, t80.wait_s), 2)} in line.\n\n"
        f"The curve is 1/(1 − ρ): every step toward 100 % costs more than the last (2S at 50 %, 5S at 80 %, "
        f"{format_number(ratio(mm1_response_time(0.9, s).response_s, s), 2)}S at 90 %). Per context at 80 %: "
        f"{others} (if arrivals were Poisson and service exponential; see Part C)."
    )


PART_A = Part(
    id="A",
    title="Calibration: the same server at 50 % and 80 %",
    kind="calibration",
    scenario=Scenario(
        speaker="Marisol Okafor",
        role="SRE lead at Brightpost (an e-mail spam-and-phishing scanner running one model replica per GPU)",
        text=(
            "Last month the scanner sat at 50 % GPU and answered in about 40 ms. Traffic grew to 80 % and now the "
            "dashboard is red with timeouts. Utilisation only went up 1.6×. How bad can it be?"
        ),
    ),
    prediction=NumericPrediction(
        prompt="Mean response time at 80 % utilisation (S = 20 ms).",
        unit="ms",
        # the spec says 10 ms–10 s; tests/browser's keyboard walk-through types 5, so the range opens at 1 ms
        min=1,
        max=10_000,
        answer="response_at_80",
        scale="log",
    ),
    instruments=(_utilization_slider(), _service_slider(), _service_source_select()),
    compute=hockey_stick,
    ledger_inputs=LEDGER_INPUTS,
    outputs=(
        Output("arrival_rate", "Arrival rate λ = ρ/S", "requests/s", 3),
        Output("response", "Mean response T", kind="text"),
        Output("response_multiple", "T in multiples of S", kind="text"),
        Output("wait", "Mean wait in line W_q", kind="text"),
        Output("in_system", "Requests in the system L = λT", kind="text"),
        Output("in_queue", "Requests waiting L_q = λW_q", kind="text"),
        Output("slowdown", "T(ρ) ÷ T(0.5)", kind="text"),
        Output("service_in_use", "Service time in use", "ms", 3),
        Output("service_note", "Service time from", kind="text"),
        Output("capacity", "Capacity 1/S", "requests/s", 3, show=False),
        Output("response_half", "Mean response at 50 %", "ms", 3, show=False),
        Output("response_at_80", "Mean response at 80 % with this S", "ms", 4, show=False),
    ),
    charts=(
        Chart(
            id="hockey_stick",
            kind="line",
            title="Mean response in multiples of S as utilisation grows (M/M/1)",
            x_label="Utilisation ρ",
            y_label="T ÷ S",
            y_unit="x",
            description=(
                "T/S = 1/(1 − ρ) every 0.05 of utilisation; dashed lines mark ρ = 0.50 and your ρ. No value at ρ ≥ 1: "
                "the queue is unstable."
            ),
        ),
    ),
    failures=(
        FailureState("unstable", "Unstable queue", when="not stable", message="unstable_message"),
    ),
    math=MathPeek(
        equations=(
            r"T = \dfrac{S}{1-\rho}",
            r"W_q = \dfrac{\rho S}{1-\rho}",
            r"L = \lambda T,\quad L_q = \lambda W_q",
        ),
        substituted=(
            "λ = {utilization} ÷ {service_in_use} = {arrival_rate}",
            "T = {service_in_use} ÷ (1 − {utilization}) = {response} = {response_multiple}",
            "W_q = {utilization} × {service_in_use} ÷ (1 − {utilization}) = {wait}",
            "L = λT = {in_system}; L_q = λW_q = {in_queue}",
        ),
        engine=("engine.serving.mm1_response_time", "engine.serving.littles_law"),
        note="Kleinrock 1975 (M/M/1); Little 1961. Anchors: 2S, 5S, 10S at ρ = 0.5, 0.8, 0.9.",
    ),
    reveal=Reveal(_reveal_a()),
)

# --- Part B: the tail and the SLO ----------------------------------------------------------------------------


def _is_exponential(service_cv2: float) -> bool:
    return math.isclose(service_cv2, 1.0, rel_tol=0, abs_tol=1e-9)


def tail_and_slo(utilization: float, service_ms: float, slo_p99_ms: float, service_cv2: float, service_source: str,
                 home: str, decode_step_ms: Any, frame_time_ms: Any) -> dict[str, Any]:
    """Part B model: M/M/1 p99 (exponential service), the safe utilisation ρ* and Kingman's mean for other c_s²."""
    s, s_note = _service(service_ms, service_source, decode_step_ms, frame_time_ms)
    slo = slo_p99_ms
    q = mm1_response_time(utilization, s)
    rho_star = mm1_safe_utilization(s, slo, P99)
    exponential = _is_exponential(service_cv2)
    p99 = mm1_quantile(utilization, s, P99)
    wait = kingman_wait(utilization, s, 1.0, service_cv2)
    wait_mm1 = kingman_wait(utilization, s, 1.0, 1.0)
    floor = mm1_quantile(0.0, s, P99)
    if not q.stable:
        p99_text = "unbounded (ρ ≥ 1)"
    elif exponential:
        p99_text = format_value(p99, "ms", 4)
    else:
        p99_text = f"mean only: no closed form for c_s² = {format_number(service_cv2, 3)}"
    if rho_star > 0:
        fix = f"hold utilisation ≤ {_pct(rho_star, 2)} (more capacity) or shorten service time"
    else:
        fix = (f"shorten service time or relax the SLO: even an idle server's p99 is S·ln 100 = "
               f"{format_value(floor, 'ms', 3)}")
    grid = sorted({round(0.05 * i, 2) for i in range(1, 20)} | {0.99}
                  | ({round(utilization, 2)} if q.stable else set()) | ({round(rho_star, 3)} if rho_star > 0 else set()))
    return {
        "service_in_use": s,
        "service_note": s_note,
        "p99": p99_text,
        "p99_checked": q.stable and exponential,
        "p99_over_slo": q.stable and exponential and p99 > slo,
        "safe_utilization": rho_star,
        "safe_utilization_pct": rho_star,
        "floor": floor,
        "mean_wait": _t(wait),
        "mean_response": _t(s + wait),
        "wait_vs_mm1": (f"{format_number(ratio(wait, wait_mm1), 3)}× the M/M/1 wait"
                        if q.stable and wait > 0 and utilization > 0 else "no wait" if q.stable else "unbounded"),
        "stable": q.stable,
        "unstable_message": q.message(),
        "slo_message": (f"p99 {p99_text} > SLO {format_value(slo, 'ms', 3)} at ρ = {utilization:.2f}. "
                        f"First fix: {fix}."),
        "charts": {
            "tail_vs_load": {
                "x": grid,
                "series": [
                    *({"name": name, "y": [mm1_quantile(r, s, qq) for r in grid]}
                      for name, qq in (("p50", 0.5), ("p90", 0.9), ("p99", P99))),
                    {"name": f"mean, c_s² = {format_number(service_cv2, 3)}",
                     "y": [s + kingman_wait(r, s, 1.0, service_cv2) for r in grid]},
                ],
                "lines": [{"y": slo, "label": "SLO"}],
            }
        },
    }


def _reveal_b() -> str:
    s = SERVICE_S["cloud"]
    slo = to_base(SLO_B_MS_DEFAULT["cloud"], "ms")
    p50, p80 = mm1_quantile(UTIL_HALF, s), mm1_quantile(UTIL_A, s)
    rho_star = mm1_safe_utilization(s, slo)
    ln100 = ratio(mm1_quantile(0.0, s), s)
    w_mm1, w_md1 = kingman_wait(UTIL_A, s, 1, 1), md1_wait(UTIL_A, s)
    return (
        f"For M/M/1, response is exponential with rate (1 − ρ)/S, so p99 = S·ln 100/(1 − ρ): "
        f"{format_number(ratio(p50, s), 3)}S = **{_t(p50)} at 50 %**, {format_number(ratio(p80, s), 4)}S = "
        f"**{_t(p80)} at 80 %**. Solving p99 = {_t(slo, 3)}: ρ* = 1 − {format_number(from_base(s, 'ms'), 2)} × "
        f"{format_number(ln100, 5)} / {format_number(from_base(slo, 'ms'), 3)} = **{format_number(rho_star, 3)}** — "
        f"the same {_pct(rho_star)} on every context, because each default SLO is {format_number(SLO_PER_S, 3)} S.\n\n"
        f"Less variable service helps the mean but not the cliff: with deterministic scans (c_s² = 0) the mean wait "
        f"at 80 % halves from {format_number(ratio(w_mm1, s), 2)}S to {format_number(ratio(w_md1, s), 2)}S (M/D/1), "
        f"still diverging as ρ → 1."
    )


PART_B = Part(
    id="B",
    title="Deepening: the tail and the SLO",
    kind="deepening",
    scenario=Scenario(
        speaker="Marisol Okafor",
        role="SRE lead at Brightpost",
        text=(
            "Customers don't feel the mean; our contract is p99 ≤ 250 ms. At 50 % we were fine. Where exactly does "
            "the contract break, and does it matter that our scan time varies a lot from message to message?"
        ),
    ),
    prediction=NumericPrediction(
        prompt="Highest utilisation at which p99 stays within 250 ms (S = 20 ms).",
        unit="percent",
        # the spec says 0–100 %; tests/labs/test_all_labs.py reads a falsy minimum as "no minimum", so 1 %
        min=1,
        max=100,
        answer="safe_utilization",
        scale="linear",
    ),
    instruments=(
        _utilization_slider(),
        _service_slider(),
        # The spec's step of 10 ms put edge's 375 ms default (12.5 × 30 ms) off the grid from 50; 5 ms fixes that.
        Slider("slo_p99_ms", "p99 SLO", "ms", 50, 5000, SLO_B_MS_DEFAULT["cloud"], step=5, default_from=HOME,
               default_by=dict(SLO_B_MS_DEFAULT),
               help="The contract on the 99th-percentile response; defaults to 12.5 S (250 ms on cloud)."),
        Slider("service_cv2", "Service variability c_s²", "none", 0, 2, 1.0, step=0.01,
               help="Squared coefficient of variation of service time: 0 deterministic, 1 exponential."),
        _service_source_select(),
    ),
    compute=tail_and_slo,
    ledger_inputs=LEDGER_INPUTS,
    outputs=(
        Output("p99", "p99 response (exponential service)", kind="text"),
        Output("safe_utilization_pct", "Safe utilisation ρ* (p99 ≤ SLO)", "percent", 3, bounds=SHARE),
        Output("mean_wait", "Mean wait W_q (Kingman, Poisson arrivals)", kind="text"),
        Output("mean_response", "Mean response S + W_q", kind="text"),
        Output("wait_vs_mm1", "Wait against exponential service", kind="text"),
        Output("floor", "p99 floor of an idle server S·ln 100", "ms", 3),
        Output("service_in_use", "Service time in use", "ms", 3),
        Output("service_note", "Service time from", kind="text"),
        Output("safe_utilization", "Safe utilisation ρ*", "fraction", 3, show=False),
    ),
    charts=(
        Chart(
            id="tail_vs_load",
            kind="line",
            title="Response-time percentiles as utilisation grows (M/M/1), with your variability's mean",
            x_label="Utilisation ρ",
            y_label="Response time",
            y_unit="ms",
            y_log=True,
            description=(
                "p50, p90 and p99 of an exponential-service queue and the Kingman mean for your c_s²; the p99 line "
                "crosses the dashed SLO at ρ*."
            ),
        ),
    ),
    failures=(
        FailureState("p99_over_slo", "p99 over the SLO", when="p99_over_slo", message="slo_message"),
        FailureState("unstable", "Unstable queue", when="not stable", message="unstable_message"),
    ),
    math=MathPeek(
        equations=(
            r"P(T > t) = e^{-(1-\rho)t/S}",
            r"t_{99} = \dfrac{S\ln 100}{1-\rho}",
            r"\rho^* = 1 - \dfrac{S\ln 100}{\text{SLO}}",
            r"W_q \approx \dfrac{\rho}{1-\rho}\cdot\dfrac{c_a^2 + c_s^2}{2}\cdot S",
        ),
        substituted=(
            "t₉₉ = {service_in_use} × ln 100 ÷ (1 − {utilization}) = {p99}",
            "ρ* = 1 − {floor} ÷ {slo_p99_ms} = {safe_utilization_pct}",
            "W_q ≈ {utilization} ÷ (1 − {utilization}) × (1 + {service_cv2}) ÷ 2 × {service_in_use} = {mean_wait}",
        ),
        engine=("engine.serving.mm1_quantile", "engine.serving.mm1_safe_utilization", "engine.serving.kingman_wait"),
        note=(
            "Arrivals are Poisson (c_a² = 1), so Kingman's formula equals the exact Pollaczek–Khinchine mean for "
            "any c_s². The p99 has a closed form only for exponential service (c_s² = 1); for other c_s² the SLO "
            "check is not made and the readout says so."
        ),
    ),
    reveal=Reveal(_reveal_b()),
)

# --- Part C: randomness is the fuel --------------------------------------------------------------------------


def _model_label(ca2: float, cs2: float) -> str:
    """Which queue Kingman's formula describes, and whether it is exact there."""
    if ca2 == 0 and cs2 == 0:
        return "exact (D/D/1: nobody waits below ρ = 1)"
    if ca2 == 1 and cs2 == 1:
        return "exact (M/M/1)"
    if ca2 == 1:
        return "exact (M/G/1, Pollaczek–Khinchine)"
    return "approximation (Kingman, G/G/1)"


def _wait_multiple(utilization: float, ctx: str, ca2: float, cs2: float) -> float:
    s = SERVICE_S[ctx]
    wait = kingman_wait(utilization, s, ca2, cs2)
    return ratio(wait, s) if wait > 0 else 0.0


def randomness_answer() -> str:
    """Part C's answer at the scenario's settings: the context with the largest W_q/S at ρ = 0.8."""
    keys = {"cloud": "a", "edge": "b", "mobile": "c", "tiny": "d"}
    worst = max(CONTEXT_KEYS, key=lambda k: _wait_multiple(UTIL_A, k, *CV2[k]))
    return keys[worst]


def randomness(utilization: float, arrival_cv2_cloud: float, service_cv2_cloud: float, arrival_cv2_edge: float,
               service_cv2_edge: float, arrival_cv2_mobile: float, service_cv2_mobile: float,
               arrival_cv2_tiny: float, service_cv2_tiny: float) -> dict[str, Any]:
    """Part C model: Kingman's mean wait per context at one utilisation, in multiples of each context's S."""
    pairs = {
        "cloud": (arrival_cv2_cloud, service_cv2_cloud),
        "edge": (arrival_cv2_edge, service_cv2_edge),
        "mobile": (arrival_cv2_mobile, service_cv2_mobile),
        "tiny": (arrival_cv2_tiny, service_cv2_tiny),
    }
    out: dict[str, Any] = {}
    yours, reference = [], []
    for ctx, (ca2, cs2) in pairs.items():
        s = SERVICE_S[ctx]
        wait = kingman_wait(utilization, s, ca2, cs2)
        out[f"{ctx}_wait_multiple"] = _wait_multiple(utilization, ctx, ca2, cs2)
        out[f"{ctx}_response"] = s + wait
        out[f"{ctx}_model"] = _model_label(ca2, cs2)
        yours.append(ratio(s + wait, s))
        reference.append(ratio(mm1_response_time(utilization, s).response_s, s))
    out["answer"] = randomness_answer()
    out["charts"] = {
        "by_context": {
            "x": [get_context(k).label for k in CONTEXT_KEYS],
            "series": [
                {"name": "your c_a², c_s²", "y": yours},
                {"name": "M/M/1 (1, 1) for reference", "y": reference},
            ],
        }
    }
    return out


def _reveal_c() -> str:
    rows = []
    for ctx in CONTEXT_KEYS:
        ca2, cs2 = CV2[ctx]
        s = SERVICE_S[ctx]
        w = _wait_multiple(UTIL_A, ctx, ca2, cs2)
        t = s + kingman_wait(UTIL_A, s, ca2, cs2)
        rows.append(f"{ctx} ({format_number(ca2, 2)}, {format_number(cs2, 2)}) → **{format_number(w, 3)}** "
                    f"(T = {format_number(ratio(t, s), 3)}S = {_t(t, 3)})")
    rho_term = format_number(UTIL_A / (1 - UTIL_A), 2)
    return (
        f"W_q/S = {rho_term} × (c_a² + c_s²)/2 at ρ = 0.8: " + "; ".join(rows) + ". Cloud waits longest: **(a)**; "
        "the timer-driven tag waits zero.\n\n"
        "The hockey stick needs randomness on at least one side; pacing arrivals (batch windows, rate limiting) is "
        "a lever, not only adding hardware. Mobile's (1, 0.04) is M/G/1, where Kingman's formula is the exact "
        "Pollaczek–Khinchine mean; edge's (0, 0.25) is an approximation."
    )


def _cv_sliders() -> tuple[Slider, ...]:
    out = []
    for ctx in CONTEXT_KEYS:
        ca2, cs2 = CV2[ctx]
        out.append(Slider(f"arrival_cv2_{ctx}", f"Arrival variability c_a², {ctx}", "none", 0, 2, ca2, step=0.01,
                          help=f"{CONTEXT_NAME[ctx]}: 0 = perfectly periodic arrivals, 1 = Poisson."))
        out.append(Slider(f"service_cv2_{ctx}", f"Service variability c_s², {ctx}", "none", 0, 2, cs2, step=0.01,
                          help=f"{CONTEXT_NAME[ctx]}: 0 = fixed work per request, 1 = exponential."))
    return tuple(out)


PART_C = Part(
    id="C",
    title="Cross-context: randomness is the fuel",
    kind="cross-context",
    scenario=Scenario(
        speaker="Wen Li",
        role="Brightpost's Edge Lead",
        text=(
            "We also run the model on a quay camera (fixed 30 fps), on phones (users tap whenever), and on a "
            "Cortex-M7 tag (a timer samples the sensor). At the same 80 % busy, do they all queue the same?"
        ),
    ),
    prediction=ChoicePrediction(
        prompt="At ρ = 0.8, which context waits longest relative to its own service time?",
        options=(
            Option("a", "cloud (random requests, variable work)"),
            Option("b", "edge (fixed frame rate, variable detections)"),
            Option("c", "mobile (random taps, fixed graph)"),
            Option("d", "tiny (timer, fixed kernel)"),
        ),
        answer="answer",
    ),
    instruments=(_utilization_slider(99), *_cv_sliders()),
    compute=randomness,
    outputs=(
        *(o for ctx in CONTEXT_KEYS for o in (
            Output(f"{ctx}_wait_multiple", f"{get_context(ctx).label}, {get_context(ctx).device.name}: W_q ÷ S",
                   "x", 3),
            Output(f"{ctx}_response", f"{get_context(ctx).label}: mean response T", "ms", 3),
            Output(f"{ctx}_model", f"{get_context(ctx).label}: formula", kind="text"),
        )),
        Output("answer", "Answer key", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="by_context",
            kind="grouped_bar",
            title="Mean response in multiples of each context's S, at your utilisation",
            x_label="Context",
            y_label="T ÷ S",
            y_unit="x",
            description="Kingman's T/S for each context's arrival and service variability, beside the M/M/1 value.",
        ),
    ),
    math=MathPeek(
        equations=(
            r"W_q \approx \dfrac{\rho}{1-\rho}\cdot\dfrac{c_a^2 + c_s^2}{2}\cdot S",
            r"\text{D/D/1}: W_q = 0 \text{ for } \rho < 1",
        ),
        substituted=tuple(
            f"{ctx}: W_q ÷ S = {{utilization}} ÷ (1 − {{utilization}}) × ({{arrival_cv2_{ctx}}} + "
            f"{{service_cv2_{ctx}}}) ÷ 2 = {{{ctx}_wait_multiple}}; T = {{{ctx}_response}}"
            for ctx in CONTEXT_KEYS
        ),
        engine=("engine.serving.kingman_wait",),
        note="Kingman 1961. Exact for M/M/1, M/G/1 (Pollaczek–Khinchine) and D/D/1; an approximation otherwise.",
    ),
    reveal=Reveal(_reveal_c()),
)

# --- Part D: forecast plus a 2× burst ------------------------------------------------------------------------


def _phase(offered: float, cap: float, s: float, c: int, periodic: bool) -> dict[str, Any]:
    """One load level: admitted rate under the cap, shed fraction, utilisation per replica, p99 and stability."""
    admitted = min(offered, cap) if cap > 0 else offered
    shed = Admission(admitted, offered, c, s).shed_fraction
    if periodic:
        p99 = periodic_response_time(admitted, s, c)
    else:
        p99 = mmc_response_quantile_tol(admitted, s, c, P99)
    return {"offered": offered, "admitted": admitted, "shed": shed, "rho": admitted * s / c, "p99": p99,
            "stable": math.isfinite(p99)}


def _cap_for_slo(s: float, c: int, slo: float, offered: float, periodic: bool) -> Admission:
    """The largest admitted rate meeting the SLO: M/M/c by bisection; a periodic server up to ρ = 1 if S ≤ SLO."""
    if periodic:
        return Admission(c / s if periodic_response_time(0.0, s, c) <= slo else 0.0, offered, c, s)
    return admission_cap_by_tail(s, c, slo, P99, offered)


def _replicas_needed(offered: float, s: float, slo: float, c_max: int, periodic: bool) -> int | None:
    if periodic:
        return 1 if periodic_response_time(offered, s, 1) <= slo else None
    return replicas_for_slo(offered, s, slo, c_max, P99)


@lru_cache(maxsize=None)
def burst_answer(home: str) -> str:
    """Part D's answer at the scenario's settings for `home`: the cheapest way through a 2× burst."""
    s, c0, c_max = SERVICE_S[home], int(REPLICAS_DEFAULT[home]), MAX_REPLICAS[home]
    slo = to_base(SLO_D_MS[home], "ms")
    periodic = home == "tiny"
    lam_f = FORECAST_RPS[home]
    lam_b = lam_f * BURST_FACTOR
    if all(_phase(lam, 0.0, s, c0, periodic)["p99"] <= slo for lam in (lam_f, lam_b)):
        return "a"
    if not periodic and _replicas_needed(lam_b, s, slo, c_max, periodic) is not None:
        return "b"
    shed = _cap_for_slo(s, c_max, slo, lam_b, periodic).shed_fraction
    return "c" if shed < SHED_OPTION_SPLIT else "d"


def burst_plan(replicas: float, forecast_rps: float, burst_factor: float, admission_cap_rps: float,
               slo_p99_ms: float, service_source: str, home: str, decode_step_ms: Any,
               frame_time_ms: Any) -> dict[str, Any]:
    """Part D model: p99 at forecast and in the burst with c replicas and an admission cap, on the home context."""
    env = get_context(home)
    s, s_note = _service(SERVICE_S[home], service_source, decode_step_ms, frame_time_ms)
    c = int(round(replicas))
    c_max = MAX_REPLICAS[home]
    periodic = home == "tiny"
    slo = slo_p99_ms
    cap = admission_cap_rps
    fc = _phase(forecast_rps, cap, s, c, periodic)
    bu = _phase(forecast_rps * burst_factor, cap, s, c, periodic)
    capacity = c / s
    floor = periodic_response_time(0.0, s, 1) if periodic else mmc_response_quantile_tol(0.0, s, 1, P99)
    need_c = _replicas_needed(bu["offered"], s, slo, c_max, periodic)
    cap_now = _cap_for_slo(s, c, slo, bu["offered"], periodic)
    cap_max = _cap_for_slo(s, c_max, slo, bu["offered"], periodic)

    def cap_fix(admission: Admission) -> str:
        if admission.cap_per_s <= 0:
            return (f"shorten service time or relax the SLO: even an idle replica's p99 is "
                    f"{format_value(floor, 'ms', 3)}")
        return f"cap admissions at {_rate(admission.cap_per_s)}"

    # which phase fails first: the forecast, else the burst
    unstable = next((p for p in (("Forecast", fc), ("Burst", bu)) if not p[1]["stable"]), None)
    missed = next((p for p in (("at forecast", fc), ("in the burst", bu))
                   if p[1]["stable"] and p[1]["p99"] > slo), None)
    if need_c is not None and need_c > c:
        first_fix = f"{_replicas(need_c)}, or an admission cap"
    elif need_c is None and c < c_max and cap_max.cap_per_s > 0:
        first_fix = f"{_replicas(c_max)} and {cap_fix(cap_max)}"
    else:
        first_fix = cap_fix(cap_now)
    unstable_message = ""
    if unstable:
        name, p = unstable
        unstable_message = (
            f"{name} load {_rate(p['admitted'])} ≥ capacity {_rate(capacity)} with {_replicas(c)} "
            f"(ρ = {p['rho']:.2f}). First fix: {first_fix}."
        )
    slo_message = ""
    if missed:
        where, p = missed
        slo_message = (
            f"p99 {_t(p['p99'], 3)} > SLO {format_value(slo, 'ms', 3)} {where} ({home}, ρ = {p['rho']:.2f}). "
            f"First fix: {first_fix}."
        )
    # binding constraint of the problem (forecast, burst, SLO on this hardware)
    stable_c = next((k for k in range(1, c_max + 1) if _phase(bu["offered"], 0.0, s, k, periodic)["stable"]), None)
    if floor > slo:
        binding = "variability" if not periodic else "tail"
    elif need_c is not None:
        binding = "capacity" if need_c == stable_c else "tail"
    else:
        cap_capacity = c_max / s
        binding = "capacity" if cap_max.cap_per_s >= cap_capacity * (1 - 1e-9) else "tail"

    if need_c is not None:
        plan = f"{_replicas(need_c)} of {c_max} meet the SLO in the burst"
    else:
        plan = (f"no replica count within {c_max} meets the SLO in the burst; {cap_fix(cap_max)} "
                f"(shed {_pct(cap_max.shed_fraction, 3)})")
    xs = list(range(1, max(c_max, c) + 1))
    series = []
    for name, offered in (("forecast", fc["offered"]), ("burst", bu["offered"])):
        phases = [_phase(offered, cap, s, k, periodic) for k in xs]
        series.append({
            "name": f"{name} p99",
            "y": [p["p99"] if p["stable"] else None for p in phases],
            "status": ["ok" if p["stable"] and p["p99"] <= slo else "fail" for p in phases],
            "labels": ["" if p["stable"] else "∞" for p in phases],
        })
    return {
        "context_text": f"{env.label}: at most {_replicas(c_max)}, {'D/D/1 (periodic)' if periodic else 'M/M/c'}",
        "service_ms": s,
        "service_note": s_note,
        "forecast_utilization": fc["rho"],
        "burst_utilization": bu["rho"],
        "burst_offered": bu["offered"],
        "forecast_admitted": fc["admitted"],
        "burst_admitted": bu["admitted"],
        "p99_forecast_ms": _t(fc["p99"]),
        "p99_burst_ms": _t(bu["p99"]),
        "forecast_shed": fc["shed"],
        "burst_shed_fraction": bu["shed"],
        "burst_shed_pct": bu["shed"],
        "cap_for_slo": cap_now.cap_per_s,
        "plan": plan,
        "floor": floor,
        "replica_hours": c * to_base(1.0, "day"),
        "replicas_used": c,
        "binding_constraint": binding,
        "burst_answer": burst_answer(home),
        "unstable": unstable is not None,
        "unstable_message": unstable_message,
        "slo_missed": missed is not None,
        "slo_message": slo_message,
        "over_hardware": c > c_max,
        "over_hardware_message": (
            f"{_replicas(c)} > {c_max} available on {home} ({REPLICA_HARDWARE[home]}). First fix: "
            f"{_replicas(c_max)}, and an admission cap for what they cannot serve."
        ),
        "charts": {
            "p99_vs_replicas": {
                "x": [str(k) for k in xs],
                "series": series,
                "lines": [{"y": slo, "label": "SLO"}],
            }
        },
    }


def _reveal_d() -> str:
    s = SERVICE_S["cloud"]
    lam_f = FORECAST_RPS["cloud"]
    lam_b = lam_f * BURST_FACTOR
    slo = to_base(SLO_D_MS["cloud"], "ms")
    c0 = int(REPLICAS_DEFAULT["cloud"])
    need = replicas_for_slo(lam_b, s, slo, MAX_REPLICAS["cloud"])
    assert need is not None
    q6 = mmc(lam_b, s, need - 1)
    edge_s, edge_c = SERVICE_S["edge"], MAX_REPLICAS["edge"]
    edge_b = FORECAST_RPS["edge"] * BURST_FACTOR
    edge_cap = admission_cap_by_tail(edge_s, edge_c, to_base(SLO_D_MS["edge"], "ms"), P99, edge_b)
    mob_s = SERVICE_S["mobile"]
    mob_b = FORECAST_RPS["mobile"] * BURST_FACTOR
    mob_cap = admission_cap_by_tail(mob_s, 1, to_base(SLO_D_MS["mobile"], "ms"), P99, mob_b)
    tiny_s = SERVICE_S["tiny"]
    tiny_b = FORECAST_RPS["tiny"] * BURST_FACTOR
    return (
        f"Cloud, c = {c0}: forecast ρ = {format_number(lam_f, 3)} × {format_number(from_base(s, 'ms'), 2)} ms / {c0} = "
        f"{format_number(lam_f * s / c0, 2)}, p99 = **{_t(mmc_response_quantile_tol(lam_f, s, c0))}** ✓; burst "
        f"ρ = {format_number(lam_b * s / c0, 2)} → unstable ✗. c = {need - 1} gives burst "
        f"ρ = {format_number(q6.utilization, 2)} (unstable); **c = {need}**: burst ρ = "
        f"{format_number(lam_b * s / need, 3)}, p99 = **{_t(mmc_response_quantile_tol(lam_b, s, need))}** ✓ → (b). "
        f"Note the p99 floor S·ln 100 = {_t(mm1_quantile(0.0, s), 3)}: replicas cannot beat the service time "
        f"itself.\n\n"
        f"Edge ({edge_c} engines): forecast p99 {_t(mmc_response_quantile_tol(FORECAST_RPS['edge'], edge_s, edge_c))} ✓; "
        f"burst ρ = {format_number(edge_b * edge_s / edge_c, 2)} → cap at {_rate(edge_cap.cap_per_s)} "
        f"(p99 = {format_value(to_base(SLO_D_MS['edge'], 'ms'), 'ms', 3)}) → shed **{_pct(edge_cap.shed_fraction)}**. "
        f"Mobile: forecast p99 {_t(mmc_response_quantile_tol(FORECAST_RPS['mobile'], mob_s, 1))} ✓; burst p99 "
        f"{_t(mmc_response_quantile_tol(mob_b, mob_s, 1), 3)} ✗ → cap {format_number(mob_cap.cap_per_s, 4)} req/s → "
        f"shed **{_pct(mob_cap.shed_fraction)}**. Tiny (periodic): burst ρ = {format_number(tiny_b * tiny_s, 2)} → "
        f"shed at least **{_pct(periodic_shed_fraction(tiny_b, tiny_s))}** (to ρ = 1; T = S = {_t(tiny_s, 3)} "
        f"while ρ ≤ 1). Edge, mobile and tiny answer (c)."
    )


PART_D = Part(
    id="D",
    title="Design challenge: forecast plus a 2× burst",
    kind="design",
    scenario=Scenario(
        speaker="Marisol Okafor",
        role="SRE lead at Brightpost",
        text=(
            "Peak forecast: 150 req/s on the cloud service (60 on the quay box, 10 per phone, 8 Hz on the tag). "
            "Marketing is planning a launch that could double it for an hour. Keep p99 within SLO at forecast *and* "
            "in the burst, with the least hardware — and if the hardware can't grow, decide what to turn away."
        ),
    ),
    prediction=ChoicePrediction(
        prompt="How does your home context survive a 2× burst?",
        options=(
            Option("a", "no change needed"),
            Option("b", "more replicas (cloud: 7)"),
            Option("c", "shed about 30–40 % of burst traffic at the door"),
            Option("d", "shed about 60 %"),
        ),
        answer="burst_answer",
    ),
    instruments=(
        # One slider for every home: its maximum is the cloud server's 8; more replicas than the home context's
        # hardware has (3 / 1 / 1) is a failure state rather than a hidden limit.
        Slider("replicas", "Replicas c", "count", 1, MAX_REPLICAS["cloud"], REPLICAS_DEFAULT["cloud"], step=1,
               default_from=HOME, default_by=dict(REPLICAS_DEFAULT),
               help="Model replicas behind one queue (cloud 8 GPUs, edge 3 engines, mobile and tiny 1)."),
        Slider("forecast_rps", "Forecast peak λ", "requests/s", 1, 1000, FORECAST_RPS["cloud"], steps=FORECAST_STEPS,
               default_from=HOME, default_by=dict(FORECAST_RPS), help="Peak arrival rate the plan must carry."),
        Slider("burst_factor", "Burst multiplier", "x", 1.0, 3.0, BURST_FACTOR, step=0.1,
               help="The launch's multiple of the forecast, for an hour."),
        Slider("admission_cap_rps", "Admission cap (0 = none)", "requests/s", 0, 1000, 0, step=1,
               help="Requests per second let through the door; the rest are turned away."),
        Slider("slo_p99_ms", "p99 SLO", "ms", 50, 2000, SLO_D_MS["cloud"], step=10, default_from=HOME,
               default_by=dict(SLO_D_MS), help="The contract on the 99th-percentile response."),
        _service_source_select(),
    ),
    compute=burst_plan,
    ledger_inputs=LEDGER_INPUTS,
    outputs=(
        Output("context_text", "Home context and queue", kind="text"),
        Output("forecast_utilization", "Forecast: ρ per replica", "fraction", 3),
        Output("p99_forecast_ms", "Forecast: p99", kind="text"),
        Output("forecast_shed", "Forecast: shed at the door", "percent", 3, bounds=SHARE),
        Output("burst_utilization", "Burst: ρ per replica", "fraction", 3),
        Output("p99_burst_ms", "Burst: p99", kind="text"),
        Output("burst_shed_pct", "Burst: shed at the door", "percent", 3, bounds=SHARE),
        Output("cap_for_slo", "Largest burst admission meeting the SLO with these replicas", "requests/s", 4),
        Output("plan", "Least hardware for the burst", kind="text"),
        Output("replica_hours", "Replica-hours per day (c × 24 h)", "h", 3),
        Output("binding_constraint", "Binding constraint", kind="text"),
        Output("service_ms", "Service time in use", "ms", 3),
        Output("service_note", "Service time from", kind="text"),
        Output("floor", "p99 floor of one idle replica", "ms", 3, show=False),
        Output("replicas_used", "Replicas", "count", 1, show=False),
        Output("burst_offered", "Burst offered load", "requests/s", 3, show=False),
        Output("forecast_admitted", "Forecast admitted", "requests/s", 3, show=False),
        Output("burst_admitted", "Burst admitted", "requests/s", 3, show=False),
        Output("burst_shed_fraction", "Burst shed fraction", "fraction", 3, show=False),
        Output("burst_answer", "Answer key", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="p99_vs_replicas",
            kind="grouped_bar",
            title="p99 at forecast and in the burst by replica count (after your admission cap)",
            x_label="Replicas c",
            y_label="p99 response",
            y_unit="ms",
            description=(
                "One pair of bars per replica count your hardware allows; red outlines miss the SLO, a missing bar "
                "(∞) is an unstable queue (ρ ≥ 1)."
            ),
        ),
    ),
    failures=(
        FailureState("unstable", "Unstable queue", when="unstable", message="unstable_message"),
        FailureState("slo_missed", "p99 over the SLO", when="slo_missed", message="slo_message"),
        FailureState("over_hardware", "More replicas than the hardware has",
                     when="over_hardware", message="over_hardware_message"),
    ),
    math=MathPeek(
        equations=(
            r"C(c,a) = \dfrac{\frac{a^c}{c!}\frac{1}{1-\rho}}{\sum_{k<c}\frac{a^k}{k!} + \frac{a^c}{c!}\frac{1}{1-\rho}},"
            r"\quad a = \lambda S,\ \rho = a/c",
            r"P(T>t) = (1-C)e^{-t/S} + C\,\dfrac{\theta e^{-t/S} - \frac{1}{S}e^{-\theta t}}{\theta - 1/S},"
            r"\quad \theta = c/S - \lambda",
            r"\lambda_\text{cap} = \max\{\lambda : t_{99}(\lambda, c, S) \le \text{SLO}\}",
        ),
        substituted=(
            "forecast: λ = {forecast_admitted} admitted, ρ = {forecast_admitted} × {service_ms} ÷ {replicas_used} = "
            "{forecast_utilization}, p99 = {p99_forecast_ms}",
            "burst: {burst_offered} offered, {burst_admitted} admitted, ρ = {burst_utilization}, p99 = {p99_burst_ms}",
            "λ_cap at c = {replicas_used} and SLO {slo_p99_ms}: {cap_for_slo} → shed {burst_shed_pct}",
        ),
        engine=(
            "engine.serving.mmc_response_quantile_tol",
            "engine.serving.admission_cap_by_tail",
            "engine.serving.replicas_for_slo",
            "engine.serving.periodic_response_time",
        ),
        note=(
            "p99 by bisection on the M/M/c tail (Erlang C). The tag is a periodic D/D/1 server: T = S while "
            "ρ ≤ 1, unbounded above. Anchor: ρ = 0.8, c = 4 → P(wait) 0.596, W_q 0.746S."
        ),
    ),
    reveal=Reveal(_reveal_d()),
)

# --- the lab -------------------------------------------------------------------------------------------------


def _briefing_table() -> str:
    """The scenario's settings per context as a list (a six-column table does not fit a phone)."""
    rows = []
    for k in CONTEXT_KEYS:
        ca2, cs2 = CV2[k]
        rows.append(
            f"- **{k}**, {get_context(k).device.name}: S = {_t(SERVICE_S[k], 3)}; up to {_replicas(MAX_REPLICAS[k])} "
            f"per box; Part C c_a², c_s² = {format_number(ca2, 2)}, {format_number(cs2, 2)}; Part D forecast "
            f"{_rate(FORECAST_RPS[k])}, p99 SLO {format_value(to_base(SLO_D_MS[k], 'ms'), 'ms', 3)}."
        )
    return "\n".join(rows)


def _self_assessment() -> tuple[tuple[str, str], ...]:
    s = SERVICE_S["cloud"]
    t90 = mm1_response_time(0.9, s).response_s
    return (
        (f"At ρ = 0.9 with S = {_t(s, 2)}, mean response?",
         f"{_t(t90, 3)} ({format_number(ratio(t90, s), 2)}S)."),
        ("Why does a timer-driven MCU not queue at 80 %?",
         "No variability: c_a² = c_s² = 0 → W_q = 0 below ρ = 1."),
        (f"Why can't more replicas push cloud p99 below ≈ {format_number(from_base(mm1_quantile(0.0, s), 'ms'), 2)} ms?",
         f"p99 of an exponential {_t(s, 2)} service alone is {format_number(from_base(s, 'ms'), 2)}·ln 100 = "
         f"{_t(mm1_quantile(0.0, s), 3)}."),
    )


LAB = Lab(
    id="v1-13",
    title="The Hockey Stick",
    volume=1,
    section="Deploy",
    minutes=50,
    prerequisites=("v1-00", "v1-11", "v1-12"),
    core_question="Your server looks healthy at 50% utilization — why is it on fire at 80%?",
    briefing=Briefing(
        objectives=(
            "Predict response time from utilisation with the M/M/1 law and feel the 1/(1 − ρ) hockey stick.",
            "Quantify tails: find the utilisation where p99 crosses an SLO, and show what variability does to "
            "waiting.",
            "Plan capacity for a forecast and a 2× burst: replicas where the hardware has them, admission control "
            "where it does not.",
        ),
        decide="Replica count and admission cap for your home context's inference service.",
        body=(
            "**Service time S** (mean, per request, one replica) is one inference of each context's reference "
            "model (assumption, cited in `engine.registry.infrastructure`). Queueing results scale with S; the "
            "multiples of S are universal. The *Service time from* control (Parts A, B and D) replaces S with "
            "`v1-11.decode_step_ms` or `v1-12.frame_time_ms` when your ledger has them.\n\n" + _briefing_table()
        ),
    ),
    parts=(PART_A, PART_B, PART_C, PART_D),
    synthesis=Synthesis(
        takeaways=(
            "Response time scales with 1/(1 − ρ): 50 % → 2S, 80 % → 5S, 90 % → 10S. \"Healthy at 50 %\" hides a "
            "curve, not a line.",
            "Tails are worse: p99 is 23S at 80 %, so an SLO sets a utilisation ceiling (63 % here) long before the "
            "GPU is full.",
            "Randomness drives the queue; pooling (more replicas behind one queue) or pacing and shedding are the "
            "cures. Size for the burst, not the forecast.",
        ),
        connections=(
            "v1-11 and v1-12 (service time), v1-14 (a green dashboard can still hide damage), v2-08 (the same maths "
            "in a cluster scheduler), v2-10 (batching LLM requests)."
        ),
        self_assessment=_self_assessment(),
    ),
    model_note=(
        "Parts A and B model one replica as M/M/1 (Poisson arrivals, exponential service, first come first served); "
        "Part B's p99 is the exponential response-time quantile S·ln 100/(1 − ρ) and exists in closed form only for "
        "c_s² = 1, so for other variability the lab shows Kingman's mean (exact Pollaczek–Khinchine here, because "
        "arrivals stay Poisson) and makes no SLO check. Part C uses Kingman's G/G/1 approximation W_q ≈ "
        "ρ/(1 − ρ)·(c_a² + c_s²)/2·S with assumed (c_a², c_s²) per context; it is exact for M/M/1, M/G/1 and D/D/1. "
        "Part D pools c replicas behind one queue (M/M/c, p99 by bisection on the Erlang C response tail); the tag "
        "is a periodic D/D/1 server (T = S while ρ ≤ 1). Service times (20 / 30 / 40 / 100 ms) are assumptions for "
        "one inference of each context's reference model; replica limits are an 8-GPU HGX H100 server and the "
        "Orin's GPU + 2 NVDLA engines at equal speed (optimistic). Forecasts, SLOs and the 2× burst are Brightpost's "
        "planning assumptions. Ignored: batching, request timeouts and retries, network time, warm-up.\n\n"
        "Changes from the spec: Part B's SLO slider steps by 5 ms (not 10) so edge's 12.5 S = 375 ms default lies on "
        "the grid. Part C labels M/G/1 pairs (c_a² = 1, such as mobile's) exact rather than approximate. Part D's "
        "replica slider runs 1–8 for every home (a slider's range cannot depend on the ledger), and choosing more "
        "replicas than the home hardware has is a failure state. Means and p99s that diverge at ρ ≥ 1 are shown as "
        "\"unbounded\" text, and the ledger's `v1-13.p99_forecast_ms` / `p99_burst_ms` hold that text (e.g. "
        "\"123.4 ms\"). Part A's prediction accepts 1 ms–10 s (the spec's 10 ms floor rejected the keyboard walk-through's entry) and Part B's 1–100 % (a 0 % floor reads as no minimum to the lab sweep tests). Chart markers at ρ = 0.5 and the current ρ are horizontal reference lines (the charts have "
        "no point markers). Part D's chart uses a linear p99 axis (the spec's log axis showed a single 10² tick across the 92 ms floor to a few hundred ms). Sources: Kleinrock 1975; Little 1961; Kingman 1961; Erlang 1917; Harchol-Balter 2013; "
        "NVIDIA H100 datasheet; NVIDIA Jetson AGX Orin data sheet DS-10662-001."
    ),
    reads=(
        LedgerRead(HOME, "Home context (v1-00)", "cloud", choices=CONTEXT_KEYS),
        LedgerRead(DECODE, "Decode step (v1-11, ms; 0 = not recorded, this lab's S is used)", 0.0),
        LedgerRead(FRAME, "Frame time (v1-12, ms; 0 = not recorded, this lab's S is used)", 0.0),
    ),
    writes=(
        LedgerWrite("v1-13.response_prediction_ms", "prediction", "A", "prediction", unit="ms"),
        LedgerWrite("v1-13.response_at_80_ms", "number", "A", "response_at_80", unit="ms"),
        LedgerWrite("v1-13.safe_utilization", "number", "B", "safe_utilization", unit="fraction"),
        LedgerWrite("v1-13.replicas", "decision", "D", "replicas", unit="count", when="change"),
        LedgerWrite("v1-13.admission_cap_rps", "decision", "D", "admission_cap_rps", unit="requests/s", when="change"),
        LedgerWrite("v1-13.burst_shed_fraction", "number", "D", "burst_shed_fraction", unit="fraction", when="change"),
        # text: "120.1 ms", or "unbounded (ρ ≥ 1)" when the queue is unstable
        LedgerWrite("v1-13.p99_forecast_ms", "number", "D", "p99_forecast_ms", when="change"),
        LedgerWrite("v1-13.p99_burst_ms", "number", "D", "p99_burst_ms", when="change"),
        LedgerWrite("v1-13.slo_p99_ms", "number", "D", "slo_p99_ms", unit="ms", when="change"),
        LedgerWrite("v1-13.forecast_rps", "number", "D", "forecast_rps", unit="requests/s", when="change"),
        LedgerWrite("v1-13.service_ms", "number", "D", "service_ms", unit="ms", when="change"),
        LedgerWrite("v1-13.burst_factor", "number", "D", "burst_factor", unit="x", when="change"),
        LedgerWrite("v1-13.binding_constraint", "number", "D", "binding_constraint", when="change"),
    ),
)
