/**
 * The benchmark harness in CI: `npm run bench` on tiny parameters (simulator only, never the real
 * OpenStack) writes a JSON result of the documented shape whose figures are numbers. Not a timing
 * assertion: the figures' values are the benchmarks' business, not CI's.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { type BenchResult, replaceSection, sectionMarkers } from "../../bench/lib/result.js";
import { lineChart } from "../../bench/lib/svg.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), "oaktree-bench-test-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Every leaf of a JSON value, with its path. */
function leaves(value: unknown, path = ""): [string, unknown][] {
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  }
  return [[path, value]];
}

describe("npm run bench (tiny)", () => {
  it("writes a JSON result with the machine, the commit, parameters and numeric figures", async () => {
    await run(
      process.execPath,
      ["--import", "tsx", join(ROOT, "bench/run.ts"), "incremental", "fanin", "--tiny", "--out", out],
      { cwd: ROOT, timeout: 60_000 },
    );
    const files = readdirSync(out).sort();
    expect(files).toEqual([
      expect.stringMatching(/^fanin-\d{4}-\d\d-\d\d\.json$/),
      expect.stringMatching(/^incremental-/),
    ]);
    for (const file of files) {
      const result = JSON.parse(readFileSync(join(out, file), "utf8")) as BenchResult;
      expect(result.benchmark).toBe(file.replace(/-\d{4}-\d\d-\d\d\.json$/, ""));
      expect(Number.isNaN(Date.parse(result.date))).toBe(false);
      expect(result.commit).toMatch(/^[0-9a-f]{7,}(-dirty)?$|^unknown$/);
      expect(result.machine.cpus).toBeGreaterThan(0);
      expect(result.machine.memoryGiB).toBeGreaterThan(0);
      expect(result.machine.loadAverage).toHaveLength(3);
      expect(result.machine.node).toBe(process.version);
      expect(result.parameters.tiny).toBe(true);
      const numbers = leaves(result.figures).filter(([, v]) => typeof v === "number");
      expect(numbers.length).toBeGreaterThan(5);
      for (const [path, v] of numbers) expect(Number.isFinite(v), path).toBe(true);
    }
    const incremental = JSON.parse(readFileSync(join(out, files[1]!), "utf8")) as BenchResult;
    const figures = incremental.figures as { incremental: { bytes: number }; full: { bytes: number } };
    expect(figures.incremental.bytes).toBeGreaterThan(0);
    expect(figures.full.bytes).toBeGreaterThan(figures.incremental.bytes);
    const fanin = JSON.parse(readFileSync(join(out, files[0]!), "utf8")) as BenchResult;
    const phases = (
      fanin.figures as { phases: { method: string; clientCalls: number; cloudRequests: number }[] }
    ).phases;
    expect(phases.map((p) => p.method)).toEqual(["ListServers", "ListFlavors"]);
    for (const p of phases) expect(p.clientCalls).toBeGreaterThan(0);
  }, 60_000);

  it("refuses an unknown benchmark with exit code 2 and the list of names", async () => {
    const error = await run(process.execPath, ["--import", "tsx", join(ROOT, "bench/run.ts"), "nosuch"], {
      cwd: ROOT,
      timeout: 30_000,
    }).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toMatch(/unknown benchmark "nosuch"[\s\S]*incremental/);
  });
});

describe("docs sections and charts", () => {
  it("replaces a benchmark's generated section in place and leaves the rest", () => {
    const [start, end] = sectionMarkers("fanin");
    const doc = `# B\n\nintro\n\n${start}\nold\n${end}\n\n## after\n`;
    const next = replaceSection(doc, "fanin", "new table");
    expect(next).toBe(`# B\n\nintro\n\n${start}\nnew table\n${end}\n\n## after\n`);
    expect(replaceSection(next, "fanin", "newer")).toContain(`${start}\nnewer\n${end}`);
  });

  it("appends a section whose markers are absent", () => {
    const next = replaceSection("# B\n", "memory", "body");
    expect(next).toBe(`# B\n\n${sectionMarkers("memory")[0]}\nbody\n${sectionMarkers("memory")[1]}\n`);
  });

  it("draws a chart with a title, axis labels, a legend entry and a point per value", () => {
    const svg = lineChart({
      title: "Requests",
      xLabel: "N",
      yLabel: "requests",
      xs: [1, 10, 100],
      series: [
        { name: "oaktree", ys: [3, 4, 4] },
        { name: "sdk", ys: [6, 60, 600] },
      ],
    });
    expect(svg).toMatch(/^<svg /);
    for (const text of ["Requests", ">N<", ">requests<", ">oaktree<", ">sdk<", ">100<"])
      expect(svg).toContain(text);
    expect(svg.match(/<circle /g)).toHaveLength(6);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
  });
});
