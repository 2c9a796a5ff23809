"""Every lab in headless Chromium: lock -> unlock -> reveal -> an instrument changes an output -> reload keeps the
lock; no request leaves the origin; no console error. New labs are covered without editing this file."""

from __future__ import annotations

import pytest

from labs.catalog import all_labs
from labs.schema import NumericPrediction

from tests.conftest import only_labs

pytestmark = pytest.mark.browser
LABS = [lab for lab in all_labs() if not only_labs() or lab.id in only_labs()]


def _predict(section, part):
    pred = part.prediction
    if isinstance(pred, NumericPrediction):
        section.locator("[data-prediction] input[type=number]").fill(str(pred.min * 10 if pred.min * 10 <= pred.max else pred.min))
    else:
        section.locator("[data-prediction] input[type=radio]").first.check()
    section.get_by_role("button", name="Lock prediction").click()


def _outputs(section):
    return section.locator("[data-output]").all_text_contents()


@pytest.mark.parametrize("lab", LABS, ids=[lab.id for lab in LABS])
def test_lab_walkthrough(watched, site_server, lab):
    """Lock every part, see the engine's reveal, move an instrument, reload: the lock and reveal persist."""
    page = watched.page
    page.goto(f"{site_server}labs/{lab.id}/")
    assert page.locator("h1").inner_text() == lab.title  # text is pre-rendered, before any engine
    for part in lab.parts:
        section = page.locator(f"section[data-part='{part.id}']")
        first = section.locator("[data-instrument]").first
        assert first.is_disabled(), "instruments must be locked before a prediction"
        assert section.locator("[data-results]").is_hidden()
        _predict(section, part)
        assert first.is_enabled()
        reveal = section.locator("[data-reveal-line]")
        page.wait_for_function(
            "el => el.textContent.includes('Actual:')", arg=reveal.element_handle(), timeout=90_000
        )
        text = reveal.inner_text()
        assert text.startswith("You predicted")
        if isinstance(part.prediction, NumericPrediction):
            assert "Off by" in text
        # the chart from the pre-computed defaults (or the engine) is drawn
        if part.charts:
            page.wait_for_function(
                "el => Number(el.dataset.drawn || 0) >= 1",
                arg=section.locator("[data-chart]").first.element_handle(),
            )

    watched.wait_engine()
    # an instrument move changes a computed output (engine in the worker)
    part = lab.parts[0]
    section = page.locator(f"section[data-part='{part.id}']")
    before = _outputs(section)
    updates = int(section.get_attribute("data-updates") or 0)
    moved = False
    for control in section.locator("[data-instrument]").all():
        tag = control.evaluate("el => el.tagName + ':' + (el.type || '')")
        if tag == "INPUT:range":
            control.focus()
            page.keyboard.press("Home")
        elif tag.startswith("SELECT"):
            values = control.locator("option").evaluate_all("os => os.map(o => o.value)")
            current = control.input_value()
            control.select_option(next(v for v in values if v != current))
        else:
            control.click()
        page.wait_for_function(
            f"el => Number(el.dataset.updates || 0) > {updates}", arg=section.element_handle(), timeout=30_000
        )
        updates = int(section.get_attribute("data-updates") or 0)
        if _outputs(section) != before:
            moved = True
            break
    assert moved, "no instrument changed any output"

    page.reload()
    for p in lab.parts:
        s = page.locator(f"section[data-part='{p.id}']")
        assert s.get_attribute("data-locked") == "true"
        assert s.locator("[data-instrument]").first.is_enabled()
        assert s.locator("[data-prediction] button[type=submit]").is_disabled()
        assert s.locator("[data-reveal-line]").inner_text().startswith("You predicted")
    watched.wait_engine()
    watched.assert_clean()


