/**
 * The self-contained executable's first import (src/sea-main.ts): node:sqlite announces itself as
 * experimental on Node 24 when it loads, a line that tells a person nothing (bin/heptora*.js do the
 * same before they import anything). Only that warning is silenced.
 */
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: never[]) => {
  const text = typeof warning === "string" ? warning : warning?.message;
  if (typeof text === "string" && text.includes("SQLite is an experimental feature")) return;
  emitWarning(warning, ...rest);
}) as typeof process.emitWarning;
