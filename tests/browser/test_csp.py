"""Content Security Policy: the index and sources pages report no violation under the strict header, and the policy
is the documented one. Every lab page runs under the header in tests/browser/test_labs.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder import csp

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]

RECORD = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture
def csp_server(site_server):
    return site_server  # the shared server already sends the CSP header


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
