/**
 * Debian packages with dpkg-deb (docs/adr/0083): a staging tree of files with their modes, a
 * control file, optional maintainer scripts and conffiles, built with `--root-owner-group` so
 * every file belongs to root whoever builds it. No debhelper: the two packages are small and their
 * whole content is spelled out in scripts/package/robot-deb.ts and platform-deb.ts.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { deflateSync, gzipSync } from "node:zlib";
import type { PackageContext } from "./context.ts";

export type DebFile =
  | { path: string; text: string; mode?: number }
  | { path: string; bytes: Uint8Array; mode?: number }
  | { path: string; from: string; mode?: number };

export interface DebSpec {
  name: string;
  /** Fields after Package/Version/Architecture, in order ("Depends": "..."). */
  control: Record<string, string>;
  description: { summary: string; body: string };
  files: DebFile[];
  /** Files under /etc that dpkg keeps when the admin changed them. */
  conffiles?: string[];
  /** postinst, prerm, postrm...: shell scripts (set -e). */
  scripts?: Record<string, string>;
}

const MAINTAINER = "Heptora <packages@heptora.example>";

/** Builds dist/<name>_<version>_amd64.deb and returns its path. */
export function buildDeb(context: PackageContext, spec: DebSpec): string {
  const stage = join(context.dist, ".build", `${spec.name}-deb`);
  rmSync(stage, { recursive: true, force: true });
  const put = (path: string, mode: number, write: (to: string) => void) => {
    const to = join(stage, path);
    mkdirSync(dirname(to), { recursive: true, mode: 0o755 });
    write(to);
    spawnSync("chmod", [mode.toString(8), to]);
  };
  const docs = `/usr/share/doc/${spec.name}`;
  const files: DebFile[] = [
    ...spec.files,
    { path: `${docs}/copyright`, text: copyright() },
    { path: `${docs}/changelog.gz`, bytes: changelog(spec.name, context.version) },
  ];
  for (const file of files) {
    const mode = file.mode ?? 0o644;
    put(file.path, mode, (to) => {
      if ("from" in file) copyFileSync(file.from, to);
      else writeFileSync(to, "text" in file ? file.text : file.bytes);
    });
  }
  const size = spawnSync("du", ["-sk", "--apparent-size", stage], { encoding: "utf8" });
  const control = [
    `Package: ${spec.name}`,
    `Version: ${context.version}`,
    "Architecture: amd64",
    `Maintainer: ${MAINTAINER}`,
    `Installed-Size: ${size.stdout.split("\t")[0]}`,
    ...Object.entries(spec.control).map(([key, value]) => `${key}: ${value}`),
    "Homepage: https://heptora.example",
    `Description: ${spec.description.summary}`,
    ...spec.description.body
      .trim()
      .split("\n")
      .map((line) => (line.trim() === "" ? " ." : ` ${line}`)),
    "",
  ].join("\n");
  put("DEBIAN/control", 0o644, (to) => writeFileSync(to, control));
  if (spec.conffiles !== undefined) {
    put("DEBIAN/conffiles", 0o644, (to) => writeFileSync(to, `${spec.conffiles?.join("\n")}\n`));
  }
  for (const [script, body] of Object.entries(spec.scripts ?? {})) {
    put(`DEBIAN/${script}`, 0o755, (to) => writeFileSync(to, body));
  }
  const output = join(context.dist, `${spec.name}_${context.version}_amd64.deb`);
  rmSync(output, { force: true });
  const built = spawnSync(
    "dpkg-deb",
    ["--root-owner-group", "-Zgzip", "-z6", "--build", stage, output],
    { encoding: "utf8" },
  );
  if (built.status !== 0) throw new Error(`dpkg-deb failed: ${built.stderr || built.stdout}`);
  rmSync(stage, { recursive: true, force: true });
  return output;
}

function copyright(): string {
  return [
    "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
    "Upstream-Name: Heptora",
    "",
    "Files: *",
    "Copyright: 2026 Heptora",
    "License: proprietary",
    " All rights reserved. The executable includes Node.js (MIT License) and the npm packages",
    " listed in the source repository's package-lock.json, under their own licences.",
    "",
  ].join("\n");
}

function changelog(name: string, version: string): Uint8Array {
  const text = [
    `${name} (${version}) stable; urgency=medium`,
    "",
    "  * Release of Heptora packaged as a Debian package.",
    "",
    ` -- ${MAINTAINER}  Mon, 30 Nov 2026 12:00:00 +0000`,
    "",
  ].join("\n");
  // A fixed mtime in the gzip header keeps the package reproducible.
  return gzipSync(text, { level: 9 });
}

/** A PNG of RGBA pixels (top row first): for the hicolor icons drawn by the tray's renderer. */
export function png(size: number, rgba: Uint8Array): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    rows.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * A man page (section 1, gzipped) whose body is the program's own `--help`, so the two never
 * disagree: the packaging step runs the freshly built executable to get it.
 */
export function manPage(program: string, executable: string, summary: string): DebFile {
  const help = spawnSync(executable, ["--help"], { encoding: "utf8" });
  if (help.status !== 0) throw new Error(`${executable} --help failed: ${help.stderr}`);
  const roff = (text: string) =>
    text
      .replace(/\\/g, "\\e")
      .split("\n")
      .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
      .join("\n");
  const page = [
    `.TH ${program.toUpperCase()} 1 "" "Heptora" "User Commands"`,
    ".SH NAME",
    `${program} \\- ${summary}`,
    ".SH DESCRIPTION",
    ".nf",
    roff(help.stdout.trimEnd()),
    ".fi",
    ".SH SEE ALSO",
    `/usr/share/doc/${program === "heptora" ? "heptora-robot" : program}/README`,
    "",
  ].join("\n");
  return { path: `/usr/share/man/man1/${program}.1.gz`, bytes: gzipSync(page, { level: 9 }) };
}
