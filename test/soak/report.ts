import { mb, type SoakReport } from "./soak.js";

/** The verdicts the soak promises, each true when it holds. */
export function verdicts(r: SoakReport): Record<string, boolean> {
  const memory = r.memory ? r.memory.end.heapUsed <= r.memory.start.heapUsed * 1.1 : undefined;
  return {
    "0 duplicate servers for one client token": r.world.duplicateTokens === 0,
    "0 leaked servers, ports, floating IPs, volumes":
      r.world.leakedServers + r.world.leakedPorts + r.world.leakedFloatingIps + r.world.leakedVolumes === 0,
    "every failed call ended with a typed status (no UNKNOWN)": (r.callErrorsByCode.UNKNOWN ?? 0) === 0,
    // The faults make calls fail and be reissued; the only refusal a reissue cannot cure is the
    // injected quota error. Any other final code (a create NOT_FOUND, a client that gave up) is a
    // cycle lost to oaktree.
    "every failed cycle failed on a quota error (no cycle lost otherwise)": Object.keys(r.failedByCode).every(
      (code) => code === "RESOURCE_EXHAUSTED",
    ),
    "no call outlived its deadline": r.hungCalls === 0,
    ...(memory !== undefined && { "heap after GC within 10% of its start": memory }),
  };
}

const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ") || "none";

const leaks = (w: SoakReport["world"]) =>
  `${w.leakedServers} / ${w.leakedPorts} / ${w.leakedFloatingIps} / ${w.leakedVolumes}`;

/** The figures as Markdown (printed, and kept in docs/reliability.md). */
export function formatReport(r: SoakReport, heading: string): string {
  const injected = Object.values(r.faultsInjected).reduce((a, b) => a + b, 0);
  const lines = [
    `### ${heading}`,
    "",
    `| | |`,
    `|---|---|`,
    `| cycles (boot with IP + delete), at once | ${r.cycles}, ${r.concurrency} |`,
    `| oaktree SIGKILLed and restarted | ${r.restarts} (${r.state} state) |`,
    `| duration | ${(r.durationMs / 1000).toFixed(0)} s |`,
    `| cycles ok / failed (typed) / client gave up | ${r.ok} / ${r.failed} / ${r.gaveUp} |`,
    `| failed cycles by final code | ${list(r.failedByCode)} |`,
    `| faults injected (${injected}) | ${list(r.faultsInjected)}; plus ${r.serviceOutages} service outages of 1.5 s, every token expired ${r.tokenEvents.expired} times and revoked ${r.tokenEvents.revoked} times |`,
    `| gRPC calls / errors by code | ${r.calls} / ${list(r.callErrorsByCode)} |`,
    `| calls past their deadline (hangs) | ${r.hungCalls} |`,
    `| reissues answered with the earlier server | ${r.reissuesFoundExisting} |`,
    `| servers booted / client tokens | ${r.world.serversCreated} / ${r.world.tokens} |`,
    `| duplicate servers for one token (alive together) | ${r.world.duplicateTokens} |`,
    `| tokens booted again after a rollback | ${r.world.rebootedTokens} |`,
    `| left right after the cycles: servers / ports / floating IPs / volumes | ${leaks(r.worldAfterCycles)} |`,
    `| leaked at the end (reclaimer grace ${r.recovery.graceSeconds} s): servers / ports / floating IPs / volumes | ${leaks(r.world)} |`,
  ];
  if (r.memory) {
    const { start, end } = r.memory;
    const pct = ((end.heapUsed / start.heapUsed - 1) * 100).toFixed(1);
    lines.push(
      `| oaktree heap after GC, start -> end | ${mb(start.heapUsed)} -> ${mb(end.heapUsed)} (${pct}%) |`,
      `| oaktree RSS, start -> end | ${mb(start.rss)} -> ${mb(end.rss)} |`,
    );
  }
  lines.push("");
  for (const [claim, holds] of Object.entries(verdicts(r)))
    lines.push(`- ${holds ? "PASS" : "FAIL"}: ${claim}`);
  if (r.worldAfterCycles.samples.length > 0) {
    lines.push("", `Left right after the cycles (samples): ${r.worldAfterCycles.samples.join("; ")}`);
  }
  if (r.world.samples.length > 0)
    lines.push("", `Leaked at the end (samples): ${r.world.samples.join("; ")}`);
  return `${lines.join("\n")}\n`;
}
