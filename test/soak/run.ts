/**
 * `npm run soak [-- --cycles N --concurrency N --restarts N --state memory|redis --no-faults --write --diagnose DIR]`: the chaos soak
 * (test/soak/soak.ts). Without --restarts it runs twice: once without restarts (memory measured),
 * once with oaktree SIGKILLed three times. --write puts the figures in docs/reliability.md with the
 * date and commit. Exits 1 when a promise does not hold.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatReport, verdicts } from "./report.js";
import { runSoak } from "./soak.js";

const { values } = parseArgs({
  options: {
    cycles: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "20" },
    restarts: { type: "string" },
    "no-faults": { type: "boolean", default: false },
    state: { type: "string", default: "memory" },
    write: { type: "boolean", default: false },
    diagnose: { type: "string" },
  },
});
const int = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: expected an integer >= 0, got "${text}"`);
  return n;
};
const cycles = int("cycles", values.cycles);
const concurrency = int("concurrency", values.concurrency);
if (values.state !== "memory" && values.state !== "redis") {
  throw new Error(`--state: expected memory or redis, got "${values.state}"`);
}
const state = values.state;
const variants = values.restarts === undefined ? [0, 3] : [int("restarts", values.restarts)];
const log = (line: string) => process.stdout.write(`soak: ${line}\n`);

const root = fileURLToPath(new URL("../../", import.meta.url));
const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root }).toString().trim();
const date = new Date().toISOString().slice(0, 10);
let markdown = `_${date}, commit ${commit}, ${process.platform} ${process.arch}, node ${process.version}; \`npm run soak${process.argv.slice(2).length > 0 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}\`_\n\n`;
let allHold = true;
for (const restarts of variants) {
  log(
    `${cycles} cycles, ${concurrency} at a time, ${restarts} restarts, faults ${values["no-faults"] ? "off" : "on"}`,
  );
  const diagnose = values.diagnose && join(values.diagnose, `restarts-${restarts}`);
  if (diagnose) mkdirSync(diagnose, { recursive: true });
  const report = await runSoak({
    cycles,
    concurrency,
    restarts,
    state,
    faults: !values["no-faults"],
    log,
    ...(diagnose && { diagnose }),
  });
  const section = formatReport(
    report,
    restarts === 0 ? "Without restarts" : `With oaktree SIGKILLed ${restarts} times`,
  );
  process.stdout.write(`\n${section}\n`);
  if (report.oaktreeStderr.trim() !== "")
    process.stdout.write(`oaktree's stderr (last lines):\n${report.oaktreeStderr}\n`);
  markdown += `${section}\n`;
  allHold &&= Object.values(verdicts(report)).every(Boolean);
}
if (values.write) {
  const path = fileURLToPath(new URL("../../docs/reliability.md", import.meta.url));
  const doc = readFileSync(path, "utf8");
  const begin = "<!-- soak:begin -->";
  const end = "<!-- soak:end -->";
  const a = doc.indexOf(begin);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${path}: no ${begin} ... ${end} section to write the figures in`);
  writeFileSync(path, `${doc.slice(0, a + begin.length)}\n${markdown}${doc.slice(b)}`);
  log(`figures written to ${path}`);
}
process.exitCode = allHold ? 0 : 1;
