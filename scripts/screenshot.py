"""Take full-page screenshots of built pages at desktop and phone widths (for looking, not for tests).

Usage: python scripts/screenshot.py DIST_DIR OUT_DIR [page ...] [--lock] [--dark]
Pages are site paths such as labs/v1-00/ (default: the index and every lab). --lock locks every part first.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dist")
    ap.add_argument("out")
    ap.add_argument("pages", nargs="*")
    ap.add_argument("--lock", action="store_true")
    ap.add_argument("--dark", action="store_true")
    ap.add_argument("--widths", default="1280,390")
    args = ap.parse_args()
    dist = Path(args.dist)
    pages = args.pages or ["", *sorted(f"labs/{p.name}/" for p in (dist / "labs").iterdir())]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(dist))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=[
            "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        for width in [int(w) for w in args.widths.split(",")]:
            ctx = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900}, color_scheme="dark" if args.dark else "light")
            page = ctx.new_page()
            for path in pages:
                page.goto(base + path)
                if args.lock and path.startswith("labs/"):
                    for section in page.locator("section[data-part]").all():
                        num = section.locator("input[type=number]")
                        if num.count():
                            lo, hi = float(num.get_attribute("min")), float(num.get_attribute("max"))
                            num.fill(f"{min(hi, lo * 10):g}")
                        else:
                            section.locator("input[type=radio]").first.check()
                        section.get_by_role("button", name="Lock prediction").click()
                    page.wait_for_function("document.documentElement.dataset.engine !== 'loading'", timeout=90000)
                    page.wait_for_timeout(800)
                name = (path.strip("/").replace("/", "_") or "index") + f"-{width}{'-dark' if args.dark else ''}.png"
                page.screenshot(path=str(out / name), full_page=True)
                print(out / name)
            ctx.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
