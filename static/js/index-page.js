// The index page: progress per lab from the Design Ledger, and the ledger panel (export, import, reset).

import { Ledger, LedgerError, summarise } from "./ledger.js";
import { showLedgerProblem } from "./ledger-ui.js";

const ledger = new Ledger(window.localStorage);
const message = document.querySelector("[data-ledger-message]");

function refresh() {
  const doc = ledger.load();
  showLedgerProblem(ledger);
  document.querySelector("[data-ledger-summary]").textContent = summarise(doc);
  for (const el of document.querySelectorAll("[data-lab-progress]")) {
    const entry = doc.labs[el.dataset.labProgress];
    const n = entry ? Object.keys(entry.predictions).length : 0;
    el.textContent = !entry ? "not started" : entry.completed ? "completed" : `in progress (${n} prediction${n === 1 ? "" : "s"} locked)`;
    el.closest("[data-lab-card]").dataset.progress = !entry ? "none" : entry.completed ? "done" : "started";
  }
}

document.querySelector("[data-ledger-export]").addEventListener("click", () => {
  const blob = new Blob([ledger.exportText()], { type: "application/json" });
  const a = Object.assign(document.createElement("a"), {
    href: URL.createObjectURL(blob),
    download: `design-ledger-${new Date().toISOString().slice(0, 10)}.json`,
  });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  message.textContent = "Exported your Design Ledger as a JSON file.";
});

document.querySelector("[data-ledger-import]").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  event.target.value = "";
  if (!file) return;
  try {
    const text = await file.text();
    ledger.parseImport(text); // validate before asking
    if (!window.confirm("Replace your current Design Ledger with the imported file? The current one is kept aside as a backup.")) return;
    const { backupKey } = ledger.importText(text);
    message.textContent = `Imported ${file.name}.${backupKey ? ` Your previous ledger was kept aside under "${backupKey}".` : ""}`;
  } catch (err) {
    message.textContent = `Not imported: ${err instanceof LedgerError ? err.message : "the file could not be read"}.`;
  }
  refresh();
});

document.querySelector("[data-ledger-reset]").addEventListener("click", () => {
  if (!window.confirm("Reset your Design Ledger? Every prediction and decision is cleared (a backup copy is kept in this browser).")) return;
  const { backupKey } = ledger.reset();
  message.textContent = backupKey ? `Ledger reset. A backup was kept under "${backupKey}".` : "Ledger reset.";
  refresh();
});

ledger.watch(window);
ledger.subscribe(refresh);
refresh();
