// The Design Ledger: one versioned JSON document in localStorage holding a student's predictions, decisions and
// key numbers across labs.
//
// Promises this module keeps (each has a test):
// - a write re-reads the stored document first (another tab may have written), applies the change, validates,
//   stores, and reads back to verify; a failed write (quota, verification) throws and leaves the last good
//   document in place;
// - a stored document that is not JSON, fails validation, or has an unknown schema is copied to a backup key and
//   reported, never silently replaced or dropped;
// - imported files are size-limited, parsed without prototype pollution, validated, and never rendered as HTML.
// Storage is injected (window.localStorage in the page, a Map-backed fake in node tests).

export const LEDGER_KEY = "mlsys-labs.ledger";
export const BACKUP_PREFIX = "mlsys-labs.ledger.backup.";
export const SCHEMA_VERSION = 1;
export const MAX_IMPORT_BYTES = 1_000_000;
const MAX_STRING = 4000;
const LAB_ID = /^v[12]-\d\d$/;
const NAME = /^[A-Za-z0-9_]{1,64}$/;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export class LedgerError extends Error {}

export function emptyLedger(now) {
  return { schema: SCHEMA_VERSION, app: "mlsys-labs", created: now, updated: now, labs: {} };
}

function isPlainObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function checkScalar(v, path, errors) {
  if (v === null || typeof v === "boolean") return;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) errors.push(`${path} must be a finite number`);
    return;
  }
  if (typeof v === "string") {
    if (v.length > MAX_STRING) errors.push(`${path} must be at most ${MAX_STRING} characters`);
    return;
  }
  if (isPlainObject(v)) {
    // small maps such as {cloud: "none", edge: "power"}: scalar values only
    for (const [k, x] of Object.entries(v)) {
      if (!NAME.test(k)) errors.push(`${path} has an invalid key ${JSON.stringify(k)}`);
      else if (typeof x === "object" && x !== null) errors.push(`${path}.${k} must be a scalar`);
      else checkScalar(x, `${path}.${k}`, errors);
    }
    return;
  }
  errors.push(`${path} must be a number, string, boolean or small map`);
}

// Returns a list of problems (empty when `doc` is a valid current-schema ledger).
export function validateLedger(doc) {
  const errors = [];
  if (!isPlainObject(doc)) return ["the ledger must be a JSON object"];
  if (doc.app !== "mlsys-labs") errors.push("`app` must be \"mlsys-labs\"");
  if (doc.schema !== SCHEMA_VERSION) errors.push(`\`schema\` must be ${SCHEMA_VERSION} (got ${JSON.stringify(doc.schema)})`);
  for (const k of ["created", "updated"]) if (typeof doc[k] !== "string") errors.push(`\`${k}\` must be a timestamp string`);
  if (!isPlainObject(doc.labs)) return [...errors, "`labs` must be an object"];
  for (const [labId, entry] of Object.entries(doc.labs)) {
    if (!LAB_ID.test(labId)) { errors.push(`lab id ${JSON.stringify(labId)} must look like v1-00`); continue; }
    if (!isPlainObject(entry)) { errors.push(`labs.${labId} must be an object`); continue; }
    if (!isPlainObject(entry.predictions)) errors.push(`labs.${labId}.predictions must be an object`);
    else for (const [part, p] of Object.entries(entry.predictions)) {
      if (!/^[A-D]$/.test(part) || !isPlainObject(p)) { errors.push(`labs.${labId}.predictions.${part} is invalid`); continue; }
      for (const [k, v] of Object.entries(p)) checkScalar(v, `labs.${labId}.predictions.${part}.${k}`, errors);
    }
    if (!isPlainObject(entry.values)) errors.push(`labs.${labId}.values must be an object`);
    else for (const [name, v] of Object.entries(entry.values)) {
      if (!NAME.test(name) || !isPlainObject(v) || !("value" in v)) { errors.push(`labs.${labId}.values.${name} is invalid`); continue; }
      if (!["prediction", "decision", "number"].includes(v.kind)) errors.push(`labs.${labId}.values.${name}.kind is invalid`);
      checkScalar(v.value, `labs.${labId}.values.${name}.value`, errors);
    }
    if (typeof entry.completed !== "boolean") errors.push(`labs.${labId}.completed must be true or false`);
  }
  return errors;
}

