"""Every lab in headless Chromium, in one session per lab, served with the site's strict CSP header (no bypass):
layout at 390 px, axe-core in light and dark mode before and after locking, Part A locked with the keyboard alone,
every reveal from the engine, charts drawn, an instrument moved by keyboard changes an output, and a reload keeps
every lock. Throughout: no CSP violation, no request to another origin, no console error.
New labs are covered without editing this file. Focused behaviours (failure states, the ledger across labs,
start-up failures) have their own tests below."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from labs.catalog import all_labs
from labs.schema import NumericPrediction
from tests.conftest import AXE_PATH, only_labs

pytestmark = pytest.mark.browser
LABS = [lab for lab in all_labs() if not only_labs() or lab.id in only_labs()]
ENGINE_MS = 90_000

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def prediction_value(part) -> str:
    pred = part.prediction
    return f"{min(pred.max, pred.min * 10):g}"


def axe_violations(page, site_server) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=site_server.rstrip("/") + AXE_PATH)
    found = page.evaluate("""async () => (await axe.run(document)).violations.map(v =>
        ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 4).map(n => n.target.join(' '))}))""")
    return found


def axe_both_schemes(page, site_server) -> list[dict]:
    out = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        out += [{**v, "scheme": scheme} for v in axe_violations(page, site_server)]
    page.emulate_media(color_scheme="light")
    return out


def no_sideways_scroll(page) -> int:
    """The page's scroll width at a 390 px viewport (charts get up to 3 s to follow the resize, as on a phone)."""
    page.set_viewport_size({"width": 390, "height": 844})
    for _ in range(30):
        width = page.evaluate("document.documentElement.scrollWidth")
        if width <= 390:
            break
        page.wait_for_timeout(100)
    page.set_viewport_size({"width": 1280, "height": 900})
    return width


