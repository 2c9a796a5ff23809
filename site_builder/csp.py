"""The site's Content Security Policy: one list of directives, each with the reason it is there.

Delivered two ways from this one source: a <meta http-equiv> in every page (works on any static host, GitHub Pages
included; a meta policy cannot carry frame-ancestors) and dist/_headers for hosts that read that file (Netlify,
Cloudflare Pages). README.md shows the same policy for nginx/Apache. tests/browser/test_csp.py serves the site with
the header and asserts that no violation is reported while every lab is used.
"""

from __future__ import annotations

# The SHA-256 of the empty string: plotly.js appends an *empty* <style> element and fills it with CSSOM
# insertRule (which CSP does not restrict). Allowing exactly this hash permits no inline CSS text at all.
EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"

DIRECTIVES: tuple[tuple[str, str, str], ...] = (
    ("default-src", "'none'", "nothing is allowed unless a directive below allows it"),
    ("script-src", "'self' 'wasm-unsafe-eval'",
     "our own scripts only, no inline script and no eval; 'wasm-unsafe-eval' lets Pyodide compile WebAssembly"),
    ("style-src", f"'self' {EMPTY_STYLE_HASH}",
     "our stylesheet, plus the one empty <style> element plotly.js fills through CSSOM"),
    ("style-src-attr", "'unsafe-inline'",
     "plotly.js (d3) sets style attributes on chart elements; attributes cannot run script"),
    ("img-src", "'self' data:", "plotly.js uses data: URLs for small images"),
    ("font-src", "'self'", "the self-hosted Inter font"),
    ("connect-src", "'self'", "Pyodide fetches its runtime and our wheel from this site only"),
    ("worker-src", "'self'", "the engine's module Web Worker"),
    ("manifest-src", "'self'", "a web app manifest, if a host adds one"),
    ("base-uri", "'none'", "no <base> element can redirect relative URLs"),
    ("form-action", "'none'", "forms never submit anywhere (predictions are handled in the page)"),
    ("object-src", "'none'", "no plugins"),
    ("frame-ancestors", "'none'", "the labs cannot be framed by another site (header only)"),
)

HEADER_ONLY = {"frame-ancestors"}


def policy(meta: bool = False) -> str:
    """The policy string; `meta=True` leaves out directives that a <meta> policy ignores."""
    return "; ".join(f"{name} {value}" for name, value, _ in DIRECTIVES if not (meta and name in HEADER_ONLY))


def headers_file() -> str:
    """dist/_headers (Netlify / Cloudflare Pages format): the full policy and two related safety headers."""
    return (
        "/*\n"
        f"  Content-Security-Policy: {policy()}\n"
        "  X-Content-Type-Options: nosniff\n"
        "  Referrer-Policy: no-referrer\n"
    )
