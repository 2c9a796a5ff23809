"""engine.compression v1-10 additions: one lookup over both README revisions, the bit sweep and cliff, the quality
gate with its first fix, MCU evidence, the longest context beside a row, and the deployment check.

Expected values are computed by hand from the README cells the spec prints (GiB sizes × 2³⁰ B; KV = 2·L·d·2 B per
token), never read back from the engine.
"""

import math

import pytest

from engine import compression as C
from engine.errors import EngineInputError

GIB = 2**30


def close(a, b, rel=1e-9):
    return math.isclose(a, b, rel_tol=rel)


def kv(layers, width, tokens):
    return 2 * layers * width * 2 * tokens


def test_lookup_row_3cf64c6f():
    """7B RTN 4-bit: 6.29 / 5.68 = 1.1074 (+10.7 %); size is the GPTQ 4-bit size, 3.5 GiB (derived)."""
    r = C.lookup_row("llama_7b", "rtn", 4)
    assert (r.perplexity, r.fp16_perplexity, r.revision) == (6.29, 5.68, "3cf64c6f")
    assert close(r.ratio, 6.29 / 5.68)
    assert close(r.degradation, 6.29 / 5.68 - 1)
    assert close(r.size_bytes, 3.5 * GIB)


def test_lookup_row_2bit_uses_its_revision():
    """2-bit rows come from 01069233 with that revision's FP16 (5.67): RTN 101,940; g128 is read as g64 75.28."""
    rtn = C.lookup_row("llama_7b", "rtn", 2)
    assert (rtn.perplexity, rtn.fp16_perplexity, rtn.revision) == (101940, 5.67, "01069233")
    assert close(rtn.ratio, 101940 / 5.67)
    g = C.lookup_row("llama_7b", "gptq_g128", 2)
    assert (g.method, g.perplexity) == ("gptq_g64", 75.28)
    assert close(g.ratio, 75.28 / 5.67)
    assert g.size_bytes is None


def test_lookup_row_refuses_to_invent():
    """No 2-bit row for 13B, none for ungrouped GPTQ 2-bit, and hidden 2-bit rows return None with a reason."""
    assert C.lookup_row("llama_13b", "rtn", 2).perplexity is None
    assert C.lookup_row("llama_7b", "gptq", 2).note == "not in table: requires evaluation"
    hidden = C.lookup_row("llama_7b", "rtn", 2, include_2bit=False)
    assert hidden.perplexity is None and "hidden" in hidden.note
    with pytest.raises(EngineInputError, match="`model` must be one of"):
        C.lookup_row("llama_20b", "rtn", 4)


def test_lookup_row_fp16_ignores_method():
    """At 16 bits the method is FP16 whatever was asked: 13B 5.09, 24.2 GiB."""
    r = C.lookup_row("llama_13b", "rtn", 16)
    assert (r.method, r.bits, r.perplexity) == ("fp16", 16, 5.09)
    assert close(r.size_bytes, 24.2 * GIB)


def test_bit_sweep_cliffs():
    """7B: RTN cliff at 3 (25.54 / 5.68 = 4.50 > 2); GPTQ g128 at 2 (75.28 / 5.67 = 13.3), none without 2-bit rows."""
    assert C.bit_sweep("llama_7b", "rtn").cliff_bits == 3
    assert C.bit_sweep("llama_7b", "gptq_g128").cliff_bits == 2
    assert C.bit_sweep("llama_7b", "gptq_g128", include_2bit=False).cliff_bits is None
    assert C.bit_sweep("llama_7b", "gptq").cliff_bits is None  # 8.07 / 5.68 = 1.42, no 2-bit GPTQ row


def test_rtn3_not_monotonic_in_size():
    """RTN 3-bit ratios: 7B 25.54/5.68, 13B 11.40/5.09, 33B 14.89/4.10, 65B 10.59/3.53 — not monotonic."""
    ratios = [C.lookup_row(m, "rtn", 3).ratio for m in C.LLAMA_SIZES]
    expected = [25.54 / 5.68, 11.40 / 5.09, 14.89 / 4.10, 10.59 / 3.53]
    assert all(close(a, b) for a, b in zip(ratios, expected))
    assert ratios[1] < ratios[2]


def test_gate_check_rtn3_first_fix():
    """7B RTN 3-bit at 5 %: 25.54 > 5.68 × 1.05 = 5.964; first fix GPTQ g128 4-bit (5.85); 3-bit g128 (6.61) fails."""
    g = C.gate_check("llama_7b", "rtn", 3, 0.05)
    assert close(g.limit, 5.68 * 1.05)
    assert g.passes is False
    assert (g.fix.method, g.fix.bits, g.fix.perplexity) == ("gptq_g128", 4, 5.85)
    msg = g.message()
    assert msg.startswith("Quality gate failed: perplexity 25.54 > limit 5.96 (FP16 5.68 + 5 %).")
    assert "First fix: GPTQ g128 4-bit (5.85, +3.0 %)" in msg
    assert "GPTQ g128 (6.61, +16.4 %), still fails" in msg


