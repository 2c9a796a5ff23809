"""v1-00 — The Ritual and Your Home Context.

Orientation lab: one calibrated prediction (time to stream a 1 B-parameter model's weights once on a phone), one
failure state (the weights do not fit), and the home-context decision that later labs open in.
Spec: shared/labs/v1-00.md.
"""

from __future__ import annotations

from typing import Any

from engine.latency import stream_time
from engine.memory import check_fit, weight_bytes
from engine.registry.hardware import CONTEXT_KEYS, get_context
from labs.common import context_options, envelope_table_md, log_steps
from labs.schema import (
    Briefing,
    Chart,
    Decision,
    FailureState,
    Lab,
    LedgerWrite,
    MathPeek,
    NumericPrediction,
    Option,
    Output,
    Part,
    Reveal,
    Scenario,
    Select,
    Slider,
    Synthesis,
)

PRECISIONS = (
    Option("32", "32-bit (FP32)", value=32),
    Option("16", "16-bit (FP16)", value=16),
    Option("8", "8-bit (INT8)", value=8),
    Option("4", "4-bit (INT4)", value=4),
)


def one_pass(params: float, precision: int, context: str) -> dict[str, Any]:
    """Part A model: bytes of weights, the time to stream them once, and whether they fit, on every context."""
    env = get_context(context)
    b = weight_bytes(params, precision)
    t = stream_time(b, env.memory_bandwidth_bytes_per_s)
    fit = check_fit(b, env.model_memory_bytes, f"{env.model_memory_label} on {env.key} ({env.device.name})")
    per_context = []
    for key in CONTEXT_KEYS:
        e = get_context(key)
        per_context.append(
            (stream_time(b, e.memory_bandwidth_bytes_per_s), check_fit(b, e.model_memory_bytes).fits)
        )
    return {
        "weight_bytes": b,
        "bits": float(precision),
        "bandwidth": env.memory_bandwidth_bytes_per_s,
        "model_memory": env.model_memory_bytes,
        "pass_time": t,
        "tokens_ceiling": 1.0 / t,
        "capacity_used": fit.ratio,
        "fits": fit.fits,
        "fit_message": fit.message(),
        "charts": {
            "pass_by_context": {
                "x": [get_context(k).label for k in CONTEXT_KEYS],
                "series": [
                    {
                        "name": "time per pass",
                        "y": [t_k for t_k, _ in per_context],
                        "status": ["ok" if fits else "fail" for _, fits in per_context],
                        "labels": ["" if fits else "does not fit" for _, fits in per_context],
                    }
                ],
            }
        },
    }


PART_A = Part(
    id="A",
    title="Calibration: one pass over the weights",
    kind="calibration",
    scenario=Scenario(
        speaker="Wren Castellanos",
        role="product lead at Quillwork (a note-taking app)",
        text=(
            "Our writing assistant is a 1-billion-parameter model stored in 16-bit floats. Engineering says every "
            "generated word requires reading the whole model out of memory once. How long does a single pass over "
            "the weights take on a phone?"
        ),
    ),
    prediction=NumericPrediction(
        prompt="Time to read every weight once on the phone.",
        unit="ms",
        min=0.01,
        max=100_000,
        answer="pass_time",
        scale="log",
    ),
    instruments=(
        Slider("params", "Parameters", "parameters", 1e6, 1e11, 1e9, steps=log_steps(1e6, 1e11)),
        Select("precision", "Weight format", PRECISIONS, default="16", unit="bit"),
        Select("context", "Where it runs", context_options(), default="mobile"),
    ),
    compute=one_pass,
    outputs=(
        Output("weight_bytes", "Weight bytes", "GB", 3),
        Output("pass_time", "Time per pass", "ms", 4),
        Output("tokens_ceiling", "Ceiling on words per second", "tokens/s", 3),
        Output("capacity_used", "Model memory used", "percent", 3),
        Output("bits", "Bits per weight", "bit", 2, show=False),
        Output("bandwidth", "Memory bandwidth", "GB/s", 4, show=False),
    ),
    charts=(
        Chart(
            id="pass_by_context",
            kind="bar",
            title="Time per pass over the weights, by context",
            x_label="Context",
            y_label="Time per pass",
            y_unit="ms",
            y_log=True,
            description="One bar per deployment context at the current size and precision; red bars do not fit.",
        ),
    ),
    failures=(
        FailureState("does_not_fit", "Out of memory", when="not fits", message="fit_message"),
    ),
    math=MathPeek(
        equations=(
            r"B = N_\text{params}\cdot \frac{b}{8}",
            r"t_\text{pass} = \frac{B}{BW}",
            r"\text{tokens/s} \le \frac{1}{t_\text{pass}}",
        ),
        substituted=(
            "B = {params} × {bits} ÷ 8 = {weight_bytes}",
            "t = {weight_bytes} ÷ {bandwidth} = {pass_time}",
            "tokens/s ≤ 1 ÷ {pass_time} = {tokens_ceiling}",
        ),
        engine=("engine.memory.weight_bytes", "engine.latency.stream_time", "engine.units.off_by"),
    ),
    reveal=Reveal(
        "2.0e9 bytes at 51.2 GB/s take 39.06 ms, so the phone can never exceed 25.6 words per second with this "
        "model, whatever its NPU's TOP/s. The same model streams in 0.60 ms on the cloud GPU and 9.77 ms on the "
        "edge module, and does not fit on the microcontroller at all."
    ),
)

