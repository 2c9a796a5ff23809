"""Shared fixtures: a freshly built site in a temporary folder, served over loopback HTTP."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from site_builder.build import BuildOptions, build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The whole site built once per test session (validation, wheel, assets, pages, final link/hash check)."""
    out = tmp_path_factory.mktemp("site") / "dist"
    # The platform tests (start-up failures, ledger, offline, CSP) drive v1-00 and v1-01, so a LABS_ONLY build
    # keeps them; the per-lab tests still run only the labs named.
    build(BuildOptions(out=out, labs=tuple(sorted(set(only_labs()) | set(PLATFORM_LABS))) if only_labs() else ()))
    return out


PLATFORM_LABS = ("v1-00", "v1-01")


def only_labs() -> tuple[str, ...]:
    """LABS_ONLY="v1-02 v1-03" limits the built site and the browser tests to those labs (a contributor's loop)."""
    return tuple(os.environ.get("LABS_ONLY", "").split())


ROOT = Path(__file__).resolve().parent.parent
AXE_PATH = "/__test__/axe.min.js"  # axe-core from node_modules, served same-origin so it runs under the site's CSP


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript"}

    def log_message(self, *args):  # keep test output readable
        pass

    def translate_path(self, path):
        if path.split("?", 1)[0] == AXE_PATH:
            return str(ROOT / "node_modules" / "axe-core" / "axe.min.js")
        return super().translate_path(path)


class _CSPHandler(_QuietHandler):
    """Serves with the site's full Content-Security-Policy header, as a careful host would."""

    def end_headers(self):
        from site_builder import csp

        self.send_header("Content-Security-Policy", csp.policy())
        super().end_headers()


@pytest.fixture(scope="session")
def site_server(built_site):
    """Serve the built site on 127.0.0.1 (a free port) with the CSP header; yields the base URL ending in '/'."""
    handler = functools.partial(_CSPHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("No Chromium found: run `make test` (it installs Debian's chromium) or set CHROMIUM=/path/to/chromium")
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium through Playwright; Playwright never downloads a browser here."""
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Most browser tests use Playwright's wait_for_function, which evaluates strings: they run with the page's CSP
    bypassed. tests/browser/test_csp.py makes its own contexts with the policy enforced."""
    return {**browser_context_args, "bypass_csp": True, "service_workers": "block"}
