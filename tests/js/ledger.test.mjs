// Design Ledger store (static/js/ledger.js), tested under node's test runner with an in-memory Storage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  Ledger, LedgerError, LEDGER_KEY, BACKUP_PREFIX, validateLedger, emptyLedger, safeParse, summarise,
} from "../../static/js/ledger.js";

class MemoryStorage {
  constructor(quota = Infinity) { this.map = new Map(); this.quota = quota; }
  get length() { return this.map.size; }
  key(i) { return [...this.map.keys()][i] ?? null; }
  getItem(k) { return this.map.has(k) ? this.map.get(k) : null; }
  setItem(k, v) {
    const size = [...this.map].reduce((n, [a, b]) => n + a.length + b.length, 0) - (this.map.get(k)?.length ?? 0) + k.length + String(v).length;
    if (size > this.quota) { const e = new Error("quota"); e.name = "QuotaExceededError"; throw e; }
    this.map.set(k, String(v));
  }
  removeItem(k) { this.map.delete(k); }
}

let tick = 0;
const clock = () => `2026-11-27T00:00:${String(tick++ % 60).padStart(2, "0")}.000Z`;
const fixture = (name) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

test("a new ledger is empty and valid", () => {
  const l = new Ledger(new MemoryStorage(), { now: clock });
  assert.deepEqual(validateLedger(l.load()), []);
  assert.equal(l.problem, null);
});

test("a prediction and values are written, verified and read back by key", () => {
  const s = new MemoryStorage();
  const l = new Ledger(s, { now: clock });
  l.recordPrediction("v1-00", "A", { value: 5, unit: "ms", actual: 39.0625, off_by: 7.8125, direction: "under", text: "You predicted 5 ms." });
  l.recordValues("v1-00", [{ name: "home_context", value: "edge", kind: "decision" }]);
  const again = new Ledger(s, { now: clock });
  assert.equal(again.get("v1-00.home_context"), "edge");
  assert.equal(again.load().labs["v1-00"].predictions.A.value, 5);
  assert.equal(again.get("v1-01.missing"), undefined);
});

test("a document that is not JSON is kept aside under a backup key and reported", () => {
  const s = new MemoryStorage();
  s.setItem(LEDGER_KEY, "{not json");
  const l = new Ledger(s, { now: clock });
  const doc = l.load();
  assert.deepEqual(doc.labs, {});
  assert.ok(l.problem && l.problem.backupKey.startsWith(BACKUP_PREFIX));
  assert.equal(s.getItem(l.problem.backupKey), "{not json");
  assert.equal(s.getItem(LEDGER_KEY), "{not json", "loading alone must not overwrite the stored document");
});

test("a document with wrong types is kept aside, and the next write does not lose the backup", () => {
  const s = new MemoryStorage();
  const bad = fixture("ledger-wrong-types.json");
  s.setItem(LEDGER_KEY, bad);
  const l = new Ledger(s, { now: clock });
  l.load();
  const key = l.problem.backupKey;
  l.recordValues("v1-00", [{ name: "home_context", value: "tiny", kind: "decision" }]);
  assert.equal(s.getItem(key), bad);
  assert.equal(new Ledger(s).get("v1-00.home_context"), "tiny");
});

test("an unknown (future or pre-release) schema is kept aside, never dropped", () => {
  const s = new MemoryStorage();
  s.setItem(LEDGER_KEY, JSON.stringify({ ...emptyLedger("t"), schema: 99 }));
  const l = new Ledger(s, { now: clock });
  l.load();
  assert.match(l.problem.message, /unknown ledger schema 99/);
  assert.equal(JSON.parse(s.getItem(l.problem.backupKey)).schema, 99);
});

test("the v1 fixture loads unchanged (kept so future migrations are tested against it)", () => {
  const s = new MemoryStorage();
  s.setItem(LEDGER_KEY, fixture("ledger-v1.json"));
  const l = new Ledger(s, { now: clock });
  const doc = l.load();
  assert.equal(l.problem, null);
  assert.equal(doc.labs["v1-00"].values.home_context.value, "mobile");
});

