"""The engine's known-answer suite inside real Pyodide (node + node_modules/pyodide), and the same suite in CPython."""

import re
import shutil
import subprocess
import unittest
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_smoke_suite_passes_in_cpython():
    """The stdlib-only smoke suite passes under CPython too (same module the Pyodide run uses)."""
    from tests.pyodide import engine_smoke

    result = unittest.TextTestRunner(verbosity=0).run(unittest.defaultTestLoader.loadTestsFromModule(engine_smoke))
    assert result.testsRun > 0 and result.wasSuccessful()


@pytest.mark.pyodide
def test_engine_suite_passes_in_pyodide():
    """`node tests/pyodide/run_engine.mjs` runs N > 0 engine tests in Pyodide with no failure."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").exists():
        pytest.fail("node and node_modules/pyodide are required (run `npm ci`)")
    proc = subprocess.run([node, "tests/pyodide/run_engine.mjs"], cwd=ROOT, capture_output=True, text=True,
                          timeout=240)
    m = re.search(r"PYODIDE-RESULT python=(\S+) ran=(\d+) failures=(\d+) errors=(\d+)", proc.stdout)
    assert m, proc.stdout + proc.stderr
    assert int(m.group(2)) > 0 and m.group(3) == "0" and m.group(4) == "0", proc.stdout + proc.stderr
    assert proc.returncode == 0
