"""engine.workflow additions for v1-03: invalidation profiles, stage artefacts, calendar time."""

import math

import pytest

from engine import workflow as W
from engine.errors import EngineInputError


def test_hardware_envelope_profile_keeps_data():
    """A hardware-envelope constraint invalidates every stage but the data: f = [1, 0, 1, 1, 1, 1]."""
    assert W.invalidation_profile("hardware_envelope") == (1.0, 0.0, 1.0, 1.0, 1.0, 1.0)


def test_data_rights_profile_invalidates_all():
    """A data-rights constraint invalidates everything: f = [1, 1, 1, 1, 1, 1]."""
    assert W.invalidation_profile("data_rights") == (1.0,) * 6


def test_profile_gives_15x_at_stage_5():
    """With the data reusable, R(5) = 5 + 0 + 10 + 20 + 40 = 75 → 75 / 5 = 15×."""
    r = W.rework_cost(5, (5, 5, 10, 20, 40, 80), W.invalidation_profile("hardware_envelope"))
    assert r.total_person_days == 5 + 0 + 10 + 20 + 40
    assert r.multiplier == 75 / 5


def test_profile_rejects_unknown_type():
    """An unknown constraint type names the choices."""
    with pytest.raises(EngineInputError, match="`constraint_type` must be one of 'hardware_envelope', 'data_rights'"):
        W.invalidation_profile("weather")


def test_profile_rejects_one_stage():
    """A profile needs the data stage, so at least two stages."""
    with pytest.raises(EngineInputError, match="`stages` must be at least 2"):
        W.invalidation_profile("data_rights", 1)


def test_stage_artefacts_one_per_stage():
    """Each of the six stages has one artefact a late constraint can invalidate."""
    assert len(W.STAGE_ARTEFACTS) == len(W.STAGES) == 6
    assert W.STAGE_ARTEFACTS[2] == "trained checkpoints"


def test_calendar_working_days():
    """80 person-days with 2.5 people = 32 working days."""
    assert W.calendar_working_days(80, 2.5) == 80 / 2.5


def test_calendar_weeks():
    """80 person-days with 2.5 people = 32 working days = 6.4 five-day weeks."""
    assert math.isclose(W.calendar_weeks(80, 2.5), 80 / 2.5 / 5, rel_tol=1e-12)


def test_calendar_rejects_zero_team():
    """A team of zero people raises the one error form."""
    with pytest.raises(EngineInputError, match="`team_size` must be a positive number"):
        W.calendar_working_days(80, 0)
