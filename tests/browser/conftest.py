"""Browser-test helpers: a page that records requests to other origins and console errors."""

from __future__ import annotations

import pytest

ENGINE_TIMEOUT_MS = 90_000


class Watched:
    def __init__(self, page, origin):
        self.page = page
        self.origin = origin.rstrip("/")
        self.offsite: list[str] = []
        self.errors: list[str] = []
        page.on("request", self._request)
        page.on("console", lambda msg: self.errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.context.route("**/*", self._route)

    def _request(self, request):
        if not request.url.startswith((self.origin, "data:", "blob:")):
            self.offsite.append(request.url)

    def _route(self, route):
        # the network is cut: anything not from our origin is aborted (and recorded above)
        if route.request.url.startswith((self.origin, "data:", "blob:")):
            route.continue_()
        else:
            route.abort()

    def wait_engine(self, state="ready"):
        self.page.wait_for_function(f"document.documentElement.dataset.engine === '{state}'", timeout=ENGINE_TIMEOUT_MS)

    def assert_clean(self):
        assert [] == self.offsite, "requests left the origin"
        assert [] == self.errors, "console errors"


@pytest.fixture
def watched(page, site_server):
    page.set_default_timeout(30_000)
    return Watched(page, site_server)