// Older schemas are upgraded here, one step per version; there is only v1 so far. Fixtures of every version live
// in tests/js/fixtures so each future migration is tested against real old documents.
export function migrate(doc) {
  if (isPlainObject(doc) && doc.schema === SCHEMA_VERSION) return { doc, migrated: false };
  throw new LedgerError(`unknown ledger schema ${JSON.stringify(isPlainObject(doc) ? doc.schema : undefined)}`);
}

// JSON.parse with a reviver that refuses prototype-pollution keys anywhere in the tree.
export function safeParse(text) {
  return JSON.parse(text, (key, value) => {
    if (FORBIDDEN_KEYS.has(key)) throw new LedgerError(`the file contains a forbidden key "${key}"`);
    return value;
  });
}

function clone(doc) {
  return JSON.parse(JSON.stringify(doc));
}

function labEntry(doc, labId) {
  if (!LAB_ID.test(labId)) throw new LedgerError(`lab id ${JSON.stringify(labId)} must look like v1-00`);
  if (!doc.labs[labId]) doc.labs[labId] = { predictions: {}, values: {}, completed: false, updated: null };
  return doc.labs[labId];
}

export class Ledger {
  constructor(storage, { now = () => new Date().toISOString() } = {}) {
    this.storage = storage;
    this.now = now;
    this.listeners = new Set();
    this.problem = null; // {message, backupKey} when the stored document had to be set aside
  }

  // Read and validate the stored document. A bad one is copied to a backup key and reported via `this.problem`.
  load() {
    let raw;
    try {
      raw = this.storage.getItem(LEDGER_KEY);
    } catch (err) {
      this.problem = { message: `This browser blocks storage (${err.name}); your work cannot be saved here.`, backupKey: null };
      return emptyLedger(this.now());
    }
    if (raw === null) return emptyLedger(this.now());
    let doc;
    try {
      doc = migrate(safeParse(raw)).doc;
      const errors = validateLedger(doc);
      if (errors.length) throw new LedgerError(errors.slice(0, 3).join("; "));
      return doc;
    } catch (err) {
      const backupKey = this.setAside(raw);
      this.problem = {
        message: `Your saved Design Ledger could not be read (${err.message}). It was kept aside under "${backupKey}"; export it from the Design Ledger panel before you reset.`,
        backupKey,
      };
      return emptyLedger(this.now());
    }
  }

  // Copy `raw` to a new backup key (never overwriting an older backup) and return the key.
  setAside(raw) {
    let key = BACKUP_PREFIX + this.now();
    for (let i = 1; this.storage.getItem(key) !== null; i += 1) key = `${BACKUP_PREFIX}${this.now()}.${i}`;
    this.storage.setItem(key, raw);
    return key;
  }

  backups() {
    const keys = [];
    for (let i = 0; i < this.storage.length; i += 1) {
      const k = this.storage.key(i);
      if (k && k.startsWith(BACKUP_PREFIX)) keys.push(k);
    }
    return keys.sort();
  }

  // Apply `mutate(doc)` to the latest stored document and save it; verify by reading back.
  update(mutate) {
    const current = this.load();
    if (this.problem && this.problem.backupKey === null) throw new LedgerError(this.problem.message);
    const next = clone(current);
    mutate(next);
    next.updated = this.now();
    const errors = validateLedger(next);
    if (errors.length) throw new LedgerError(`refusing to save an invalid ledger: ${errors[0]}`);
    const text = JSON.stringify(next);
    try {
      this.storage.setItem(LEDGER_KEY, text);
    } catch (err) {
      const full = err && (err.name === "QuotaExceededError" || err.code === 22);
      throw new LedgerError(full
        ? "Browser storage is full, so this change was not saved. Your earlier ledger is intact; export it, then free space."
        : `Saving failed (${err && err.name}); your earlier ledger is intact.`);
    }
    if (this.storage.getItem(LEDGER_KEY) !== text) throw new LedgerError("Saving could not be verified; please export your ledger.");
    this.notify(next);
    return next;
  }

