// The page's handle on the engine worker: start-up with progress and a deadline, and request/response by id.
// A start-up that fails or stalls (a wrong .wasm MIME type makes loadPyodide wait forever) ends in `onFailed`
// with a sentence after `config.start_timeout_ms`, never in a blank page.

export class EngineClient {
  constructor(config, { onProgress = () => {}, onReady = () => {}, onFailed = () => {} } = {}) {
    this.config = config;
    this.onProgress = onProgress;
    this.onReady = onReady;
    this.onFailed = onFailed;
    this.pending = new Map();
    this.nextId = 1;
    this.state = "idle";
    this.ready = new Promise((resolve, reject) => { this.resolveReady = resolve; this.rejectReady = reject; });
    this.ready.catch(() => {});
  }

  start() {
    this.state = "loading";
    this.startedAt = performance.now();
    try {
      this.worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    } catch (err) {
      this.fail(`this browser cannot start the engine worker (${err.message})`);
      return this;
    }
    this.worker.onmessage = (event) => this.receive(event.data);
    this.worker.onerror = (event) => this.fail(`the engine worker crashed (${event.message || "script error"})`);
    this.worker.onmessageerror = () => this.fail("the engine worker sent an unreadable message");
    this.timer = setTimeout(() => {
      if (this.state === "loading") this.fail(`the engine did not start within ${Math.round(this.config.start_timeout_ms / 1000)} s`);
    }, this.config.start_timeout_ms);
    this.worker.postMessage({ type: "start", config: this.config });
    return this;
  }

  receive(msg) {
    if (msg.type === "progress") this.onProgress(msg);
    else if (msg.type === "ready") {
      clearTimeout(this.timer);
      this.state = "ready";
      this.readyMs = performance.now() - this.startedAt;
      this.wasmBytes = msg.wasmBytes;
      performance.mark("engine-ready");
      this.resolveReady();
      this.onReady(this.readyMs);
    } else if (msg.type === "failed") this.fail(msg.message);
    else if (msg.type === "response") {
      const p = this.pending.get(msg.id);
      if (p) { this.pending.delete(msg.id); p(msg.response); }
    }
  }

  fail(message) {
    if (this.state === "failed" || this.state === "ready") return;
    clearTimeout(this.timer);
    this.state = "failed";
    if (this.worker) this.worker.terminate();
    for (const [, resolve] of this.pending) resolve({ ok: false, error: message });
    this.pending.clear();
    this.rejectReady(new Error(message));
    this.onFailed(message);
  }

  // Send one request; resolves with {ok, result} or {ok: false, error}. Waits for start-up to finish.
  async request(request) {
    try { await this.ready; } catch (err) { return { ok: false, error: err.message }; }
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.pending.set(id, resolve);
      this.worker.postMessage({ type: "request", id, request });
    });
  }
}

// Coalesces rapid requests (slider drags): at most one in flight, and only the latest waiting one is sent next.
export class LatestOnly {
  constructor(send) { this.send = send; this.inFlight = false; this.queued = null; }
  push(request, onResult) {
    this.queued = { request, onResult };
    if (!this.inFlight) this.pump();
  }
  async pump() {
    while (this.queued) {
      const { request, onResult } = this.queued;
      this.queued = null;
      this.inFlight = true;
      const response = await this.send(request);
      this.inFlight = false;
      if (!this.queued) onResult(response); // a newer request supersedes this answer
    }
  }
}