def test_gate_check_wide_gate_accepts_3bit():
    """At a 20 % gate, 7B GPTQ g128 3-bit passes (6.61 / 5.68 − 1 = 16.4 %) and is the fewest-bit fix."""
    g = C.gate_check("llama_7b", "gptq_g128", 3, 0.20)
    assert g.passes is True and g.message() == ""
    assert (g.fix.bits, g.fix.method) == (3, "gptq_g128")


def test_mcu_evidence():
    """MobileNetV1 FP32: 4.2e6 × 4 B = 16.8 MB > 2 MiB; the mixed INT4/INT8 network (68 %) fits; prior 8-bit 60 %."""
    fp32, mixed, prior = C.mcu_evidence(2 * 2**20)
    assert close(fp32.weight_bytes, 4.2e6 * 4) and fp32.fits is False and fp32.top1_pct == 70.6
    assert mixed.fits is True and mixed.top1_pct == 68 and mixed.weight_bytes is None
    assert prior.fits is None and prior.top1_pct == 60


def test_max_row_context_mobile():
    """7B GPTQ 4-bit g128 on a 4 GB budget: (4e9 − 3.6 GiB) / (2·32·4096·2 B) = 256.6 → 256 tokens; tiny: 0."""
    room = 4e9 - 3.6 * GIB
    assert C.max_row_context("llama_7b", "gptq_g128", 4, "mobile") == math.floor(room / kv(32, 4096, 1))
    assert C.max_row_context("llama_7b", "gptq_g128", 4, "mobile") == 256
    assert C.max_row_context("llama_7b", "gptq_g128", 4, "tiny") == 0


def test_deployment_check_cloud_oom():
    """65B FP16 on cloud: 121 GiB + 80·8192·4·2048 B = 135.3 GB > 80 GB; first fix 4-bit g128 (40.05 GB)."""
    d = C.deployment_check("llama_65b", "fp16", 16, 2048, "cloud", 8, 0.05)
    assert d.binding == "capacity"
    assert close(d.fit.total_bytes, 121.0 * GIB + kv(80, 8192, 2048))
    assert d.message.startswith("Memory 135.3 GB > budget 80.0 GB HBM3 (weights 129.9 + KV 5.37).")
    assert d.message.endswith(f"First fix: GPTQ 4-bit g128 ({(32.3 * GIB + kv(80, 8192, 2048)) / 1e9:.1f} GB with "
                              "the KV cache).")


def test_deployment_check_edge_too_slow():
    """65B 4-bit g128 on edge: 204.8e9 / 40.05e9 = 5.11 tok/s < 8; first fix 33B (204.8e9 / 20.77e9 = 9.86)."""
    d = C.deployment_check("llama_65b", "gptq_g128", 4, 2048, "edge", 8, 0.05)
    assert d.binding == "bandwidth"
    assert close(d.fit.tokens_per_s, 204.8e9 / (32.3 * GIB + kv(80, 8192, 2048)))
    assert f"{204.8e9 / (16.3 * GIB + kv(60, 6656, 2048)):.1f} tok/s" in d.message
    assert d.message.startswith("Decode 5.1 tok/s < floor 8 tok/s (edge, 65B GPTQ g128 4-bit).")


def test_deployment_check_mobile_context_fix():
    """7B 4-bit g128 on mobile: 4.94 GB > 4 GB; at ≤ 256 tokens 3.6 GiB + 134.2 MB = 4.000 GB fits."""
    d = C.deployment_check("llama_7b", "gptq_g128", 4, 2048, "mobile", 8, 0.05)
    assert d.binding == "capacity"
    assert "First fix: a context of ≤ 256 tokens (4.00 GB" in d.message
    ok = C.deployment_check("llama_7b", "gptq_g128", 4, 256, "mobile", 8, 0.05)
    assert ok.binding == "none"
    assert close(ok.fit.total_bytes, 3.6 * GIB + kv(32, 4096, 256))
    assert close(ok.fit.tokens_per_s, 51.2e9 / (3.6 * GIB + kv(32, 4096, 256)))


def test_deployment_check_quality_and_pass():
    """Cloud 7B g128 3-bit fails the 5 % gate (binding quality); 65B g128 4-bit passes: 3.35e12 / 40.05e9 tok/s."""
    q = C.deployment_check("llama_7b", "gptq_g128", 3, 2048, "cloud", 8, 0.05)
    assert q.binding == "quality" and q.message.startswith("Quality gate failed: perplexity 6.61")
    ok = C.deployment_check("llama_65b", "gptq_g128", 4, 2048, "cloud", 8, 0.05)
    assert ok.binding == "none" and ok.message == ""
    assert close(ok.fit.tokens_per_s, 3.35e12 / (32.3 * GIB + kv(80, 8192, 2048)))


def test_deployment_check_tiny_has_no_llama_fix():
    """On tiny no LLaMA row fits 2 MiB: the first fix points to another model family."""
    d = C.deployment_check("llama_7b", "gptq_g128", 4, 128, "tiny", 8, 0.05)
    assert d.binding == "capacity" and "no LLaMA row fits 2.10 MB" in d.message


def test_row_text():
    """Rows are named as the labs name them."""
    assert C.row_text("llama_65b", "gptq_g128", 4) == "65B GPTQ g128 4-bit"
    assert C.row_text("llama_7b", "fp16", 16) == "7B FP16"
