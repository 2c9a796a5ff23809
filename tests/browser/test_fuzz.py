"""Seeded fuzz of every lab (PhET's fuzz is the anchor): a reproducible random walk of predictions, instrument moves
(extremes and rapid bursts included), resets, reloads and back/forward. After every step the page must agree with
the engine run in-process on the page's current inputs: every output's text, and exactly the failure states whose
predicate holds. Every number is finite and inside its physical bounds (labs.schema.output_bounds). Nothing shown
may read NaN, Infinity, undefined or null; no page error, no console error.

CI runs FUZZ_ACTIONS (default 20) steps per lab; `make fuzz N=500` runs more. The seed is printed on failure and
can be replayed with FUZZ_SEED.
"""

from __future__ import annotations

import json
import os
import random
import re

import pytest

from labs import runtime
from labs.catalog import all_labs
from labs.schema import NumericPrediction, bound_problems
from tests.conftest import only_labs

pytestmark = pytest.mark.browser
LABS = [lab for lab in all_labs() if not only_labs() or lab.id in only_labs()]
ACTIONS = int(os.environ.get("FUZZ_ACTIONS", "20"))
BASE_SEED = int(os.environ.get("FUZZ_SEED", "20261127"))
BAD_TEXT = re.compile(r"\bNaN\b|\bInfinity\b|\bundefined\b|\bnull\b|\[object Object\]")

PAGE_INPUTS = """() => {
  const data = JSON.parse(document.getElementById('lab-data').textContent);
  return [...document.querySelectorAll('section[data-part]')].map((s) => {
    const meta = data.parts[s.dataset.part];
    const inputs = {};
    for (const c of s.querySelectorAll('[data-instrument]')) {
      const m = meta.instruments[c.dataset.instrument];
      inputs[m.name] = m.type === 'range' ? (m.log ? m.values[Number(c.value)] : Number(c.value))
        : m.type === 'select' ? c.value : c.checked;
    }
    return {part: s.dataset.part, locked: s.dataset.locked === 'true', pending: s.dataset.pending === 'true',
            inputs,
            outputs: Object.fromEntries([...s.querySelectorAll('[data-output]')].map((o) => [o.dataset.output, o.textContent])),
            failures: [...s.querySelectorAll('[data-failure]')].map((f) => f.dataset.failure).sort(),
            shown: [...s.querySelectorAll('[data-output], [data-reveal-line], [data-failure], [data-math] li, [data-instrument-value]')]
                     .map((e) => e.textContent)};
  });
}"""


def ledger_inputs(page, lab) -> dict:
    raw = page.evaluate("localStorage.getItem('mlsys-labs.ledger')")
    doc = json.loads(raw) if raw else {"labs": {}}
    out = {}
    for r in lab.reads:
        lab_id, name = r.key.split(".")
        entry = doc.get("labs", {}).get(lab_id, {}).get("values", {}).get(name)
        if entry is not None:
            out[r.key] = entry["value"]
    return out