def test_failure_state_appears_and_clears(watched, site_server):
    """v1-00: choosing the microcontroller shows the out-of-memory alert; choosing the phone clears it."""
    page = watched.page
    page.goto(f"{site_server}labs/v1-00/")
    section = page.locator("section[data-part='A']")
    _predict(section, all_labs()[0].parts[0])
    watched.wait_engine()
    section.locator("[data-instrument='context']").select_option("tiny")
    alert = section.get_by_role("alert").filter(has_text="Does not fit")
    alert.wait_for()
    assert "954× over" in alert.inner_text()
    section.locator("[data-instrument='context']").select_option("mobile")
    alert.wait_for(state="detached")
    assert "39.06 ms" in section.locator("[data-output='pass_time']").inner_text()
    watched.assert_clean()


def test_invalid_prediction_is_refused(watched, site_server):
    """A prediction outside the allowed range is refused with a message, and nothing unlocks."""
    page = watched.page
    page.goto(f"{site_server}labs/v1-00/")
    section = page.locator("section[data-part='A']")
    section.locator("input[type=number]").fill("-5")
    section.get_by_role("button", name="Lock prediction").click()
    assert "Enter a number between" in section.locator("[data-prediction-error]").inner_text()
    assert section.locator("[data-instrument]").first.is_disabled()


def test_home_context_decision_persists(watched, site_server):
    """The home-context card writes the ledger; after a reload it is still selected."""
    page = watched.page
    page.goto(f"{site_server}labs/v1-00/")
    page.locator("[data-decision] input[value='edge']").check()
    assert "edge" in page.locator("[data-decision-status]").inner_text()
    page.reload()
    assert page.locator("[data-decision] input[value='edge']").is_checked()
    stored = page.evaluate("JSON.parse(localStorage.getItem('mlsys-labs.ledger')).labs['v1-00'].values.home_context.value")
    assert "edge" == stored


def test_engine_start_failure_shows_a_message(page, site_server):
    """A missing wheel ends in data-engine=failed and a sentence on the page, not a blank page."""
    page.route("**/wheels/*.whl", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(f"{site_server}labs/v1-00/")
    page.wait_for_function("document.documentElement.dataset.engine === 'failed'", timeout=60_000)
    text = page.locator("[data-engine-text]").inner_text()
    assert "could not start" in text and "HTTP 404" in text


def test_wheel_hash_mismatch_is_refused(page, site_server):
    """A wheel whose sha256 differs from the one recorded at build time is refused."""
    page.route("**/wheels/*.whl", lambda route: route.fulfill(status=200, body=b"PK\x03\x04 not our wheel"))
    page.goto(f"{site_server}labs/v1-00/")
    page.wait_for_function("document.documentElement.dataset.engine === 'failed'", timeout=60_000)
    assert "integrity check" in page.locator("[data-engine-text]").inner_text()


def test_v1_01_reads_the_home_context(watched, site_server):
    """v1-01 labels the preset while v1-00 is not done; after choosing edge in v1-00 it opens in edge."""
    page = watched.page
    page.goto(f"{site_server}labs/v1-01/")
    note = page.locator("[data-preset-note]")
    assert "preset in use" in note.inner_text() and "cloud" in note.inner_text()
    assert "cloud" == page.locator("section[data-part='A'] [data-instrument='context_a']").input_value()
    page.goto(f"{site_server}labs/v1-00/")
    page.locator("[data-decision] input[value='edge']").check()
    page.goto(f"{site_server}labs/v1-01/")
    assert "edge (from your ledger)" in note.inner_text()
    assert "edge" == page.locator("section[data-part='A'] [data-instrument='context_a']").input_value()
    # Part B opens on the edge budget (20 W) and, once locked, shows the power wall of the pre-computed edge defaults
    section = page.locator("section[data-part='B']")
    section.locator("[data-prediction] input[type=radio]").first.check()
    section.get_by_role("button", name="Lock prediction").click()
    assert "20.0 W" in section.get_by_role("alert").first.inner_text()
    watched.wait_engine()
    watched.assert_clean()
