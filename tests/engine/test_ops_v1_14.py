"""Engine additions for v1-14: labelled-slide counts under label delay and audits, and the whole-slide service
time constant. Expected values are worked by hand from the spec's timeline."""

from __future__ import annotations

import math

import pytest

from engine.errors import EngineInputError
from engine.ops import labelled_count, mixture_drift
from engine.registry.infrastructure import CONSTANTS, get_constant

V0 = 2400.0
SHARE = [0.0, 0.03275, 0.0655, 0.09825, 0.131, 0.131, 0.131, 0.131, 0.131, 0.131, 0.131, 0.131]
VOLUME = [V0 / (1 - s) for s in SHARE]
NEW = [v * s for v, s in zip(VOLUME, SHARE)]


def test_no_labels_before_the_delay():
    """Day 4 with a 5-day delay: nothing served since Monday is labelled yet."""
    assert labelled_count(mixture_drift(28), 4, 5, 0.10) == 0.0


def test_aggregate_labels_day_11():
    """Day 11, L = 5: 10 % of the slides served on days 0–6 = 0.1 × Σ V_k ≈ 1,840."""
    n = labelled_count(mixture_drift(28), 11, 5, 0.10)
    assert math.isclose(n, 0.1 * sum(VOLUME[:7]), rel_tol=1e-9)
    assert round(n) == 1840


def test_new_site_labels_day_7():
    """Day 7, L = 5: 10 % of the new site's slides from days 0–2 = 0.1 × (0 + 81.3 + 168.2) ≈ 25."""
    n = labelled_count(mixture_drift(28), 7, 5, 0.10, new_source_only=True)
    assert math.isclose(n, 0.1 * sum(NEW[:3]), rel_tol=1e-9)
    assert round(n) == 25


def test_zero_delay_counts_today():
    """L = 0 on day 0: today's 2,400 slides at 1 % give 24 labels."""
    assert math.isclose(labelled_count(mixture_drift(28), 0, 0, 0.01), 24.0, rel_tol=1e-12)


def test_rejects_audit_fraction_above_one():
    """The audit fraction is a fraction."""
    with pytest.raises(EngineInputError, match="`audit_fraction` must be a fraction"):
        labelled_count(mixture_drift(28), 10, 0, 1.5)


def test_slide_service_time_constant():
    """The whole-slide service time is an assumed 12 s, cited with a note."""
    assert get_constant("serving.service_time_slide") == 12.0
    (cited,) = CONSTANTS["serving.service_time_slide"].citations.values()
    assert cited.kind.value == "assumed" and cited.note
