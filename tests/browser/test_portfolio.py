"""The Volume I portfolio page: replays the student's ledger in the worker and offers print, Markdown and JSON."""

from __future__ import annotations

import json

import pytest

from labs.catalog import all_labs
from tests.conftest import only_labs

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(bool(only_labs()) and "v1-16" not in only_labs(), reason="LABS_ONLY excludes v1-16")]


def test_portfolio_from_real_lab_work(page, site_server, tmp_path):
    """Lock v1-00's prediction and pick a home, then open the portfolio: guardrails, binding constraint,
    calibration, the missing labs, and the three outputs (print to PDF, Markdown, JSON)."""
    page.goto(f"{site_server}labs/v1-00/")
    section = page.locator("section[data-part='A']")
    section.locator("input[type=number]").fill("5")
    section.get_by_role("button", name="Lock prediction").click()
    page.wait_for_function("document.querySelector('[data-reveal-line]').textContent.includes('Actual:')", timeout=90_000)
    page.locator("[data-decision] input[value='edge']").check()

    page.goto(f"{site_server}portfolio/")
    page.wait_for_function("document.documentElement.dataset.portfolio === 'ready'", timeout=90_000)
    guardrail_rows = page.locator("[data-pf-guardrails] tbody tr")
    assert 13 == guardrail_rows.count()
    assert page.locator("[data-pf-binding] .binding").inner_text()
    assert "v1-01" in page.locator("[data-pf-gaps]").inner_text()  # not started yet
    v100 = page.locator(".pf-lab").filter(has_text="v1-00")
    assert "5.00 ms" in v100.inner_text() and "39.06 ms" in v100.inner_text()  # replayed prediction and actual
    assert "7.8" in v100.inner_text()  # off by 39.0625 / 5 = 7.8×

    with page.expect_download() as md:
        page.get_by_role("button", name="Download Markdown").click()
    markdown = open(md.value.path(), encoding="utf-8").read()
    assert markdown.startswith("#") and "v1-00" in markdown and "G13" in markdown
    with page.expect_download() as js:
        page.get_by_role("button", name="Download JSON").click()
    data = json.loads(open(js.value.path(), encoding="utf-8").read())
    assert 13 == len(data["guardrails"]) and "markdown" not in data
    assert [lab.id for lab in all_labs() if lab.volume == 1] == [lab["id"] for lab in data["labs"]]

    page.emulate_media(media="print")
    assert page.locator("[data-portfolio-print]").is_hidden()  # the print stylesheet hides the controls
    pdf = page.pdf(path=str(tmp_path / "portfolio.pdf"))
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