  recordPrediction(labId, part, entry) {
    return this.update((doc) => {
      const lab = labEntry(doc, labId);
      lab.predictions[part] = { ...entry, time: this.now() };
      lab.updated = this.now();
    });
  }

  recordValues(labId, values) {
    // values: [{name, value, unit, kind}]
    return this.update((doc) => {
      const lab = labEntry(doc, labId);
      for (const v of values) lab.values[v.name] = { value: v.value, unit: v.unit || "none", kind: v.kind, time: this.now() };
      lab.updated = this.now();
    });
  }

  setCompleted(labId, completed) {
    return this.update((doc) => { labEntry(doc, labId).completed = Boolean(completed); });
  }

  // Value of a ledger key such as "v1-00.home_context", or undefined.
  get(key, doc = this.load()) {
    const [labId, name] = key.split(".");
    const v = doc.labs[labId] && doc.labs[labId].values[name];
    return v === undefined ? undefined : v.value;
  }

  exportText(doc = this.load()) {
    return JSON.stringify(doc, null, 2);
  }

  // Validate an imported file's text; returns the document or throws LedgerError with the reason.
  parseImport(text) {
    if (typeof text !== "string") throw new LedgerError("the file is not text");
    if (text.length > MAX_IMPORT_BYTES) throw new LedgerError(`the file is larger than ${MAX_IMPORT_BYTES / 1e6} MB`);
    let doc;
    try { doc = safeParse(text); } catch (err) {
      throw new LedgerError(err instanceof LedgerError ? err.message : "the file is not valid JSON");
    }
    if (!isPlainObject(doc) || doc.app !== "mlsys-labs") throw new LedgerError("the file is not a Design Ledger (no \"app\": \"mlsys-labs\")");
    try { doc = migrate(doc).doc; } catch (err) { throw new LedgerError(`the file is not a Design Ledger this site can read: ${err.message}`); }
    const errors = validateLedger(doc);
    if (errors.length) throw new LedgerError(`the file is not a Design Ledger: ${errors.slice(0, 3).join("; ")}`);
    return doc;
  }

  // Replace the ledger with an imported one; the current document is kept aside first.
  importText(text) {
    const doc = this.parseImport(text);
    const current = this.storage.getItem(LEDGER_KEY);
    const backupKey = current === null ? null : this.setAside(current);
    this.update((d) => { d.created = doc.created; d.labs = clone(doc.labs); });
    // keep the imported `updated` so export -> import round-trips exactly
    const stored = this.load();
    stored.updated = doc.updated;
    this.storage.setItem(LEDGER_KEY, JSON.stringify(stored));
    this.notify(stored);
    return { backupKey };
  }

  reset() {
    const current = this.storage.getItem(LEDGER_KEY);
    const backupKey = current === null ? null : this.setAside(current);
    this.storage.removeItem(LEDGER_KEY);
    this.problem = null;
    this.notify(this.load());
    return { backupKey };
  }

  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  notify(doc) {
    for (const fn of this.listeners) fn(doc);
  }

  // Keep this tab in step with writes from other tabs (the `storage` event fires only in the other tabs).
  watch(win) {
    win.addEventListener("storage", (event) => {
      if (event.key === LEDGER_KEY || event.key === null) this.notify(this.load());
    });
  }
}

// Short human summary used by the index page.
export function summarise(doc) {
  const labs = Object.entries(doc.labs);
  const predictions = labs.reduce((n, [, e]) => n + Object.keys(e.predictions).length, 0);
  const done = labs.filter(([, e]) => e.completed).length;
  if (!labs.length) return "No entries yet.";
  return `${predictions} prediction${predictions === 1 ? "" : "s"} across ${labs.length} lab${labs.length === 1 ? "" : "s"}; ${done} completed. Last saved ${doc.updated}.`;
}
