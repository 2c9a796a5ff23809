"""Validation report: `python -m tests.validation.report` prints every case (expected, engine, relative error),
the rows not covered, and mean/max error per source and per tolerance class."""

from __future__ import annotations

import sys
from collections import defaultdict

from tests.validation.cases import CASES, NOT_COVERED, ROWS_IN_SET, TOLERANCE, covered_rows


def paper(source: str) -> str:
    """The document a case cites, without its table/section locator ('Narayanan et al. 2021 §5.1' → '… 2021')."""
    cut = len(source)
    for marker in (" Table", " §", " Fig", " (", " doc/", " roofline"):
        i = source.find(marker)
        if i > 0:
            cut = min(cut, i)
    return source[:cut].rstrip(",;")


def _g(x: float) -> str:
    return f"{x:.4g}"


def main() -> int:
    rows = []
    for c in CASES:
        err = c.relative_error()
        rows.append((c.row, c.case, c.tolerance, _g(c.expected), _g(c.engine_value()), f"{err:.2%}",
                     "ok" if c.within() else "FAIL", c.source))
    widths = [max(len(str(r[i])) for r in rows + [("#", "case", "tol", "expected", "engine", "rel.err", "", "")])
              for i in range(7)]
    header = ("#", "case", "tol", "expected", "engine", "rel.err", "")
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths)))
    for r in rows:
        print("  ".join(str(v).ljust(w) for v, w in zip(r[:7], widths)))
    print()
    print("Not covered:")
    for row, what, why in NOT_COVERED:
        print(f"  row {row}: {what} — not covered: {why}")
    print()
    by_source: dict[str, list[float]] = defaultdict(list)
    by_class: dict[str, list[float]] = defaultdict(list)
    for c in CASES:
        by_source[paper(c.source)].append(c.relative_error())
        by_class[c.tolerance].append(c.relative_error())
    print("Per source document (mean / max relative error, cases):")
    for src in sorted(by_source):
        e = by_source[src]
        print(f"  {src}: {sum(e) / len(e):.2%} / {max(e):.2%}  ({len(e)})")
    print()
    print("Per tolerance class (mean / max, limit):")
    for cls in sorted(by_class):
        e = by_class[cls]
        print(f"  {cls}: {sum(e) / len(e):.2%} / {max(e):.2%}  (limit {TOLERANCE[cls]:.1%}, {len(e)} cases)")
    failures = [c for c in CASES if not c.within()]
    n_rows = len(covered_rows())
    print()
    print(f"Coverage: {n_rows} of {ROWS_IN_SET} rows ({len(CASES)} cases); {len(NOT_COVERED)} entries not covered; "
          f"{len(failures)} cases outside tolerance.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
