/**
 * Issue 15: the artefacts of `npm run package` installed and run as a person would, with no Node.js
 * on PATH. Built once into a temp dist by the same steps (the robot's executables for Linux and
 * Windows, the platform's, both .deb files); each .deb is installed with dpkg into a fresh root.
 *
 * - robot: the installed /usr/bin/heptora starts against a real platform, signs in, stores a value
 *   and hands it to a Python automation (the SDK from sdk-python) under `heptora run`; its Secrets
 *   window is served from inside the executable; `heptora autostart` sees the package's entry.
 * - platform: the postinst made the `heptora` system user and /var/lib/heptora (0750); the installed
 *   heptora-platform serves /healthz, /readyz and its web app with the packaged platform.env; the
 *   unit passes systemd-analyze verify.
 * - Windows: what can be checked here (a PE image for x64 holding the SEA blob); it runs on Windows
 *   only (the README's Install section says what is tested where).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { makeTempDir, type TempDir } from "../../packages/robot/test/support/temp.ts";
import {
  platformExecutable,
  ROBOT_WINDOWS,
  robotExecutables,
} from "../../scripts/package/executables.ts";
import { platformDeb } from "../../scripts/package/platform-deb.ts";
import { robotDeb } from "../../scripts/package/robot-deb.ts";
import {
  adminSession,
  createAdmin,
  type RunningPlatform,
  startPlatform,
} from "../e2e/support/platform.ts";
import {
  dpkgInstall,
  dpkgQuery,
  packageContext,
  pathWithout,
  ROOT,
  rootVersion,
  runProgram,
  type Started,
  startProgram,
} from "./support/installed.ts";

const ADMIN = { email: "admin@example.com", password: "admin password for the install test" };
const ANA = { email: "ana@example.com", password: "ana's password for the install test" };
const VALUE = "Install-Test-Pässwörd-🔑-41c7e9";
const version = rootVersion();

/** The real python3 (not a version-manager shim that needs a PATH of its own). */
function realPython(): string {
  const result = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], {
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`python3 is needed: ${result.stderr}`);
  return result.stdout.trim();
}

