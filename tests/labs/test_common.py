"""labs.common: the declaration helpers shared by lab modules."""

from __future__ import annotations

from labs.common import failures_per, log_steps


def test_failures_per_binds_each_key():
    """Each state tests its own key (the late-binding trap would make every state read the last key)."""
    states = failures_per(
        ("cloud", "tiny"),
        id="oom_{key}",
        title=lambda k: f"{k.title()}: out of memory",
        when=lambda r, k: not r[f"fits_{k}"],
        message="message_{key}",
    )
    results = {"fits_cloud": False, "fits_tiny": True, "message_cloud": "cloud needs 90 GB", "message_tiny": "fits"}
    assert [s.id for s in states] == ["oom_cloud", "oom_tiny"]
    assert [s.title for s in states] == ["Cloud: out of memory", "Tiny: out of memory"]
    assert [s.holds(results) for s in states] == [True, False]
    assert [s.text(results) for s in states] == ["cloud needs 90 GB", "fits"]


def test_failures_per_accepts_any_iterable_once():
    """A generator is consumed once and still yields one state per key."""
    states = failures_per((k for k in "ab"), id="x_{key}", title=str, when=lambda r, k: r[k], message="{key}")
    assert [s.holds({"a": 1, "b": 0}) for s in states] == [True, False]


def test_log_steps_ladder():
    assert log_steps(1e6, 1e7) == (1e6, 2e6, 3e6, 5e6, 7e6, 1e7)
    assert log_steps(3, 30, mantissas=(1, 3)) == (3.0, 10.0, 30.0)


def test_failures_per_names_results_with_templates():
    """A string `when` is a template naming a flag ("not fits_{key}"), filled per key like id and message."""
    states = failures_per(("edge", "tiny"), id="oom_{key}", title=str.upper, when="not fits_{key}",
                          message="message_{key}")
    assert [(s.when, s.message) for s in states] == [("not fits_edge", "message_edge"), ("not fits_tiny", "message_tiny")]
    results = {"fits_edge": True, "fits_tiny": False, "message_edge": "ok", "message_tiny": "8 GB > 2 MB"}
    assert [s.holds(results) for s in states] == [False, True]
    assert states[1].text(results) == "8 GB > 2 MB"
