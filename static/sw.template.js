// Service worker: makes a visited site work offline and swaps builds atomically.
// The builder writes this file to dist/sw.js with the build version and the list of every file of the build, so
// each build has its own cache ("mlsys-labs-<version>") and a page is always served from one build, never a mix.
// A new build installs in the background; the page offers "Reload to update" and only then does it take over.

const VERSION = "__VERSION__";
const CACHE = `mlsys-labs-${VERSION}`;
const FILES = __FILES__;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // "no-cache" revalidates every file with the server: an unchanged file costs a 304, and a file that changed
    // in this build can never be taken stale from the HTTP cache (which would mix two builds in one cache)
    await cache.addAll(FILES.map((f) => new Request(new URL(f, self.registration.scope), { cache: "no-cache" })));
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
      return await fetch(request);
    } catch (err) {
      return new Response("You are offline and this page was not saved by this browser yet.", {
        status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
    }
  })());
});
