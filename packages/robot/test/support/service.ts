/** An in-process robot service on a real vault in a temp dir, against the fake platform. */
import { openVault, type Vault } from "@heptora/vault";
import { createPlatformClient } from "../../src/platform/platform-client.ts";
import { createRobotService, type RobotService } from "../../src/service/robot-service.ts";
import { type FakePlatform, startFakePlatform } from "./fake-platform.ts";
import { makeTempDir, type TempDir } from "./temp.ts";

export const ANA = { email: "ana@example.com", password: "correct horse battery staple" };
export const BOB = { email: "bob@example.com", password: "another long password" };

export interface ServiceFixture {
  service: RobotService;
  vault: Vault;
  platform: FakePlatform;
  temp: TempDir;
  invoiceId: string;
  payrollId: string;
  logs: string[];
  /** A new service on the same vault, as after a daemon restart (the old one is closed). */
  restart(): void;
  close(): Promise<void>;
}

export async function serviceFixture(options: { syncIntervalMs?: number } = {}) {
  const temp = makeTempDir();
  const platform = await startFakePlatform();
  platform.addUser(ANA.email, ANA.password);
  platform.addUser(BOB.email, BOB.password);
  const invoiceId = platform.addProcess({
    name: "Invoice Processing",
    variables: [{ name: "SAP_USER" }, { name: "SAP_PASSWORD" }, { name: "REGION", secret: false }],
    assignees: [ANA.email],
  });
  const payrollId = platform.addProcess({
    name: "Payroll",
    variables: [{ name: "PAYROLL_KEY" }, { name: "SAP_USER" }],
    assignees: [ANA.email],
  });
  platform.addProcess({
    name: "Bob's Process",
    variables: [{ name: "BOB_SECRET" }],
    assignees: [BOB.email],
  });
  const vault = openVault({ dataDir: temp.dataDir, keyFile: temp.keyFile });
  const logs: string[] = [];
  const start = () =>
    createRobotService({
      vault,
      platformFor: (baseUrl) => createPlatformClient({ baseUrl, timeoutMs: 5000 }),
      config: {
        dataDir: temp.dataDir,
        socketPath: `${temp.dataDir}/robot.sock`,
        platformUrl: platform.url,
        syncIntervalMs: options.syncIntervalMs ?? 30_000,
      },
      hostname: "test-host",
      log: (line) => logs.push(line),
    });
  const service = start();
  const fixture: ServiceFixture = {
    service,
    vault,
    platform,
    temp,
    invoiceId,
    payrollId,
    logs,
    restart() {
      fixture.service.close();
      fixture.service = start();
    },
    async close() {
      fixture.service.close();
      vault.close();
      await platform.close();
      temp.remove();
    },
  };
  return fixture;
}