def settle(page, timeout_ms: int = 30_000) -> list[dict]:
    """Wait until no part has a request in flight (the engine answered the latest move), then read the page."""
    for _ in range(timeout_ms // 50):
        state = page.evaluate(PAGE_INPUTS)
        if page.get_attribute("html", "data-engine") == "ready" and not any(p["pending"] for p in state):
            page.wait_for_timeout(30)  # let render() finish writing
            return page.evaluate(PAGE_INPUTS)
        page.wait_for_timeout(50)
    raise AssertionError("the page never settled (a request never returned)")


def check(page, lab, where: str) -> None:
    state = settle(page)
    ledger = ledger_inputs(page, lab)
    for p in state:
        for text in p["shown"]:
            assert not BAD_TEXT.search(text), f"{where}: part {p['part']} shows {text!r}"
        if not p["locked"]:
            continue
        expected = runtime.evaluate(lab, p["part"], p["inputs"], ledger)
        assert [] == bound_problems(f"{where}: {lab.id}.{p['part']} at {p['inputs']}", lab.part(p["part"]),
                                    expected["raw"])
        shown_outputs = {k: v for k, v in p["outputs"].items()}
        want = {k: v["text"] for k, v in expected["outputs"].items() if k in shown_outputs}
        assert want == shown_outputs, f"{where}: part {p['part']} outputs differ from the engine for {p['inputs']}"
        assert sorted(f["id"] for f in expected["failures"]) == p["failures"], (
            f"{where}: part {p['part']} failure states differ from their predicates for {p['inputs']}")


def random_prediction(rng, part) -> str:
    pred = part.prediction
    if isinstance(pred, NumericPrediction):
        return f"{rng.choice([pred.min, pred.max, rng.uniform(pred.min, pred.max)]):.6g}"
    return rng.choice(pred.options).key


def move(page, rng, control, meta) -> None:
    kind = meta["type"]
    if kind == "range":
        hi = int(float(control.get_attribute("max"))) if meta.get("log") else None
        if meta.get("log"):
            value = rng.choice([0, hi, rng.randint(0, hi)])
        else:
            lo, top, step = float(meta["min"]), float(meta["max"]), float(meta["step"])
            n = int(round((top - lo) / step))
            value = lo + rng.choice([0, n, rng.randint(0, n)]) * step
        control.evaluate("(el, v) => { el.value = String(v); el.dispatchEvent(new Event('input', {bubbles: true})); }",
                         value)
    elif kind == "select":
        options = control.locator("option").evaluate_all("os => os.map(o => o.value)")
        control.select_option(rng.choice(options))
    else:
        control.click()


@pytest.mark.parametrize("lab", LABS, ids=[lab.id for lab in LABS])
def test_fuzz_lab(browser, site_server, lab):
    """A seeded random walk through the lab; the page always agrees with the engine and never shows NaN."""
    seed = BASE_SEED + sum(ord(c) for c in lab.id)
    rng = random.Random(seed)
    ctx = browser.new_context(bypass_csp=True, service_workers="block")
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    url = f"{site_server}labs/{lab.id}/"
    page.goto(url)
    data = json.loads(page.locator("#lab-data").text_content())
    done = 0
    try:
        while done < ACTIONS:
            action = rng.choices(["lock", "move", "burst", "reset", "reload", "back"], [3, 10, 2, 1, 1, 1])[0]
            part = rng.choice(lab.parts)
            section = page.locator(f"section[data-part='{part.id}']")
            locked = section.get_attribute("data-locked") == "true"
            if action == "lock" or not locked and action in ("move", "burst", "reset"):
                if locked:
                    continue
                value = random_prediction(rng, part)
                if isinstance(part.prediction, NumericPrediction):
                    section.locator("input[type=number]").fill(value)
                else:
                    section.locator(f"input[type=radio][value='{value}']").check()
                section.get_by_role("button", name="Lock prediction").click()
                page.wait_for_selector(f"section[data-part='{part.id}'][data-locked=true]", state="attached")
            elif action in ("move", "burst"):
                controls = section.locator("[data-instrument]").all()
                for _ in range(1 if action == "move" else 6):  # a burst does not wait between moves
                    control = rng.choice(controls)
                    move(page, rng, control, data["parts"][part.id]["instruments"][control.get_attribute("data-instrument")])
            elif action == "reset":
                section.locator("[data-reset-instruments]").click()
            elif action == "reload":
                page.reload()
            else:
                page.goto(site_server)
                page.go_back()
            done += 1
            check(page, lab, f"{lab.id} seed {seed} step {done} ({action} part {part.id})")
        assert [] == errors, f"{lab.id} seed {seed}: page errors"
    except AssertionError as exc:
        raise AssertionError(f"fuzz failed for {lab.id} (FUZZ_SEED={BASE_SEED}, lab seed {seed}): {exc}") from exc
    finally:
        ctx.close()
