import { describe, expect, it } from "vitest";
import { formatReport, verdicts } from "./report.js";
import { runSoak, type SoakReport } from "./soak.js";

// The short soak of CI (the full one is `npm run soak`): the same fault mix, fewer cycles, a shorter
// boot timeout and reclaimer grace so that the stuck builds and abandoned creates end inside the budget.
const SHORT = {
  concurrency: 20,
  createTimeoutSeconds: 8,
  recovery: { graceSeconds: 5, intervalSeconds: 2 },
  settleMs: 20_000,
} as const;

function show(report: SoakReport, heading: string): void {
  process.stdout.write(`\n${formatReport(report, heading)}\n`);
}

describe("chaos soak (short)", () => {
  it("100 boot-with-IP + delete cycles under 10% faults: no duplicate, no leak, typed errors, no hang, heap back", async () => {
    const report = await runSoak({ cycles: 100, ...SHORT });
    show(report, "short soak, without restarts");
    expect(report.ok + report.failed).toBe(100);
    expect(Object.values(report.faultsInjected).reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
    const { world } = report;
    const leaks = world.leakedServers + world.leakedPorts + world.leakedFloatingIps + world.leakedVolumes;
    expect(leaks, world.samples.join("; ")).toBe(0);
    expect(verdicts(report)).toEqual({
      "0 duplicate servers for one client token": true,
      "0 leaked servers, ports, floating IPs, volumes": true,
      "every failed call ended with a typed status (no UNKNOWN)": true,
      "every failed cycle failed on a quota error (no cycle lost otherwise)": true,
      "no call outlived its deadline": true,
      "heap after GC within 10% of its start": true,
    });
  }, 150_000);
});
