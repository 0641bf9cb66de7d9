/**
 * The benchmark harness: `npm run bench -- NAME [NAME...]`, `npm run bench -- all`.
 *
 * Each benchmark (bench/NAME.ts) returns its parameters, figures and a markdown section; the
 * harness adds the machine, its load, the commit and the date, writes the JSON result to
 * bench/results/NAME-DATE.json and the section (and chart) into docs/benchmarks.md.
 *
 * Flags: `--tiny` runs on tiny parameters (the CI smoke test; writes no docs unless `--docs`),
 * `--out DIR` writes the JSON there instead of bench/results, `--no-docs` leaves
 * docs/benchmarks.md alone.
 */
import { join } from "node:path";
import { BENCHMARKS, type Benchmark } from "./benchmarks.js";
import { type BenchResult, commit, machine, ROOT, writeDocs, writeResult } from "./lib/result.js";

function usage(): never {
  console.error(
    `usage: npm run bench -- NAME... | all [--tiny] [--out DIR] [--no-docs]\nbenchmarks: ${Object.keys(BENCHMARKS).join(", ")}`,
  );
  process.exit(2);
}

const args = process.argv.slice(2);
const tiny = args.includes("--tiny");
const outIndex = args.indexOf("--out");
const outDir = outIndex === -1 ? join(ROOT, "bench/results") : args[outIndex + 1];
if (outDir === undefined) usage();
const docs = args.includes("--docs") || (!tiny && !args.includes("--no-docs"));
const names = args.filter((a, i) => !a.startsWith("--") && (outIndex === -1 || i !== outIndex + 1));
if (names.length === 0) usage();
const selected: [string, Benchmark][] = names.includes("all")
  ? Object.entries(BENCHMARKS).filter(([, b]) => !b.manual)
  : names.map((name) => {
      const bench = BENCHMARKS[name];
      if (!bench) {
        console.error(`bench: unknown benchmark "${name}"`);
        usage();
      }
      return [name, bench];
    });

let failed = 0;
for (const [name, bench] of selected) {
  const before = machine();
  const started = Date.now();
  console.error(`bench ${name}: ${bench.title}${tiny ? " (tiny)" : ""}`);
  try {
    const output = await bench.run({ tiny, log: (line) => console.error(`  ${name}: ${line}`) });
    const result: BenchResult = {
      benchmark: name,
      date: new Date(started).toISOString(),
      commit: commit(),
      machine: before,
      loadAverageAfter: machine().loadAverage,
      durationMs: Date.now() - started,
      parameters: { ...output.parameters, tiny },
      figures: output.figures,
    };
    const path = writeResult(outDir, result);
    if (docs) writeDocs(result, output);
    console.error(`bench ${name}: done in ${Math.round(result.durationMs / 1000)} s, ${path}`);
    console.log(path);
  } catch (error) {
    failed += 1;
    console.error(
      `bench ${name}: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
}
process.exit(failed > 0 ? 1 : 0);
