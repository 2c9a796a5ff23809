// Run the engine's stdlib-only known-answer suite inside real Pyodide under node.
// Usage: node tests/pyodide/run_engine.mjs   (prints "PYODIDE-RESULT ran=N failures=F errors=E", exits 1 on failure)
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { loadPyodide } = await import(pathToFileURL(join(root, "node_modules", "pyodide", "pyodide.mjs")).href);

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "__pycache__") yield* walk(p);
    } else if (name.endsWith(".py")) {
      yield p;
    }
  }
}

const pyodide = await loadPyodide({ indexURL: join(root, "node_modules", "pyodide") + "/" });
const home = "/home/pyodide";
for (const file of walk(join(root, "engine"))) {
  const target = join(home, relative(root, file));
  pyodide.FS.mkdirTree(dirname(target));
  pyodide.FS.writeFile(target, readFileSync(file));
}
pyodide.FS.writeFile(join(home, "engine_smoke.py"), readFileSync(join(root, "tests", "pyodide", "engine_smoke.py")));

const out = pyodide.runPython(`
import sys, io, unittest
sys.path.insert(0, "${home}")
import engine_smoke
stream = io.StringIO()
result = unittest.TextTestRunner(stream=stream, verbosity=1).run(
    unittest.defaultTestLoader.loadTestsFromModule(engine_smoke))
print(stream.getvalue())
f"{sys.version.split()[0]} {result.testsRun} {len(result.failures)} {len(result.errors)}"
`);
const [version, ran, failures, errors] = out.split(" ");
console.log(`PYODIDE-RESULT python=${version} ran=${ran} failures=${failures} errors=${errors}`);
process.exit(Number(ran) > 0 && failures === "0" && errors === "0" ? 0 : 1);
