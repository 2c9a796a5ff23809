// The engine worker (a module Web Worker): starts Pyodide, installs our wheel after checking its sha256, and
// answers {id, request} messages by calling labs.runtime.handle(json) in Python. Only JSON strings cross the
// boundary, so no Python proxy can leak and every answer is plain data.
//
// Start-up is a numbered sequence reported to the page as {type: "progress", step, of, label}:
//   1 load the Python runtime  2 fetch the labs wheel  3 verify its sha256  4 install it  5 import the labs

let pyodide = null;
let handle = null;
const STEPS = 5;

function progress(step, label) {
  postMessage({ type: "progress", step, of: STEPS, label });
}

async function start(config) {
  const base = new URL(config.siteRoot);
  const indexURL = new URL(config.pyodide, base).href;
  progress(1, "loading the Python runtime");
  await checkWasmType(new URL("pyodide.asm.wasm", indexURL).href);
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  pyodide = await loadPyodide({ indexURL, fullStdLib: false, stdout: () => {}, stderr: (s) => console.warn(s) });

  progress(2, "fetching the labs engine");
  const response = await fetch(new URL(config.wheel.path, base).href, { cache: "no-cache" });
  if (!response.ok) throw new Error(`the labs engine (${config.wheel.path}) could not be fetched: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());

  // Hash in Python (hashlib): works on plain-http LAN hosting, where crypto.subtle does not exist.
  progress(3, "verifying its integrity");
  pyodide.FS.writeFile("/tmp/labs.whl", bytes);
  const digest = pyodide.runPython("import hashlib; hashlib.sha256(open('/tmp/labs.whl','rb').read()).hexdigest()");
  if (digest !== config.wheel.sha256) {
    throw new Error(`the labs engine failed its integrity check (sha256 ${digest.slice(0, 12)}…, expected ${config.wheel.sha256.slice(0, 12)}…)`);
  }

  progress(4, "installing it");
  pyodide.unpackArchive(bytes.buffer, "wheel");

  progress(5, "importing the labs");
  const runtime = pyodide.pyimport("labs.runtime");
  handle = runtime.handle;
  if (config.lab) pyodide.pyimport("labs.catalog").get_lab(config.lab); // import the page's lab now, not on first move
  postMessage({ type: "ready", wasmBytes: pyodide._module.HEAPU8.byteLength });
}

// A server that sends .wasm with the wrong MIME type makes loadPyodide wait forever; ask first (a HEAD request,
// about a millisecond) so the page can say exactly what to fix. Offline (the request fails) the check is skipped:
// the service worker then serves the copy it cached with its original headers.
async function checkWasmType(url) {
  let type;
  try {
    const head = await fetch(url, { method: "HEAD", cache: "no-store" });
    if (!head.ok) return;
    type = (head.headers.get("Content-Type") || "").split(";")[0].trim();
  } catch {
    return;
  }
  if (type !== "application/wasm") {
    throw new Error(`the web server sends pyodide.asm.wasm as "${type || "no type"}" instead of "application/wasm"; ` +
      "whoever hosts this site must add that MIME type (see the README's hosting notes)");
  }
}

self.onmessage = async (event) => {
  const msg = event.data;
  if (msg.type === "start") {
    try {
      await start(msg.config);
    } catch (err) {
      postMessage({ type: "failed", message: String(err && err.message ? err.message : err) });
    }
    return;
  }
  if (msg.type === "request") {
    if (!handle) {
      postMessage({ type: "response", id: msg.id, response: { ok: false, error: "the engine is not ready" } });
      return;
    }
    let response;
    try {
      response = JSON.parse(handle(JSON.stringify(msg.request)));
    } catch (err) {
      response = { ok: false, error: `engine error: ${err && err.message ? err.message.split("\n").slice(-2).join(" ") : err}` };
    }
    postMessage({ type: "response", id: msg.id, response });
  }
};
