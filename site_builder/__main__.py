"""`python -m site_builder --out dist [--base-path /course/]`: build the site or list every problem and exit 1."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from site_builder.build import BuildError, BuildOptions, build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m site_builder", description=__doc__)
    parser.add_argument("--out", default="dist", help="output folder (default: dist)")
    parser.add_argument(
        "--base-path",
        default="/",
        help="URL path the site is served under, e.g. /my-course/ for a GitHub Pages project site (default: /)",
    )
    parser.add_argument("--wheel", default=None, help="use this pre-built wheel instead of building one")
    parser.add_argument("--labs", nargs="*", default=[], help="build only these lab ids (a quick preview)")
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        summary = build(BuildOptions(out=out, base_path=args.base_path, wheel=Path(args.wheel) if args.wheel else None,
                                    labs=tuple(args.labs)))
    except BuildError as exc:
        print(f"site build failed with {len(exc.errors)} problem(s):", file=sys.stderr)
        for e in exc.errors:
            print(f"  - {e}", file=sys.stderr)
        return 1
    print(
        f"built {len(summary['labs'])} lab(s) into {summary['out']} in {summary['seconds']:.1f} s "
        f"(wheel {summary['wheel']}, sha256 {summary['wheel_sha256'][:12]}…, version {summary['version']})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
