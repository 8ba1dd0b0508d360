/**
 * The entry of the self-contained `heptora` executable (a Node.js single executable application;
 * scripts/package/executables.ts bundles it with esbuild, docs/adr/0082). It is bin/heptora.js
 * without the Node.js version check (the executable carries its own Node.js) and without the
 * compile cache (the executable carries V8's code cache of this bundle).
 */
import "./quiet-sqlite-warning.ts";
import { runFromProcess } from "./main.ts";

runFromProcess().catch((error: unknown) => {
  console.error(`heptora failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
