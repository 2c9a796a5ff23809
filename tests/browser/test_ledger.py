"""The Design Ledger in the browser: a corrupt document is kept aside and reported, tabs stay in step, imports are
validated and rendered as text, and export -> import round-trips exactly through the index page."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser
KEY = "mlsys-labs.ledger"


def test_corrupt_ledger_is_kept_aside_and_reported(page, site_server):
    """A stored document that is not JSON is backed up, a banner says so, and the lab still saves new work."""
    page.goto(site_server)
    page.evaluate(f"localStorage.setItem('{KEY}', '{{\"schema\": 1, \"labs\": [oops')")
    page.goto(f"{site_server}labs/v1-00/")
    banner = page.locator("[data-ledger-banner]")
    assert banner.is_visible() and "could not be read" in banner.inner_text()
    backups = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('mlsys-labs.ledger.backup.'))")
    assert 1 == len(backups)
    assert page.evaluate(f"localStorage.getItem('{backups[0]}')").endswith("[oops")
    section = page.locator("section[data-part='A']")
    section.locator("input[type=number]").fill("5")
    section.get_by_role("button", name="Lock prediction").click()
    doc = json.loads(page.evaluate(f"localStorage.getItem('{KEY}')"))
    assert 5 == doc["labs"]["v1-00"]["predictions"]["A"]["value"]
    assert page.evaluate(f"localStorage.getItem('{backups[0]}')").endswith("[oops"), "the backup must survive the write"


def test_tabs_stay_in_step(context, site_server):
    """Two tabs writing different labs lose nothing, and the index in a third tab updates without a reload."""
    index = context.new_page()
    index.goto(site_server)
    tab1 = context.new_page()
    tab1.goto(f"{site_server}labs/v1-00/")
    tab2 = context.new_page()
    tab2.goto(f"{site_server}labs/v1-01/")
    tab1.locator("[data-decision] input[value='mobile']").check()
    s = tab2.locator("section[data-part='A']")
    s.locator("input[type=number]").fill("1000")
    s.get_by_role("button", name="Lock prediction").click()
    doc = json.loads(index.evaluate(f"localStorage.getItem('{KEY}')"))
    assert "mobile" == doc["labs"]["v1-00"]["values"]["home_context"]["value"]
    assert 1000 == doc["labs"]["v1-01"]["predictions"]["A"]["value"]
    index.wait_for_function("document.querySelector('[data-lab-progress=\"v1-01\"]').textContent.startsWith('in progress')")
    # tab2 learns of tab1's home context through the storage event: its preset note changes without a reload
    tab2.wait_for_function("document.querySelector('[data-preset-note]').textContent.includes('mobile (from your ledger)')")


def test_hostile_import_is_rendered_as_text(page, site_server, tmp_path):
    """An imported ledger whose strings hold HTML is accepted as data and never executed or parsed as markup."""
    doc = {"schema": 1, "app": "mlsys-labs", "created": "2026-11-27T00:00:00.000Z", "updated": "2026-11-27T00:00:00.000Z",
           "labs": {"v1-00": {"predictions": {}, "completed": False, "updated": "t",
                              "values": {"home_context": {"value": "<img src=x onerror=\"window.__pwned=1\">",
                                                          "unit": "none", "kind": "decision", "time": "t"}}}}}
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(doc))
    page.on("dialog", lambda d: d.accept())
    page.goto(site_server)
    page.locator("[data-ledger-import]").set_input_files(str(path))
    page.wait_for_function("document.querySelector('[data-ledger-message]').textContent.startsWith('Imported')")
    page.goto(f"{site_server}labs/v1-00/")
    assert "<img" in page.locator("[data-decision-status]").inner_text()  # shown as text
    assert page.evaluate("window.__pwned") is None
    assert 0 == page.locator("img[src=x]").count()


def test_malformed_import_is_refused_with_a_reason(page, site_server, tmp_path):
    """A file that is not a ledger, or carries a prototype-pollution key, is refused and the ledger is untouched."""
    page.on("dialog", lambda d: d.accept())
    page.goto(f"{site_server}labs/v1-00/")
    page.locator("[data-decision] input[value='edge']").check()
    before = page.evaluate(f"localStorage.getItem('{KEY}')")
    page.goto(site_server)
    for name, text, reason in [("a.json", "not json", "not valid JSON"),
                               ("b.json", '{"__proto__": {"x": 1}}', 'forbidden key "__proto__"'),
                               ("c.json", '{"app": "something else"}', "not a Design Ledger")]:
        (tmp_path / name).write_text(text)
        page.locator("[data-ledger-import]").set_input_files(str(tmp_path / name))
        page.wait_for_function("document.querySelector('[data-ledger-message]').textContent.startsWith('Not imported')")
        assert reason in page.locator("[data-ledger-message]").inner_text()
    assert before == page.evaluate(f"localStorage.getItem('{KEY}')")


def test_export_then_import_round_trips(page, site_server, tmp_path):
    """The exported file, imported again, restores exactly the same ledger."""
    page.on("dialog", lambda d: d.accept())
    page.goto(f"{site_server}labs/v1-00/")
    page.locator("[data-decision] input[value='tiny']").check()
    page.goto(site_server)
    with page.expect_download() as info:
        page.get_by_role("button", name="Export ledger (JSON)").click()
    exported = tmp_path / "export.json"
    info.value.save_as(exported)
    original = page.evaluate(f"localStorage.getItem('{KEY}')")
    assert json.loads(original) == json.loads(exported.read_text())
    page.get_by_role("button", name="Reset ledger…").click()
    assert page.evaluate(f"localStorage.getItem('{KEY}')") is None
    page.locator("[data-ledger-import]").set_input_files(str(exported))
    page.wait_for_function("document.querySelector('[data-ledger-message]').textContent.startsWith('Imported')")
    assert json.loads(original) == json.loads(page.evaluate(f"localStorage.getItem('{KEY}')"))
