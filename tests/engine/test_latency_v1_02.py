"""engine.latency additions for v1-02: kernel overhead, scaled iron law, image workload at a resolution, SLO check."""

import math

import pytest

from engine import latency as L
from engine.errors import EngineInputError

R50_FLOP = 2 * 4_089_184_256
R50_PARAMS = 25_557_032
R50_ELEMS = 28_404_712


def test_kernel_overhead_cloud():
    """56 kernels × 0.875 µs = 49 µs."""
    assert math.isclose(L.kernel_overhead(56, 0.875e-6), 49e-6, rel_tol=1e-12)


def test_kernel_overhead_rejects_negative():
    """A negative kernel count raises the one error form."""
    with pytest.raises(EngineInputError, match="`kernels` must be a non-negative number"):
        L.kernel_overhead(-1, 1e-6)


def test_scale_iron_law_each_lever_shrinks_its_own_term():
    """2× compute halves T_c only; 2× bandwidth halves T_m only; ½ overhead halves L only."""
    law = L.IronLaw(16e-6, 32e-6, 48e-6, False)
    c = L.scale_iron_law(law, compute_x=2)
    b = L.scale_iron_law(law, bandwidth_x=2)
    o = L.scale_iron_law(law, overhead_x=0.5)
    assert (c.compute_s, c.memory_s, c.overhead_s) == (8e-6, 32e-6, 48e-6)
    assert (b.compute_s, b.memory_s, b.overhead_s) == (16e-6, 16e-6, 48e-6)
    assert (o.compute_s, o.memory_s, o.overhead_s) == (16e-6, 32e-6, 24e-6)
    assert math.isclose(c.total_s, 88e-6, rel_tol=1e-12)


def test_scale_iron_law_keeps_overlap():
    """With overlap, 2× compute on a memory-bound law changes nothing: max(8, 32) + 48 = max(16, 32) + 48."""
    law = L.IronLaw(16e-6, 32e-6, 48e-6, True)
    assert L.scale_iron_law(law, compute_x=2).total_s == law.total_s
    assert math.isclose(law.total_s, 80e-6, rel_tol=1e-12)


def test_scale_iron_law_matches_amdahl():
    """Without overlap, T / T(2× compute) equals Amdahl's 1 / ((1 − f_c) + f_c/2)."""
    law = L.IronLaw(16e-6, 32e-6, 48e-6, False)
    s = law.total_s / L.scale_iron_law(law, compute_x=2).total_s
    assert math.isclose(s, 1 / ((1 - 16 / 96) + (16 / 96) / 2), rel_tol=1e-12)


def test_scale_iron_law_rejects_zero_compute():
    """compute_x must be positive."""
    with pytest.raises(EngineInputError, match="`compute_x` must be a positive number"):
        L.scale_iron_law(L.IronLaw(1, 1, 1, False), compute_x=0)


def test_image_workload_at_reference_side():
    """At 224 px: O = 8,178,368,512 FLOP; D = (25,557,032 + 28,404,712) × 2 = 107,923,488 B."""
    w = L.image_workload(R50_FLOP, R50_PARAMS, R50_ELEMS, 224)
    assert w.pixel_scale == 1.0
    assert w.flop == R50_FLOP
    assert w.bytes_moved == (25_557_032 + 28_404_712) * 2
    assert w.weight_bytes + w.activation_bytes == w.bytes_moved


def test_image_workload_at_256():
    """At 256 px: s = (256/224)² = 1.30612…; O·s and (P + A·s)·2."""
    w = L.image_workload(R50_FLOP, R50_PARAMS, R50_ELEMS, 256)
    s = (256 / 224) ** 2
    assert math.isclose(w.pixel_scale, 1.3061224489795917, rel_tol=1e-12)
    assert math.isclose(w.flop, R50_FLOP * s, rel_tol=1e-12)
    assert math.isclose(w.bytes_moved, (R50_PARAMS + R50_ELEMS * s) * 2, rel_tol=1e-12)


def test_image_workload_cloud_256_latency_108_us():
    """v1-02 Part D: cloud at 256 px, 21.59 + 37.41 + 49.00 = 108.0 µs."""
    w = L.image_workload(R50_FLOP, R50_PARAMS, R50_ELEMS, 256)
    t = L.iron_law(w.flop, 989.5e12, 0.5, w.bytes_moved, 3.35e12, 49e-6).total_s
    expected = R50_FLOP * (256 / 224) ** 2 / (989.5e12 * 0.5) + (R50_PARAMS + R50_ELEMS * (256 / 224) ** 2) * 2 / 3.35e12 + 49e-6
    assert math.isclose(t, expected, rel_tol=1e-12)
    assert round(t * 1e6, 1) == 108.0


def test_image_workload_rejects_zero_side():
    """side_px must be positive."""
    with pytest.raises(EngineInputError, match="`side_px` must be a positive number"):
        L.image_workload(R50_FLOP, R50_PARAMS, R50_ELEMS, 0)


def test_slo_check_passes_with_margin():
    """97.75 µs against 100 µs: ratio 0.9775, margin 2.25 µs, no message."""
    chk = L.check_latency_slo(L.IronLaw(16.5e-6, 32.25e-6, 49e-6, False), 100e-6)
    assert chk.passes
    assert math.isclose(chk.ratio, 97.75 / 100, rel_tol=1e-12)
    assert math.isclose(chk.margin_s, 2.25e-6, rel_tol=1e-9)
    assert chk.message() == ""


def test_slo_check_message_names_overhead_first():
    """108 µs > 100 µs with the overhead term largest: the sentence names value, limit, rate and the first fix."""
    chk = L.check_latency_slo(L.IronLaw(21.6e-6, 37.4e-6, 49e-6, False), 100e-6)
    assert not chk.passes
    assert chk.message() == (
        "SLO missed: 108.0 µs per image > 100 µs budget (10,000 images/s). First fix: cut fixed overhead (49.0 µs) "
        "before buying FLOP/s."
    )


def test_slo_check_message_names_memory_first():
    """When memory is the largest term the first fix is bandwidth (or fewer bytes); budgets up to 10 ms read in µs."""
    chk = L.check_latency_slo(L.IronLaw(502.7e-6, 611.9e-6, 49e-6, False), 1e-3, "frame")
    msg = chk.message()
    assert msg.startswith("SLO missed: 1,164 µs per frame > 1,000 µs budget (1,000 frames/s).")
    assert "buy bandwidth (memory time 612 µs is the largest term)" in msg


def test_slo_check_message_names_compute_first():
    """When compute is the largest term the first fix is FLOP/s or efficiency."""
    chk = L.check_latency_slo(L.IronLaw(3e-3, 1e-3, 0.5e-3, False), 2e-3)
    assert "buy FLOP/s or raise efficiency (compute time 3,000 µs is the largest term)" in chk.message()


def test_slo_check_rejects_bad_arguments():
    """A non-IronLaw or a non-positive budget raises the one error form."""
    with pytest.raises(EngineInputError, match="`law` must be an IronLaw"):
        L.check_latency_slo(97e-6, 100e-6)
    with pytest.raises(EngineInputError, match="`slo_s` must be a positive number"):
        L.check_latency_slo(L.IronLaw(1, 1, 1, False), 0)
