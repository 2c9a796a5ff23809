"""Accessibility of the pages that are not labs (index, sources), and focused checks: spoken slider values, chart
text alternatives, shareable settings links. Each lab page gets axe (light and dark, before and after locking), a
keyboard-only lock and the 390 px check in tests/browser/test_labs.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["", "sources/"]


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => JSON.stringify((await axe.run(document)).violations)")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [n["target"] for n in v["nodes"]][:5]} for v in json.loads(result)]


def lock_all(page):
    for section in page.locator("section[data-part]").all():
        number = section.locator("input[type=number]")
        if number.count():
            number.fill("5")
        else:
            section.locator("input[type=radio]").first.check()
        section.get_by_role("button", name="Lock prediction").click()
        section.locator("[data-reveal]").wait_for()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES, ids=[p or "index" for p in PAGES])
def test_axe_has_no_violations(browser, site_server, path, scheme):
    """axe-core reports no violations, before and (on lab pages) after every part is locked and revealed."""
    ctx = browser.new_context(bypass_csp=True, service_workers="block", color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.goto(site_server + path)
    assert [] == run_axe(page)
    if path.startswith("labs/"):
        lock_all(page)
        page.wait_for_function("document.documentElement.dataset.engine === 'ready'", timeout=90_000)
        page.wait_for_function("[...document.querySelectorAll('[data-reveal-line]')].every(e => e.textContent.includes('Actual:'))",
                               timeout=60_000)
        assert [] == run_axe(page)
    ctx.close()


@pytest.mark.parametrize("path", PAGES, ids=[p or "index" for p in PAGES])
def test_no_horizontal_scroll_at_390px(browser, site_server, path):
    """At a phone's 390 px width no page scrolls sideways, before or after locking."""
    ctx = browser.new_context(bypass_csp=True, service_workers="block", viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    page.goto(site_server + path)
    if path.startswith("labs/"):
        lock_all(page)
        page.wait_for_function("document.documentElement.dataset.engine === 'ready'", timeout=90_000)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{path} is {width}px wide at a 390px viewport"
    ctx.close()


def test_slider_announces_value_and_unit(page, site_server):
    """A log slider's aria-valuetext speaks the value with its unit, and follows the slider."""
    page.goto(f"{site_server}labs/v1-00/")
    slider = page.locator("section[data-part='A'] [data-instrument='params']")
    assert "1 × 10⁹ parameters" == slider.get_attribute("aria-valuetext")
    page.locator("section[data-part='A'] input[type=number]").fill("5")
    page.get_by_role("button", name="Lock prediction").click()
    slider.focus()
    page.keyboard.press("ArrowRight")
    assert "2 × 10⁹ parameters" == slider.get_attribute("aria-valuetext")


def test_chart_has_text_alternative(page, site_server):
    """Each chart has a generated summary and a data table with the plotted numbers."""
    page.goto(f"{site_server}labs/v1-00/")
    page.locator("section[data-part='A'] input[type=number]").fill("5")
    page.get_by_role("button", name="Lock prediction").click()
    summary = page.locator("[data-chart-summary='pass_by_context']")
    page.wait_for_function("el => el.textContent.includes('Mobile: 39.1')", arg=summary.element_handle())
    assert "Tiny: 1,040 (does not fit)" in summary.inner_text()
    page.locator("details.chart-table summary").first.click()
    cells = page.locator("[data-chart-table='pass_by_context'] td").all_text_contents()
    assert ["0.597", "9.77", "39.1", "1,040 (does not fit)"] == cells


def test_shared_link_keeps_the_lock_and_hides_the_answer(browser, site_server):
    """A shared settings link carries instrument values only; it applies after the lock, never before."""
    ctx = browser.new_context(bypass_csp=True, service_workers="block")
    page = ctx.new_page()
    page.goto(f"{site_server}labs/v1-00/#A&params=3000000000&precision=16&context=edge")
    sec = page.locator("section[data-part='A']")
    assert sec.locator("[data-instrument='params']").is_disabled()
    assert sec.locator("[data-results]").is_hidden()
    assert "apply once you lock" in sec.locator("[data-share-note]").inner_text()
    sec.locator("input[type=number]").fill("5")
    sec.get_by_role("button", name="Lock prediction").click()
    page.wait_for_function("document.documentElement.dataset.engine === 'ready'", timeout=90_000)
    assert "edge" == sec.locator("[data-instrument='context']").input_value()
    page.wait_for_function("document.querySelector(\"[data-output='weight_bytes']\").textContent === '6.00 GB'")
    # the reveal is still at the scenario's settings, not the shared ones
    page.wait_for_function("document.querySelector('[data-reveal-line]').textContent.includes('Actual: 39.06 ms')")
    ctx.grant_permissions(["clipboard-read", "clipboard-write"])
    sec.get_by_role("button", name="Copy a link to these settings").click()
    link = page.evaluate("navigator.clipboard.readText()")
    fragment = link.split("#", 1)[1]
    assert "A&params=3000000000&precision=16&context=edge" == fragment  # instrument values only
    assert "39" not in fragment and "prediction" not in fragment
    ctx.close()
