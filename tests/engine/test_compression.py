"""engine.compression: table lookups (two revisions), size ratios, the cliff, context fit, best feasible row."""

import pytest

from engine import compression as C


def test_quality_lookup_old_revision_unchanged():
    """Fidelity row 50 / v1-01: FP16 5.67, RTN4 6.28, RTN3 25.66, GPTQ3 g64 12.24; 3B not in table."""
    assert [C.quality_lookup("llama_7b", m, b).perplexity for m, b in
            (("fp16", 16), ("rtn", 4), ("rtn", 3), ("gptq_g64", 3))] == [5.67, 6.28, 25.66, 12.24]
    assert C.quality_lookup("assistant_3b", "rtn", 4).note == "not in table: requires evaluation"


def test_rtn4_degradation_v1_10():
    """v1-10 A: 6.29/5.68 − 1 = +10.7 %; GPTQ g128 5.85/5.68 − 1 = +3.0 %."""
    assert C.relative_degradation("llama_7b", "rtn", 4) == pytest.approx(6.29 / 5.68 - 1)
    assert C.relative_degradation("llama_7b", "gptq_g128", 4) == pytest.approx(5.85 / 5.68 - 1)


def test_size_ratio():
    """v1-10 A: nominal 16/4 = 4×; on disk 12.5/3.6 = 3.47×."""
    r = C.size_ratio("llama_7b", "gptq_g128", 4)
    assert r.nominal_x == 4 and r.on_disk_x == pytest.approx(12.5 / 3.6)


def test_cliff_bits():
    """v1-10 B: RTN's ratio first exceeds 2 at 3 bits (25.54/5.68 = 4.50×)."""
    assert C.cliff_bits("llama_7b", "rtn") == 3


def test_fits_context_mobile_v1_10_c():
    """v1-10 C: 3.6 GiB + 2·32·4096·2 B·2,048 = 4.939 GB > 4 GB on mobile; at 256 tokens it fits."""
    f = C.fits_context("llama_7b", "gptq_g128", 4, 2048, "mobile")
    assert f.total_bytes == pytest.approx(3.6 * 2**30 + 2 * 32 * 4096 * 2 * 2048)
    assert not f.fits
    assert C.fits_context("llama_7b", "gptq_g128", 4, 256, "mobile").fits


def test_best_feasible_per_context():
    """v1-10 D: cloud 65B g128 (3.65, 83.6 tok/s); edge 33B g128 (4.23); mobile at 256 tokens 7B g128 (5.85)."""
    cloud = C.best_feasible("cloud", 2048, 8, 0.05)[0]
    assert (cloud.model, cloud.method, cloud.perplexity) == ("llama_65b", "gptq_g128", 3.65)
    assert cloud.tokens_per_s == pytest.approx(83.6, abs=0.05)
    edge = C.best_feasible("edge", 2048, 8, 0.05)[0]
    assert (edge.model, edge.perplexity) == ("llama_33b", 4.23)
    assert not C.best_feasible("mobile", 2048, 8, 0.05)[0].feasible
    mob = C.best_feasible("mobile", 256, 8, 0.05)[0]
    assert (mob.model, mob.method, mob.perplexity) == ("llama_7b", "gptq_g128", 5.85)
