"""Lab v1-00: reveal values at defaults equal the spec's hand arithmetic; the failure state fires and clears."""

from __future__ import annotations

import math

from labs import runtime
from labs.v1_00 import LAB


def _eval(**inputs):
    return runtime.evaluate(LAB, "A", inputs, {})


def test_default_pass_time_is_39_06_ms():
    """bytes = 1e9 × 16 / 8 = 2.0e9 B; time = 2.0e9 / 51.2e9 B/s = 0.0390625 s."""
    raw = _eval()["raw"]
    assert math.isclose(raw["weight_bytes"], 1e9 * 16 / 8, rel_tol=1e-12)
    assert math.isclose(raw["pass_time"], 2.0e9 / 51.2e9, rel_tol=1e-12)
    assert math.isclose(raw["tokens_ceiling"], 1 / 0.0390625, rel_tol=1e-12)  # 25.6 tokens/s


def test_default_outputs_text():
    """The page shows 39.06 ms and 25.6 tokens/s at the scenario's settings."""
    out = _eval()["outputs"]
    assert "39.06 ms" == out["pass_time"]["text"]
    assert "25.6 tokens/s" == out["tokens_ceiling"]["text"]
    assert "2.00 GB" == out["weight_bytes"]["text"]


def test_other_contexts_match_spec():
    """cloud 2.0e9/3.35e12 = 0.597 ms; edge 2.0e9/204.8e9 = 9.77 ms; tiny does not fit (954×)."""
    assert math.isclose(_eval(context="cloud")["raw"]["pass_time"], 2.0e9 / 3.35e12, rel_tol=1e-12)
    assert math.isclose(_eval(context="edge")["raw"]["pass_time"], 2.0e9 / 204.8e9, rel_tol=1e-12)
    tiny = _eval(context="tiny")
    assert math.isclose(tiny["raw"]["capacity_used"], 2.0e9 / 2_097_152, rel_tol=1e-12)
    assert ["does_not_fit"] == [f["id"] for f in tiny["failures"]]


def test_tiny_failure_message_names_value_limit_and_fix():
    """The out-of-memory card reads like the spec: value, limit, unit, factor and first fix."""
    msg = _eval(context="tiny")["failures"][0]["message"]
    assert msg.startswith("Does not fit: weights 2.00 GB > 2.10 MB flash on tiny")
    assert "954× over" in msg
    assert "First fix: a model about 1,000× smaller" in msg


def test_mobile_fails_above_2e9_params_at_16_bits():
    """On mobile (4 GB budget) 2e9 params × 2 B fits exactly; the next step (3e9) does not."""
    assert [] == _eval(params=2e9)["failures"]
    assert ["does_not_fit"] == [f["id"] for f in _eval(params=3e9)["failures"]]


def test_failure_clears_when_the_control_moves_back():
    """Recovery: moving params back to 1e9 (or bits to 4) clears the card."""
    assert _eval(params=3e9)["failures"]
    assert not _eval(params=1e9)["failures"]
    assert not _eval(params=3e9, precision="4")["failures"]


def test_reveal_line():
    """Predicting 5 ms gives Z = 39.06 / 5 = 7.8× under, as in the self-assessment."""
    r = runtime.reveal(LAB, "A", 5, {})
    assert "You predicted 5.00 ms. Actual: 39.06 ms. Off by 7.8× (under)." == r["text"]
    assert math.isclose(r["off_by"], 0.0390625 / 0.005, rel_tol=1e-12)


def test_reveal_over_direction():
    """Predicting 100 ms is 100 / 39.0625 = 2.56× over."""
    r = runtime.reveal(LAB, "A", 100, {})
    assert "over" == r["direction"]
    assert math.isclose(r["off_by"], 100 / 39.0625, rel_tol=1e-12)


def test_self_assessment_4_bit():
    """Self-assessment 1: 4-bit 1 B model on the phone = 0.5e9 / 51.2e9 = 9.77 ms."""
    assert math.isclose(_eval(precision="4")["raw"]["pass_time"], 0.5e9 / 51.2e9, rel_tol=1e-12)


def test_chart_marks_tiny_red():
    """The chart has one bar per context; only tiny is marked as not fitting at defaults."""
    chart = _eval()["charts"]["pass_by_context"]
    assert ["Cloud", "Edge", "Mobile", "Tiny"] == chart["x"]
    assert ["ok", "ok", "ok", "fail"] == chart["series"][0]["status"]
    assert math.isclose(chart["series"][0]["y"][2], 39.0625, rel_tol=1e-12)  # ms


def test_ledger_writes_declared():
    """v1-00 writes the home context decision and the Part A prediction, actual and off-by."""
    keys = {w.key for w in LAB.writes}
    assert {"v1-00.home_context", "v1-00.partA_prediction_ms", "v1-00.partA_actual_ms", "v1-00.partA_off_by"} == keys
