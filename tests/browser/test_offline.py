"""Offline and updates: a visited lab reloads and works with the server stopped; a new build replaces the cache
cleanly (the page stays on one build until the student accepts the update)."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import shutil
import threading

import pytest

from labs.catalog import all_labs
from site_builder import build as B
from tests.conftest import _QuietHandler

pytestmark = pytest.mark.browser


class Server:
    """A loopback server for a folder that a test can stop and whose files it can swap."""

    def __init__(self, directory):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def stop(self):
        if self.httpd is None:
            return
        self.httpd.shutdown()
        self.httpd.server_close()
        self.httpd = None


def wait_sw_ready(page):
    page.wait_for_selector("html[data-sw=ready]", state="attached", timeout=60_000)


def wait_engine(page):
    page.wait_for_selector("html[data-engine=ready], html[data-engine=failed]", state="attached", timeout=90_000)
    assert "ready" == page.get_attribute("html", "data-engine"), page.locator("[data-engine-text]").inner_text()


def test_visited_lab_works_offline(browser, built_site, tmp_path):
    """After one visit, the lab reloads with the server stopped, the engine starts and instruments update outputs."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    server = Server(site)
    ctx = browser.new_context(bypass_csp=True)
    page = ctx.new_page()
    try:
        page.goto(server.url + "labs/v1-00/")
        wait_sw_ready(page)
        wait_engine(page)
    finally:
        server.stop()
    page.reload()
    wait_engine(page)
    section = page.locator("section[data-part='A']")
    section.locator("input[type=number]").fill("5")
    section.get_by_role("button", name="Lock prediction").click()
    page.wait_for_function("document.querySelector('[data-reveal-line]').textContent.includes('Actual: 39.06 ms')")
    section.locator("[data-instrument='context']").select_option("edge")
    page.wait_for_function("document.querySelector(\"[data-output='pass_time']\").textContent === '9.766 ms'")
    # the small shared pages were cached at install; a lab never visited says so plainly
    page.goto(server.url + "sources/")
    assert "Sources" in page.locator("h1").inner_text()
    page.goto(server.url + "labs/v1-01/")
    assert "not saved by this browser yet" in page.locator("body").inner_text()
    ctx.close()


def test_new_build_replaces_the_cache_cleanly(browser, built_site, tmp_path, monkeypatch):
    """A second build is announced, not mixed in: the old page stays until 'Reload to update', then only the new
    build's cache remains."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    server = Server(site)
    ctx = browser.new_context(bypass_csp=True)
    page = ctx.new_page()
    try:
        page.goto(server.url + "labs/v1-00/")
        wait_sw_ready(page)
        old_title = page.locator("h1").inner_text()
        old_caches = page.evaluate("caches.keys()")
        # build 2: the same site with one lab's title changed
        lab = next(l for l in all_labs() if l.id == "v1-00")
        monkeypatch.setattr(B, "all_labs", lambda: (dataclasses.replace(lab, title=lab.title + " (build 2)"),))
        second = tmp_path / "build2"
        B.build(B.BuildOptions(out=second))
        shutil.rmtree(site)
        shutil.copytree(second, site)
        page.reload()
        page.locator("[data-update-banner]").wait_for(state="visible", timeout=60_000)
        assert old_title == page.locator("h1").inner_text(), "the old build must stay whole until the update"
        page.get_by_role("button", name="Reload to update").click()
        page.wait_for_function("document.querySelector('h1').textContent.endsWith('(build 2)')", timeout=30_000)
        new_caches = page.evaluate("caches.keys()")
        assert 1 == len(new_caches) and new_caches != old_caches
        # the lab visited under build 1 was carried into build 2's cache: it still works offline
        server.stop()
        page.reload()
        wait_engine(page)
        assert page.locator("h1").inner_text().endswith("(build 2)")
    finally:
        ctx.close()
