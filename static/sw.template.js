// Service worker: makes a visited site work offline and swaps builds atomically.
// The builder writes this file to dist/sw.js with a hash of the whole build, the shared files every page needs
// (runtime, engine wheel, scripts, styles, the small non-lab pages) and the list of lab pages. Each build has its
// own cache ("mlsys-labs-<version>"), so a page is always served from one build, never a mix. Lab pages are cached
// when visited; a new build re-fetches the pages its predecessor had cached, so visited labs stay offline-ready.
// A new build installs in the background; the page offers "Reload to update" and only then does it take over.

const VERSION = "__VERSION__";
const CACHE = `mlsys-labs-${VERSION}`;
const SHARED = __SHARED__;
const PAGES = new Set(__PAGES__);

const url = (f) => new URL(f, self.registration.scope).href;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // pages an earlier build had cached (the labs this student visited) come along, in this build's version
    const visited = [];
    for (const key of await caches.keys()) {
      if (!key.startsWith("mlsys-labs-") || key === CACHE) continue;
      for (const req of await (await caches.open(key)).keys()) {
        const rel = req.url.slice(self.registration.scope.length);
        if (PAGES.has(rel)) visited.push(rel);
      }
    }
    // and the lab pages open right now (the page that registered this worker was loaded before it existed)
    for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
      let rel = new URL(client.url).href.split("#")[0].split("?")[0].slice(self.registration.scope.length);
      if (rel.endsWith("/") || rel === "") rel += "index.html";
      if (PAGES.has(rel)) visited.push(rel);
    }
    // "no-cache" revalidates every file with the server: an unchanged file costs a 304, and a file that changed
    // in this build can never be taken stale from the HTTP cache (which would mix two builds in one cache)
    const files = [...new Set([...SHARED, ...visited])];
    await cache.addAll(files.map((f) => new Request(url(f), { cache: "no-cache" })));
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("mlsys-labs-") && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const url = new URL(request.url);
    url.search = ""; // assets carry ?v=<hash> for the HTTP cache; the build's cache is keyed without it
    let key = url.href;
    if (key.endsWith("/")) key += "index.html";
    const hit = await cache.match(key);
    if (hit) return hit;
    try {
      const response = await fetch(request);
      // a lab page of this build, visited for the first time: keep it for offline use
      if (response.ok && PAGES.has(key.slice(self.registration.scope.length))) await cache.put(key, response.clone());
      return response;
    } catch (err) {
      return new Response("You are offline and this page was not saved by this browser yet.", {
        status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
    }
  })());
});
