/**
 * The entry of the self-contained `heptora-platform` executable (a Node.js single executable
 * application; scripts/package/executables.ts bundles it with esbuild, docs/adr/0082). It is
 * bin/heptora-platform.js without the Node.js version check (the executable carries its own);
 * `--version` is the CLI's own (config.ts), the same from the sources.
 */
import "./quiet-sqlite-warning.ts";
import { main } from "./main.ts";

main(process.argv.slice(2), process.env, process).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      `heptora-platform failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
  },
);
