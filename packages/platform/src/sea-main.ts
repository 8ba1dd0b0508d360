/**
 * The entry of the self-contained `heptora-platform` executable (a Node.js single executable
 * application; scripts/package/executables.ts bundles it with esbuild, docs/adr/0082). It is
 * bin/heptora-platform.js without the Node.js version check (the executable carries its own), plus
 * `--version`, which an installed program is asked first.
 */
import "./quiet-sqlite-warning.ts";
import { main } from "./main.ts";

/** Set by the bundler from the root package.json. */
declare const HEPTORA_VERSION: string;

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  process.stdout.write(`heptora-platform ${HEPTORA_VERSION}\n`);
} else {
  main(argv, process.env, process).then(
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
}
