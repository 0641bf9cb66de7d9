/**
 * Summarizes a V8 CPU profile (`node --cpu-prof`, or BENCH_CPU_PROF=DIR for the benchmarks'
 * `oaktree serve`): the functions with the most self time, and the share of each package
 * (node_modules package, or the repository's packages/NAME). Used to find what limits a
 * benchmark's target, not to guess it.
 *
 *   npx tsx bench/profile.ts FILE.cpuprofile [TOP]
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** Self time per function and per package, ms, from a CPU profile. */
export function summarize(profile: CpuProfile): {
  totalMs: number;
  functions: { name: string; ms: number }[];
  packages: { name: string; ms: number }[];
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let totalMs = 0;
  for (const [id, ms] of self) {
    const frame = byId.get(id)!.callFrame;
    totalMs += ms;
    const file = frame.url.replace(/^file:\/\//, "");
    const short = file.replace(/^.*\/node_modules\//, "").replace(/^.*\/packages\//, "packages/");
    const name =
      `${frame.functionName || "(anonymous)"} ${short ? `${short}:${frame.lineNumber + 1}` : ""}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + ms);
    const pkg = file.includes("/node_modules/")
      ? /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)![1]!
      : file.includes("/packages/")
        ? `oaktree ${/\/packages\/([^/]+)/.exec(file)![1]!}`
        : file
          ? file.startsWith("node:")
            ? "node internals"
            : file
          : frame.functionName || "(program)";
    packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, ms: Math.round(ms) }));
  return { totalMs: Math.round(totalMs), functions: sorted(functions), packages: sorted(packages) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: npx tsx bench/profile.ts FILE.cpuprofile [TOP]");
    process.exit(2);
  }
  const top = Number(process.argv[3] ?? 20);
  const summary = summarize(JSON.parse(readFileSync(file, "utf8")) as CpuProfile);
  const pct = (ms: number) => `${((100 * ms) / summary.totalMs).toFixed(1)}%`;
  console.log(`total sampled: ${summary.totalMs} ms\n\nby package (self time):`);
  for (const p of summary.packages.slice(0, 12))
    console.log(`  ${pct(p.ms).padStart(6)} ${p.ms} ms  ${p.name}`);
  console.log("\nby function (self time):");
  for (const f of summary.functions.slice(0, top))
    console.log(`  ${pct(f.ms).padStart(6)} ${f.ms} ms  ${f.name}`);
}
