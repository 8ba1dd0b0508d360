/**
 * Robot Framework for the tests: a virtualenv with RF 7.4.2 installed from the offline wheel in
 * `../shared/wheels` (searched for beside the repository and its parents; HEPTORA_WHEELS_DIR
 * overrides; without it, from the package index where one is reachable), cached in the OS temp dir under the wheel's hash, so runs after the first take no
 * time. And the readers of RF's result files: log.html and report.html keep their texts in a
 * table of strings, most of them zlib-compressed and base64-encoded; `resultTexts` decodes them.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { inflateSync } from "node:zlib";
import { ensureTools } from "../../scripts/system-packages.ts";

export const RF_WHEEL = "robotframework-7.4.2-py3-none-any.whl";

/** The folder holding the offline wheel, or undefined: then pip asks the package index. */
export function wheelsDir(root: string): string | undefined {
  const candidates: string[] = [];
  if (process.env.HEPTORA_WHEELS_DIR) candidates.push(process.env.HEPTORA_WHEELS_DIR);
  for (let dir = root; ; dir = dirname(dir)) {
    candidates.push(join(dir, "..", "shared", "wheels"));
    if (dirname(dir) === dir) break;
  }
  return candidates.find((dir) => existsSync(join(dir, RF_WHEEL)));
}

function run(command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: "utf8" });
  return { ok: result.status === 0, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

/** The python of a virtualenv with Robot Framework 7.4.2, made on first use and then reused. */
export function robotFrameworkPython(root: string): string {
  const wheels = wheelsDir(root);
  const hash = createHash("sha256")
    .update(wheels === undefined ? "robotframework==7.4.2" : readFileSync(join(wheels, RF_WHEEL)))
    .digest("hex")
    .slice(0, 16);
  const venv = join(tmpdir(), `heptora-rf-venv-${hash}`);
  const python = join(venv, "bin", "python");
  if (existsSync(python)) return python;
  if (!run("python3", ["-c", "import ensurepip, venv"]).ok) {
    const version = run("python3", ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"]);
    ensureTools(
      [
        {
          path: `/usr/lib/python${version.output.trim()}/ensurepip/__init__.py`,
          pkg: "python3-venv",
        },
      ],
      "The Robot Framework tests",
    );
  }
  const building = `${venv}.${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const made = run("python3", ["-m", "venv", building]);
  if (!made.ok) throw new Error(`python3 -m venv failed:\n${made.output}`);
  const source = wheels === undefined ? [] : ["--no-index", "--find-links", wheels];
  const installed = run(join(building, "bin", "python"), [
    "-m",
    "pip",
    "install",
    "--quiet",
    "--disable-pip-version-check",
    ...source,
    "robotframework==7.4.2",
  ]);
  if (!installed.ok) {
    rmSync(building, { recursive: true, force: true });
    throw new Error(
      `Could not install Robot Framework 7.4.2: put ${RF_WHEEL} in ../shared/wheels (or set HEPTORA_WHEELS_DIR).\n${installed.output}`,
    );
  }
  // A venv's scripts name its absolute path; `python -m robot` does not care, so moving the
  // finished venv into place in one rename is safe (and another test process may win the race).
  try {
    renameSync(building, venv);
  } catch {
    rmSync(building, { recursive: true, force: true });
  }
  return python;
}

const STRING_TABLE = /window\.output\["strings"\]\s*=\s*[^\n]*?\.concat\((\[.*?\])\);/g;

/** The entries of the string tables in an html result file, as written (JS string literals). */
function stringTable(html: string): string[] {
  const entries: string[] = [];
  for (const match of html.matchAll(STRING_TABLE)) {
    // JS, not JSON: RF writes `<` as \x3c. Turn \xHH into \u00HH, leaving escaped backslashes.
    const json = (match[1] as string).replace(/(\\\\)|\\x([0-9a-fA-F]{2})/g, (all, pair, hex) =>
      pair !== undefined ? all : `\\u00${hex}`,
    );
    entries.push(...(JSON.parse(json) as string[]));
  }
  return entries;
}

/**
 * Each result file in `dir` with the texts it holds: output.xml as it is; log.html and
 * report.html as they are plus every entry of their string tables, decoded (`*` marks a raw
 * string, the others are base64 of zlib-compressed UTF-8). `strings` counts the table entries,
 * so a test can see that the decoder found them.
 */
export function resultTexts(dir: string): { file: string; text: string; strings: number }[] {
  const out: { file: string; text: string; strings: number }[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!/\.(xml|html|json)$/.test(file)) continue;
    const raw = readFileSync(join(dir, file), "utf8");
    const entries = stringTable(raw);
    const decoded = entries.map((entry) =>
      entry.startsWith("*")
        ? entry.slice(1)
        : inflateSync(Buffer.from(entry, "base64")).toString("utf8"),
    );
    out.push({ file, text: `${raw}\n${decoded.join("\n")}`, strings: entries.length });
  }
  return out;
}
