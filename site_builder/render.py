"""Text rendering at build time: Markdown (markdown-it-py) with $…$ math turned into MathML (latex2mathml).

No math JavaScript runs in the browser: every equation is MathML in the HTML, which Chromium, Firefox and Safari
render natively.
"""

from __future__ import annotations

import re

from latex2mathml.converter import convert as latex_to_mathml
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
# pandoc's rule: an opening $ is followed by a non-space, non-digit character, and a closing $ is preceded by a
# non-space and not followed by a digit, so prices such as "$73.69 … $98.25" stay text; "\$" is a literal $.
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?=[^\s\d$])(.+?)(?<![\s\\])\$(?!\d)")


def math_block(latex: str) -> Markup:
    """A display equation as MathML."""
    return Markup(latex_to_mathml(latex, display="block"))


def math_inline(latex: str) -> Markup:
    return Markup(latex_to_mathml(latex))


def markdown(text: str, inline: bool = False) -> Markup:
    """Render Markdown (HTML in the source is escaped, never passed through); $…$ becomes inline MathML."""
    maths: list[str] = []

    def stash(m: re.Match[str]) -> str:
        maths.append(latex_to_mathml(m.group(1)))
        return f"MATHSLOT{len(maths) - 1}ZZ"

    source = _INLINE_MATH.sub(stash, text)
    html = _md.renderInline(source) if inline else _md.render(source)
    for i, mathml in enumerate(maths):
        html = html.replace(f"MATHSLOT{i}ZZ", mathml)
    return Markup(html)
