import type { FaultRule } from "@oaktree/sim";
import { describe, expect, it } from "vitest";
import { formatReport } from "./report.js";
import { runSoak } from "./soak.js";

/**
 * Short soaks with one kind of fault at a high rate: each leak the full soak found once in about
 * 300 cycles (docs/reliability.md, "Defects the soak found") happens here in nearly every run, so
 * that CI sees it come back.
 */
const TARGETED = {
  cycles: 30,
  concurrency: 10,
  createTimeoutSeconds: 6,
  bootFromVolumeEvery: 3,
  recovery: { graceSeconds: 5, intervalSeconds: 2 },
  settleMs: 20_000,
} as const;

async function soakWith(faultRules: FaultRule[], heading: string) {
  const report = await runSoak({ ...TARGETED, faultRules });
  process.stdout.write(`\n${formatReport(report, heading)}\n`);
  const { world } = report;
  expect(report.ok + report.failed).toBe(TARGETED.cycles);
  // No quota error is injected here: every cycle must end with its server, booted and deleted.
  expect(report.failedByCode).toEqual({});
  expect(world.duplicateTokens).toBe(0);
  const leaks = world.leakedServers + world.leakedPorts + world.leakedFloatingIps + world.leakedVolumes;
  expect(leaks, world.samples.join("; ")).toBe(0);
  expect(report.callErrorsByCode.UNKNOWN ?? 0).toBe(0);
  expect(report.hungCalls).toBe(0);
  return report;
}

describe("targeted soaks (one fault kind, often)", () => {
  it("answers of creates lost after the cloud made the object (servers, floating IPs, volumes): nothing left", async () => {
    const report = await soakWith(
      [
        { service: "compute", route: "POST /servers", dropResponse: true, probability: 0.25 },
        { service: "network", route: "POST /floatingips", dropResponse: true, probability: 0.25 },
        { service: "block-storage", route: "POST /volumes", dropResponse: true, probability: 0.25 },
      ],
      "lost answers of creates",
    );
    expect(report.faultsInjected.dropResponse).toBeGreaterThan(5);
    // oaktree found each lost object by its mark and went on with it: the clients never saw the
    // faults, and no token's boot was rolled back and made again.
    expect(report.callErrorsByCode).toEqual({});
    expect(report.world.rebootedTokens).toBe(0);
  }, 180_000);

  it("builds stuck in BUILD whose rollback's deletes nova refuses: nothing left", async () => {
    const report = await soakWith(
      [
        { service: "compute", route: "POST /servers", stuckBuild: true, probability: 0.3 },
        {
          service: "compute",
          route: "DELETE /servers/{server_id}",
          status: 503,
          retryAfterSeconds: 0,
          probability: 0.4,
        },
      ],
      "stuck builds, refused deletes",
    );
    expect(report.faultsInjected.stuckBuild).toBeGreaterThan(3);
  }, 180_000);

  it("builds that go to ERROR after the create's answer was lost: nothing left", async () => {
    const report = await soakWith(
      [
        {
          service: "compute",
          route: "POST /servers",
          failBuild: "No valid host was found.",
          probability: 0.4,
        },
        { service: "compute", route: "POST /servers", dropResponse: true, probability: 0.4 },
      ],
      "lost answers, builds to ERROR",
    );
    expect(report.faultsInjected.failBuild).toBeGreaterThan(3);
  }, 180_000);
});