test("two tabs writing different labs lose nothing (each write re-reads the stored document)", () => {
  const s = new MemoryStorage();
  const tab1 = new Ledger(s, { now: clock });
  const tab2 = new Ledger(s, { now: clock });
  tab1.load(); tab2.load();
  tab1.recordValues("v1-00", [{ name: "home_context", value: "cloud", kind: "decision" }]);
  tab2.recordValues("v1-01", [{ name: "compute_gap_home_vs_tiny", value: 1.03e6, unit: "x", kind: "number" }]);
  const doc = new Ledger(s).load();
  assert.equal(doc.labs["v1-00"].values.home_context.value, "cloud");
  assert.equal(doc.labs["v1-01"].values.compute_gap_home_vs_tiny.value, 1.03e6);
});

test("quota exceeded gives a message and leaves the last good document intact", () => {
  const s = new MemoryStorage(700);
  const l = new Ledger(s, { now: clock });
  l.recordValues("v1-00", [{ name: "home_context", value: "edge", kind: "decision" }]);
  const before = s.getItem(LEDGER_KEY);
  assert.throws(() => l.recordValues("v1-01", [{ name: "residual_risk", value: "x".repeat(900), kind: "number" }]),
    (err) => err instanceof LedgerError && /storage is full/i.test(err.message));
  assert.equal(s.getItem(LEDGER_KEY), before);
});

test("import rejects malformed, oversized and hostile files with a reason", () => {
  const l = new Ledger(new MemoryStorage(), { now: clock });
  assert.throws(() => l.parseImport("nope"), /not valid JSON/);
  assert.throws(() => l.parseImport(" ".repeat(1_000_001)), /larger than/);
  assert.throws(() => l.parseImport('{"__proto__": {"polluted": true}}'), /forbidden key "__proto__"/);
  assert.throws(() => l.parseImport(fixture("ledger-proto-nested.json")), /forbidden key/);
  assert.throws(() => l.parseImport(JSON.stringify({ app: "other" })), /not a Design Ledger/);
  assert.equal({}.polluted, undefined);
});

test("strings with HTML survive as data (rendering them as text is the page's job)", () => {
  const s = new MemoryStorage();
  const l = new Ledger(s, { now: clock });
  l.recordValues("v1-01", [{ name: "residual_risk", value: "<img src=x onerror=alert(1)>", kind: "number" }]);
  assert.equal(new Ledger(s).get("v1-01.residual_risk"), "<img src=x onerror=alert(1)>");
});

test("export then import round-trips exactly, keeping the replaced ledger aside", () => {
  const s1 = new MemoryStorage();
  const a = new Ledger(s1, { now: clock });
  a.recordPrediction("v1-00", "A", { value: 5, unit: "ms", text: "t" });
  a.recordValues("v1-00", [{ name: "home_context", value: "mobile", kind: "decision" }]);
  const exported = a.exportText();
  const s2 = new MemoryStorage();
  const b = new Ledger(s2, { now: clock });
  b.recordValues("v1-05", [{ name: "x", value: 1, kind: "number" }]);
  const { backupKey } = b.importText(exported);
  assert.equal(b.exportText(), exported);
  assert.ok(JSON.parse(s2.getItem(backupKey)).labs["v1-05"]);
});

test("reset keeps a backup and empties the ledger", () => {
  const s = new MemoryStorage();
  const l = new Ledger(s, { now: clock });
  l.recordValues("v1-00", [{ name: "home_context", value: "edge", kind: "decision" }]);
  const { backupKey } = l.reset();
  assert.equal(s.getItem(LEDGER_KEY), null);
  assert.equal(JSON.parse(s.getItem(backupKey)).labs["v1-00"].values.home_context.value, "edge");
});

test("invalid values are refused before anything is stored", () => {
  const s = new MemoryStorage();
  const l = new Ledger(s, { now: clock });
  assert.throws(() => l.recordValues("v1-00", [{ name: "x", value: NaN, kind: "number" }]), /finite number/);
  assert.throws(() => l.recordValues("not-a-lab", [{ name: "x", value: 1, kind: "number" }]), /must look like v1-00/);
  assert.equal(s.getItem(LEDGER_KEY), null);
});

test("safeParse refuses constructor/prototype keys; summarise counts predictions", () => {
  assert.throws(() => safeParse('{"a": {"constructor": {"prototype": 1}}}'), LedgerError);
  const doc = emptyLedger("t");
  doc.labs["v1-00"] = { predictions: { A: { value: 1 } }, values: {}, completed: true, updated: "t" };
  assert.match(summarise(doc), /^1 prediction across 1 lab; 1 completed/);
});
