// Ledger messages shared by every page: the banner that reports a ledger that had to be set aside. All ledger
// text is inserted with textContent, never as HTML.

export function showLedgerProblem(ledger) {
  const banner = document.querySelector("[data-ledger-banner]");
  if (!banner) return;
  if (ledger.problem) {
    banner.textContent = ledger.problem.message;
    banner.hidden = false;
  } else {
    banner.hidden = true;
  }
}