def tab_to(page, selector: str, limit: int = 150) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def wait_attr_above(page, selector: str, attr: str, value: int, timeout_ms: int = 20_000) -> bool:
    for _ in range(timeout_ms // 100):
        current = page.get_attribute(selector, attr)
        if current is not None and int(current) > value:
            return True
        page.wait_for_timeout(100)
    return False


@pytest.mark.parametrize("lab", LABS, ids=[lab.id for lab in LABS])
def test_lab_in_the_browser(browser, site_server, lab):
    """One student session on the lab page (see the module docstring for everything it checks)."""
    ctx = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
    ctx.add_init_script(RECORD_VIOLATIONS)
    page = ctx.new_page()
    offsite, errors = [], []
    origin = site_server.rstrip("/")
    page.on("request", lambda r: offsite.append(r.url) if not r.url.startswith((origin, "data:", "blob:")) else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    ctx.route(re.compile(r"^(?!" + re.escape(origin) + r"|data:|blob:).*"), lambda route: route.abort())

    page.goto(f"{site_server}labs/{lab.id}/")
    expect(page.locator("h1")).to_have_text(lab.title)  # pre-rendered: no engine needed
    assert no_sideways_scroll(page) <= 390, "the page scrolls sideways at 390 px before locking"
    assert [] == axe_both_schemes(page, site_server)

    for i, part in enumerate(lab.parts):
        sec = f"section[data-part='{part.id}']"
        section = page.locator(sec)
        first = section.locator("[data-instrument]").first
        expect(first).to_be_disabled()
        expect(section.locator("[data-results]")).to_be_hidden()
        numeric = isinstance(part.prediction, NumericPrediction)
        if i == 0:  # keyboard only
            if numeric:
                tab_to(page, f"{sec} input[type=number]")
                page.keyboard.type(prediction_value(part))
                page.keyboard.press("Enter")
            else:
                tab_to(page, f"{sec} input[type=radio]")
                page.keyboard.press("Space")
                tab_to(page, f"{sec} button[type=submit]")
                page.keyboard.press("Enter")
        else:
            if numeric:
                section.locator("input[type=number]").fill(prediction_value(part))
            else:
                section.locator("input[type=radio]").first.check()
            section.get_by_role("button", name="Lock prediction").click()
        expect(first).to_be_enabled()
        line = section.locator("[data-reveal-line]")
        expect(line).to_contain_text("Actual:", timeout=ENGINE_MS)
        expect(line).to_contain_text("You predicted")
        if numeric:
            expect(line).to_contain_text("Off by")
        for chart in section.locator("[data-chart]").all():
            expect(chart).to_have_attribute("data-drawn", re.compile(r"^\d+$"))
    expect(page.locator("[data-announcer]")).not_to_be_empty()
    page.wait_for_selector("html[data-engine=ready]", state="attached", timeout=ENGINE_MS)

    assert [] == axe_both_schemes(page, site_server), "axe after locking"
    assert no_sideways_scroll(page) <= 390, "the page scrolls sideways at 390 px after locking"

    # keyboard: move Part A's instruments until an output changes; every focused control shows a focus ring
    sec = f"section[data-part='{lab.parts[0].id}']"
    before = page.locator(f"{sec} [data-output]").all_text_contents()
    changed = False
    page.locator(f"{sec} [data-prediction] button").focus()
    for _ in range(page.locator(f"{sec} [data-instrument]").count()):
        tab_to(page, f"{sec} [data-instrument]")
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") not in ("none", "")
        updates = int(page.get_attribute(sec, "data-updates") or 0)
        page.keyboard.press("Home" if page.evaluate("document.activeElement.type") == "range" else "ArrowDown")
        if wait_attr_above(page, sec, "data-updates", updates, 10_000) and \
                page.locator(f"{sec} [data-output]").all_text_contents() != before:
            changed = True
            break
    assert changed, "no instrument changed an output by keyboard"

    reveals = [page.locator(f"section[data-part='{p.id}'] [data-reveal-line]").inner_text() for p in lab.parts]
    page.reload()
    for p, text in zip(lab.parts, reveals):
        s = page.locator(f"section[data-part='{p.id}']")
        expect(s).to_have_attribute("data-locked", "true")
        expect(s.locator("[data-instrument]").first).to_be_enabled()
        expect(s.locator("[data-prediction] button[type=submit]")).to_be_disabled()
        expect(s.locator("[data-reveal-line]")).to_have_text(text)
    page.wait_for_selector("html[data-engine=ready]", state="attached", timeout=ENGINE_MS)

    assert [] == page.evaluate("window.__violations"), "CSP violations"
    assert [] == offsite, "requests left the origin"
    assert [] == errors, "console errors"
    ctx.close()


def _predict(section, part):
    pred = part.prediction
    if isinstance(pred, NumericPrediction):
        section.locator("[data-prediction] input[type=number]").fill(prediction_value(part))
    else:
        section.locator("[data-prediction] input[type=radio]").first.check()
    section.get_by_role("button", name="Lock prediction").click()


def test_failure_state_appears_and_clears(watched, site_server):
    """v1-00: choosing the microcontroller shows the out-of-memory alert; choosing the phone clears it."""
    page = watched.page
    page.goto(f"{site_server}labs/v1-00/")
    section = page.locator("section[data-part='A']")
    _predict(section, next(l for l in all_labs() if l.id == "v1-00").parts[0])
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


def test_wrong_wasm_mime_type_is_named(page, site_server, built_site):
    """A host that serves .wasm as text/plain gets a sentence naming the fix, well before the 30 s deadline."""
    wasm = (built_site / "vendor" / "pyodide" / "pyodide.asm.wasm").read_bytes()
    page.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=200, body=wasm, content_type="text/plain"))
    page.goto(f"{site_server}labs/v1-00/")
    page.wait_for_function("document.documentElement.dataset.engine === 'failed'", timeout=15_000)
    text = page.locator("[data-engine-text]").inner_text()
    assert '"text/plain" instead of "application/wasm"' in text


def test_silent_worker_hits_the_deadline(page, site_server):
    """A worker that never answers ends, at the start-up deadline, in a message rather than a page that waits forever."""
    def shorter_deadline(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace('"start_timeout_ms":30000', '"start_timeout_ms":3000'))

    page.route("**/labs/v1-00/", shorter_deadline)
    page.route("**/static/js/worker.js*", lambda route: route.fulfill(
        status=200, content_type="text/javascript", body="self.onmessage = () => {}; // never answers"))
    page.goto(f"{site_server}labs/v1-00/")
    page.wait_for_function("document.documentElement.dataset.engine === 'failed'", timeout=15_000)
    text = page.locator("[data-engine-text]").inner_text()
    assert "did not start within 3 s" in text and "Reload the page" in text
    # the pre-rendered page is still there: the scenario and the locked-out prediction form
    assert page.locator("section[data-part='A'] blockquote").inner_text()
