/**
 * Preload (`node --import`) that records every module a process loads: each resolved URL (through
 * a module.registerHooks resolve hook) and, at exit, the builtins Node loaded (process.moduleLoadList,
 * which also sees builtins taken with process.getBuiltinModule). Writes them, one a line, to the
 * file named by HEPTORA_MODULE_LOG. Used by test/architecture.test.ts.
 */
import { appendFileSync } from "node:fs";
import { registerHooks } from "node:module";

const log = process.env.HEPTORA_MODULE_LOG;
if (log !== undefined) {
  const urls: string[] = [];
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const result = nextResolve(specifier, context);
      urls.push(result.url);
      return result;
    },
  });
  process.on("exit", () => {
    const { moduleLoadList } = process as unknown as { moduleLoadList: string[] };
    const builtins = moduleLoadList
      .filter((entry) => entry.startsWith("NativeModule "))
      .map((entry) => `node:${entry.slice("NativeModule ".length)}`);
    appendFileSync(log, `${[...urls, ...builtins].join("\n")}\n`);
  });
}
