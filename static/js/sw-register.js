// Registers the service worker (offline use and atomic updates) and shows "update ready" when a new build of the
// site has been downloaded. Service workers need a secure context (https or localhost); elsewhere (a laptop
// serving a classroom over plain http) the site simply works online without them.

const banner = document.querySelector("[data-update-banner]");

function offerUpdate(registration) {
  if (!banner || !registration.waiting) return;
  banner.hidden = false;
  banner.querySelector("button").addEventListener("click", () => {
    registration.waiting.postMessage({ type: "skip-waiting" });
  }, { once: true });
}

function whenQuiet() {
  // On pages that start the engine, wait until it is live (or failed): precaching then revalidates files the page
  // has just loaded (304s) instead of downloading them a second time in parallel.
  const html = document.documentElement;
  if (html.dataset.engine !== "loading") return Promise.resolve();
  return new Promise((resolve) => {
    new MutationObserver((_, obs) => {
      if (html.dataset.engine !== "loading") { obs.disconnect(); resolve(); }
    }).observe(html, { attributes: true, attributeFilter: ["data-engine"] });
  });
}

if ("serviceWorker" in navigator && window.isSecureContext) whenQuiet().then(() => {
  const root = new URL(document.documentElement.dataset.root || "./", location.href);
  const mark = (state) => { document.documentElement.dataset.sw = state; };
  const track = (registration, worker) => {
    if (!worker) return;
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offerUpdate(registration);
      if (worker.state === "activated" && registration.active === worker) mark("ready");
    });
  };
  navigator.serviceWorker.register(new URL("sw.js", root), { scope: root.pathname }).then((registration) => {
    mark(registration.active ? "ready" : "registered");
    if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration);
    // an update may already be installing when register() resolves: follow it, and any later one
    track(registration, registration.installing);
    registration.addEventListener("updatefound", () => track(registration, registration.installing));
  }).catch((err) => {
    mark("failed");
    console.warn(`offline support unavailable: ${err.message}`);
  });
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (banner && !banner.hidden && !reloading) { reloading = true; location.reload(); }
  });
});
