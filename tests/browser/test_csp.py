"""Content Security Policy: the site served with the strict header (and its own meta policy) runs every lab with
no violation reported; the policy is the documented one."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from labs.catalog import all_labs
from site_builder import csp
from tests.conftest import _QuietHandler, only_labs

pytestmark = pytest.mark.browser
LABS = [lab for lab in all_labs() if not only_labs() or lab.id in only_labs()]
ROOT = Path(__file__).resolve().parents[2]

RECORD = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


class _CSPHandler(_QuietHandler):
    def end_headers(self):
        self.send_header("Content-Security-Policy", csp.policy())
        super().end_headers()


@pytest.fixture(scope="module")
def csp_server(built_site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_CSPHandler, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("lab", LABS, ids=[lab.id for lab in LABS])
def test_lab_runs_under_strict_csp(browser, csp_server, lab):
    """Lock every part, let the engine start in its worker, move instruments: no CSP violation, engine ready."""
    ctx = browser.new_context()  # CSP enforced (no bypass)
    ctx.add_init_script(RECORD)
    page = ctx.new_page()
    page.goto(f"{csp_server}labs/{lab.id}/")
    for section in page.locator("section[data-part]").all():
        number = section.locator("input[type=number]")
        if number.count():
            number.fill("5")
        else:
            section.locator("input[type=radio]").first.check()
        section.get_by_role("button", name="Lock prediction").click()
    page.wait_for_selector("html[data-engine=ready], html[data-engine=failed]", state="attached", timeout=90_000)
    assert "ready" == page.get_attribute("html", "data-engine")
    section = page.locator("section[data-part]").first
    for control in section.locator("select[data-instrument]").all()[:2]:
        options = control.locator("option").all()
        control.select_option(index=len(options) - 1)
    page.wait_for_selector("section[data-part][data-updates]", state="attached", timeout=30_000)
    page.wait_for_selector("[data-chart][data-drawn]", state="attached")
    assert [] == page.evaluate("window.__violations")
    ctx.close()


def test_index_and_sources_under_strict_csp(browser, csp_server):
    """The index (ledger panel) and the sources page report no violation either."""
    ctx = browser.new_context()
    ctx.add_init_script(RECORD)
    page = ctx.new_page()
    for path in ("", "sources/"):
        page.goto(csp_server + path)
        page.wait_for_selector("[data-ledger-summary], table.sources", state="attached")
        assert [] == page.evaluate("window.__violations")
    ctx.close()


def test_policy_is_in_pages_headers_and_readme(built_site):
    """Every page carries the meta policy, dist/_headers the full one, and the README documents each directive."""
    meta = csp.policy(meta=True)
    for page in built_site.rglob("*.html"):
        assert f'<meta http-equiv="Content-Security-Policy" content="{meta}">' in page.read_text().replace("&#39;", "'")
    assert csp.policy() in (built_site / "_headers").read_text()
    readme = (ROOT / "README.md").read_text()
    for name, value, _ in csp.DIRECTIVES:
        assert f"{name} {value}" in readme, name
    assert "unsafe-eval'" not in csp.policy().replace("wasm-unsafe-eval'", "")