LAB = Lab(
    id="v1-00",
    title="The Ritual and Your Home Context",
    volume=1,
    section="Foundations",
    minutes=5,
    prerequisites=(),
    core_question="How do these labs work?",
    briefing=Briefing(
        objectives=(
            'Commit a numeric prediction before the instruments unlock, then read the reveal line ("You predicted '
            'X. Actual: Y. Off by Z×").',
            "See one failure state fire and clear it by moving a control back.",
            "Choose a home deployment context (cloud, edge, mobile, tiny); later labs open their Parts A and B in it.",
        ),
        decide="Your home context, written to the Design Ledger.",
        body=(
            "Conventions this lab introduces, used by every later lab:\n\n"
            "- **Off-by factor** $Z = \\max(X/Y,\\ Y/X)$, always ≥ 1, shown to 2 significant figures with a "
            'direction word ("over" if X > Y, "under" if X < Y).\n'
            '- **Missing ledger values** fall back to a labelled preset; the page says "preset in use".\n'
            "- **Context envelope**: every later lab draws hardware numbers from this table "
            "(each number and its source is on the Sources page).\n\n" + envelope_table_md()
        ),
    ),
    parts=(PART_A,),
    decisions=(
        Decision(
            key="v1-00.home_context",
            prompt="Choose your home context. Later labs open their Parts A and B in it.",
            options=context_options(),
        ),
    ),
    synthesis=Synthesis(
        takeaways=(
            "A prediction is only useful if it is committed before the evidence; the off-by factor measures the "
            "prior, not the student.",
            "Streaming a model's weights sets a hard floor on generation speed: 2 GB at 51.2 GB/s can never exceed "
            "25.6 tokens/s, whatever the chip's TOP/s.",
            "The four contexts span six orders of magnitude; the same model can be instant, slow, or impossible.",
        ),
        connections=(
            "v1-01 turns the envelope table into a diagnosis method; v1-02 adds compute and overhead to the "
            "bytes/bandwidth term met here; v1-08 returns to “bytes before anything runs”."
        ),
        self_assessment=(
            ("A 4-bit version of the same 1 B model on the phone: time per pass?", "0.5e9 / 51.2e9 = 9.77 ms."),
            ("Why does the tiny card fail even for a 4-bit 1 B model?", "0.5 GB ≫ 2 MiB flash (238×)."),
            ("If you predicted 5 ms and the actual was 39.06 ms, what is Z?", "39.06 / 5 = 7.8× (under)."),
        ),
    ),
    model_note=(
        "Decoding one token reads every weight once, so time per pass is bytes ÷ peak memory bandwidth: a floor "
        "that real kernels approach at 60–90 %. Activations, KV cache and compute are ignored here (v1-02 adds "
        "them). Phone numbers (51.2 GB/s, 4 GB app budget) are labelled teaching estimates: Apple publishes neither. "
        "The microcontroller keeps weights in its 2 MiB of flash."
    ),
    writes=(
        LedgerWrite("v1-00.home_context", "decision", "", "home_context"),
        LedgerWrite("v1-00.partA_prediction_ms", "prediction", "A", "prediction", unit="ms"),
        LedgerWrite("v1-00.partA_actual_ms", "prediction", "A", "actual", unit="ms"),
        LedgerWrite("v1-00.partA_off_by", "prediction", "A", "off_by", unit="x"),
    ),
)