describe("installed from the packages, with no Node.js on PATH", () => {
  let temp: TempDir;
  let dist: string;
  const artefacts: string[] = [];
  let bin: string;

  before(async () => {
    temp = makeTempDir("hpkg-");
    dist = join(temp.path, "dist");
    const context = packageContext(dist);
    for (const step of [robotExecutables, platformExecutable, robotDeb, platformDeb]) {
      artefacts.push(...(await step.run(context)));
    }
    bin = pathWithout(join(temp.path, "bin"), { python3: realPython() });
  });
  after(() => temp?.remove());

  test("npm run package's steps write the design's artefact names", () => {
    const names = artefacts.map((file) => file.slice(dist.length + 1)).sort();
    assert.deepEqual(names, [
      "heptora-linux-x64",
      "heptora-platform-linux-x64",
      `heptora-platform_${version}_amd64.deb`,
      `heptora-robot_${version}_amd64.deb`,
      "heptora-win-x64.exe",
    ]);
  });

  test("the Windows executable is an x64 PE image carrying the SEA blob with the Secrets window", () => {
    const exe = readFileSync(join(dist, ROBOT_WINDOWS));
    assert.equal(exe.toString("latin1", 0, 2), "MZ");
    const pe = exe.readUInt32LE(0x3c);
    assert.equal(exe.toString("latin1", pe, pe + 4), "PE\0\0");
    assert.equal(exe.readUInt16LE(pe + 4), 0x8664, "machine: x86-64");
    assert.ok(exe.includes(Buffer.from("NODE_SEA_BLOB", "utf16le")), "a NODE_SEA_BLOB resource");
    assert.ok(exe.includes("NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1"), "the fuse is set");
    assert.ok(exe.includes("robot-web/index.html"), "the Secrets window is inside");
  });

  describe("the robot's .deb", () => {
    let root: string;
    let platform: RunningPlatform;
    let daemon: Started | undefined;
    let env: NodeJS.ProcessEnv;
    const heptora = () => join(root, "usr", "bin", "heptora");
    const cli = async (args: string[], input?: string) => {
      const result = await runProgram(heptora(), ["--data-dir", temp.dataDir, ...args], {
        env,
        cwd: temp.path,
        ...(input === undefined ? {} : { input }),
      });
      assert.equal(result.code, 0, `heptora ${args.join(" ")}: ${result.stderr}`);
      return result;
    };

    before(async () => {
      root = join(temp.path, "robot-root");
      dpkgInstall(root, join(dist, `heptora-robot_${version}_amd64.deb`));
      const db = join(temp.path, "platform.db");
      await createAdmin(db, ADMIN.email, ADMIN.password);
      platform = await startPlatform(db, join(temp.path, "outbox"));
      const admin = await adminSession(platform.url, ADMIN.email, ADMIN.password);
      const ana = await admin.createMember(ANA.email, ANA.password);
      const invoice = await admin.createProcess("Invoice Processing", [
        { name: "SAP_PASSWORD", secret: true },
      ]);
      await admin.assign(invoice, [ana]);
      env = {
        PATH: bin,
        HOME: join(temp.path, "home"),
        LANG: "C.UTF-8",
        HEPTORA_KEY_FILE: temp.keyFile,
        PYTHONPATH: join(ROOT, "sdk-python"),
      };
    });
    after(async () => {
      await daemon?.stop();
      await platform?.stop();
    });

    test("dpkg installs the executable, launcher, autostart entry, units and icons", () => {
      assert.equal(
        dpkgQuery(root, ["Status", "Version"], "heptora-robot"),
        `install ok installed ${version}`,
      );
      assert.equal(statSync(heptora()).mode & 0o777, 0o755);
      for (const file of [
        "usr/share/applications/heptora.desktop",
        "etc/xdg/autostart/heptora.desktop",
        "usr/lib/systemd/user/heptora.service",
        "lib/systemd/system/heptora@.service",
        "usr/share/icons/hicolor/scalable/apps/heptora.svg",
        "usr/share/doc/heptora-robot/copyright",
      ]) {
        assert.ok(existsSync(join(root, file)), file);
      }
      const icon = readFileSync(join(root, "usr/share/icons/hicolor/48x48/apps/heptora.png"));
      assert.equal(icon.toString("latin1", 1, 4), "PNG");
      assert.equal(icon.readUInt32BE(16), 48, "48 pixels wide");
      assert.match(
        dpkgQuery(root, ["Conffiles"], "heptora-robot"),
        /\/etc\/xdg\/autostart\/heptora\.desktop/,
      );
    });

    test("heptora --version runs without Node.js on PATH", async () => {
      assert.equal(existsSync(join(bin, "node")), false);
      const result = await runProgram(heptora(), ["--version"], { env });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `heptora ${version}\n`);
    });

    test("the installed robot signs in, keeps a value and hands it to a Python automation under heptora run", async () => {
      daemon = await startProgram(
        heptora(),
        ["start", "--data-dir", temp.dataDir, "--platform", platform.url, "--no-tray"],
        env,
        /Heptora robot running/,
      );
      const login = await cli(
        ["login", "--email", ANA.email, "--password-stdin"],
        `${ANA.password}\n`,
      );
      assert.match(login.stdout, /Signed in as ana@example.com/);
      await cli(["sync"]);
      await cli(["secrets", "set", "SAP_PASSWORD", "--value-stdin"], VALUE);
      assert.equal((await cli(["secrets", "get", "SAP_PASSWORD"])).stdout, `${VALUE}\n`);

      const script = join(temp.path, "automation.py");
      writeFileSync(
        script,
        [
          "import hashlib, heptora",
          "value = heptora.get_secret('SAP_PASSWORD')",
          "print('sha256', hashlib.sha256(value.encode()).hexdigest())",
          "",
        ].join("\n"),
      );
      const run = await cli(["run", "Invoice Processing", "--", "python3", script]);
      const expected = createHash("sha256").update(VALUE).digest("hex");
      assert.match(run.stdout, new RegExp(`sha256 ${expected}`));
      assert.ok(!run.stdout.includes(VALUE) && !daemon.output.includes(VALUE));
    });

    test("the Secrets window is served from inside the executable", async () => {
      const link = JSON.parse((await cli(["ui", "--no-open", "--json"])).stdout) as { url: string };
      const page = await fetch(link.url);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<title>Heptora Secrets<\/title>/);
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      assert.ok(script !== undefined, html);
      const asset = await fetch(new URL(script, link.url));
      assert.equal(asset.status, 200);
      assert.match(asset.headers.get("content-type") ?? "", /javascript/);
    });

    test("heptora autostart reports the package's XDG entry and hides it for one person", async () => {
      const xdgEnv = { ...env, XDG_CONFIG_DIRS: join(root, "etc", "xdg") };
      const autostart = async (action: string) => {
        const result = await runProgram(heptora(), ["autostart", action, "--json"], {
          env: xdgEnv,
        });
        assert.equal(result.code, 0, result.stderr);
        return JSON.parse(result.stdout) as { enabled: boolean; command: string | null };
      };
      assert.deepEqual(await autostart("status"), {
        enabled: true,
        where: join(root, "etc", "xdg", "autostart", "heptora.desktop"),
        command: "/usr/bin/heptora start",
      });
      assert.equal((await autostart("disable")).enabled, false);
      assert.equal((await autostart("status")).enabled, false);
    });

    test("the unattended robot's user unit and template pass systemd-analyze verify", () => {
      // On this machine's systemd, ExecStart pointing at the fresh root's executable.
      const units = join(temp.path, "robot-units");
      mkdirSync(join(units, "runtime"), { recursive: true, mode: 0o700 });
      const copy = (from: string, name: string) => {
        const text = readFileSync(join(root, from), "utf8").replace("/usr/bin/heptora", heptora());
        writeFileSync(join(units, name), text);
        return join(units, name);
      };
      const template = copy("lib/systemd/system/heptora@.service", "heptora@root.service");
      const user = copy("usr/lib/systemd/user/heptora.service", "heptora.service");
      for (const args of [
        ["verify", template],
        ["--user", "verify", user],
      ]) {
        const result = spawnSync("systemd-analyze", args, {
          encoding: "utf8",
          env: { ...process.env, XDG_RUNTIME_DIR: join(units, "runtime") },
        });
        assert.equal(result.status, 0, `${args.join(" ")}: ${result.stderr}`);
        assert.equal(result.stderr.trim(), "");
      }
    });
  });

  describe("the platform's .deb", () => {
    let root: string;
    const platformBin = () => join(root, "usr", "bin", "heptora-platform");

    before(() => {
      root = join(temp.path, "platform-root");
      // The fresh root's own accounts: the postinst adds its user here, never to this machine.
      mkdirRootAccounts(root);
      dpkgInstall(root, join(dist, `heptora-platform_${version}_amd64.deb`));
    });

    test("the postinst makes the heptora system user, its 0750 data dir and a 0640 platform.env", () => {
      const passwd = readFileSync(join(root, "etc", "passwd"), "utf8");
      const user = /^heptora:x:(\d+):(\d+):[^:]*:\/var\/lib\/heptora:(\S+)$/m.exec(passwd);
      assert.ok(user !== null, passwd);
      assert.ok(Number(user[1]) < 1000, "a system uid");
      assert.match(user[3] ?? "", /nologin$/);
      const data = statSync(join(root, "var", "lib", "heptora"));
      assert.equal(data.mode & 0o777, 0o750);
      assert.equal(data.uid, Number(user[1]));
      const settings = statSync(join(root, "etc", "heptora", "platform.env"));
      assert.equal(settings.mode & 0o777, 0o640);
      assert.equal(settings.gid, Number(user[2]));
      assert.match(
        dpkgQuery(root, ["Conffiles"], "heptora-platform"),
        /\/etc\/heptora\/platform\.env/,
      );
    });

    test("heptora-platform --version and serve with the packaged settings answer /healthz, /readyz and the web app", async () => {
      const noNode = { PATH: bin, LANG: "C.UTF-8" };
      const version_ = await runProgram(platformBin(), ["--version"], { env: noNode });
      assert.equal(version_.stdout, `heptora-platform ${version}\n`);

      const settings: NodeJS.ProcessEnv = { ...noNode };
      for (const line of readFileSync(join(root, "etc", "heptora", "platform.env"), "utf8").split(
        "\n",
      )) {
        const match = /^([A-Z_]+)=(.*)$/.exec(line);
        if (match?.[1] !== undefined) settings[match[1]] = match[2];
      }
      assert.equal(settings.HEPTORA_DB, "/var/lib/heptora/platform.db");
      // The packaged file with this test's port and data folder in place of the service's.
      settings.HEPTORA_PORT = "0";
      settings.HEPTORA_DB = join(temp.path, "served.db");
      settings.HEPTORA_OUTBOX = join(temp.path, "served-outbox");
      const served = await startProgram(
        platformBin(),
        ["serve"],
        settings,
        /listening on (http:\/\/\S+)/,
      );
      try {
        const url = served.match[1] as string;
        assert.equal((await fetch(`${url}/healthz`)).status, 200);
        assert.equal((await fetch(`${url}/readyz`)).status, 200);
        const home = await fetch(`${url}/`);
        assert.equal(home.status, 200);
        assert.match(await home.text(), /<div id="root">/);
        assert.doesNotMatch(served.output, /ExperimentalWarning/);
      } finally {
        assert.equal(await served.stop(), 0);
      }
    });

    test("the systemd unit passes systemd-analyze verify", () => {
      // Verified on this machine's systemd, its ExecStart pointing at the fresh root's executable.
      const unit = join(temp.path, "units", "heptora-platform.service");
      mkdirSync(join(temp.path, "units"), { recursive: true });
      const installed = readFileSync(
        join(root, "lib", "systemd", "system", "heptora-platform.service"),
        "utf8",
      );
      writeFileSync(unit, installed.replace("/usr/bin/heptora-platform", platformBin()));
      const result = spawnSync("systemd-analyze", ["verify", unit], { encoding: "utf8" });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stderr.trim(), "");
    });
  });
});

function mkdirRootAccounts(root: string): void {
  mkdirSync(join(root, "etc"), { recursive: true });
  writeFileSync(join(root, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
  writeFileSync(join(root, "etc", "group"), "root:x:0:\n");
  writeFileSync(join(root, "etc", "shadow"), "root:*:20000:0:99999:7:::\n", { mode: 0o640 });
  writeFileSync(join(root, "etc", "gshadow"), "root:*::\n", { mode: 0o640 });
}
