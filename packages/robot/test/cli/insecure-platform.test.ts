/**
 * A plain-http platform URL to another machine (issue 12, docs/adr/0073): the robot would send the
 * person's platform password and its token unencrypted. Refused with the reason, from the flag or
 * the environment, unless --allow-insecure-platform; then status and the window warn.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, describe, test } from "node:test";
import { cleanEnv, heptora, startDaemon } from "../support/cli.ts";
import { makeTempDir } from "../support/temp.ts";
import { keyOfPage, send } from "../window/window-client.ts";

const temp = makeTempDir();
after(() => temp.remove());
const env = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile });

describe("a plain-http platform on another machine", () => {
  test("heptora start --platform http://... is refused with the reason, before anything is written", async () => {
    const result = await heptora(
      ["start", "--data-dir", temp.dataDir, "--platform", "http://example.test"],
      { env },
    );
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
    assert.match(
      result.stderr,
      /^--platform \(http:\/\/example\.test\) is plain http to another machine/,
    );
    assert.match(result.stderr, /Use https:\/\/, or.*--allow-insecure-platform/);
    assert.equal(existsSync(temp.dataDir), false, "nothing was created");
  });

  test("the same from HEPTORA_PLATFORM_URL names the variable", async () => {
    const result = await heptora(["start", "--data-dir", temp.dataDir], {
      env: { ...env, HEPTORA_PLATFORM_URL: "http://10.1.2.3:8080" },
    });
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /^HEPTORA_PLATFORM_URL \(http:\/\/10\.1\.2\.3:8080\) is plain http/,
    );
    const badSwitch = await heptora(["status", "--data-dir", temp.dataDir], {
      env: { ...env, HEPTORA_ALLOW_INSECURE_PLATFORM: "maybe" },
    });
    assert.equal(badSwitch.code, 2);
    assert.match(badSwitch.stderr, /HEPTORA_ALLOW_INSECURE_PLATFORM must be 1 or 0/);
  });

  test("https anywhere and http to this machine are accepted", async () => {
    for (const url of [
      "https://example.test",
      "http://127.0.0.1:8080",
      "http://localhost:8080",
      "http://[::1]:8080",
    ]) {
      const result = await heptora(["status", "--data-dir", temp.dataDir, "--platform", url], {
        env,
      });
      // Not a configuration error: the robot is just not running.
      assert.equal(result.code, 1, `${url}: ${result.stderr}`);
      assert.match(result.stderr, /The robot is not running/);
    }
  });

  test("allowed by --allow-insecure-platform: status and the window's status warn", async () => {
    const daemon = await startDaemon({
      dataDir: temp.dataDir,
      env,
      platformUrl: "http://example.test",
      args: ["--allow-insecure-platform"],
    });
    try {
      const cli = (args: string[]) => heptora(["--data-dir", temp.dataDir, ...args], { env });
      const table = await cli(["status"]);
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /Platform: +http:\/\/example\.test\n/);
      assert.match(table.stdout, /Warning: +The platform URL is plain http to another machine/);
      const json = JSON.parse((await cli(["status", "--json"])).stdout) as {
        platformWarning: string | null;
      };
      assert.match(String(json.platformWarning), /plain http to another machine/);

      const link = JSON.parse((await cli(["ui", "--no-open", "--json"])).stdout) as {
        url: string;
      };
      const url = new URL(link.url);
      const port = Number(url.port);
      const opened = await send(port, "GET", `${url.pathname}${url.search}`);
      const cookie = (opened.headers["set-cookie"]?.[0] ?? "").split(";")[0] as string;
      const status = await send(port, "GET", "/api/status", {
        headers: { cookie, "x-window-key": keyOfPage(opened.text) ?? "" },
      });
      assert.equal(status.status, 200, status.text);
      assert.match(String(status.json().platformWarning), /plain http to another machine/);
    } finally {
      await daemon.stop();
    }
  });
});
