/**
 * The simulator in its own process (so that it does not share a thread with the clients or the
 * oaktree service under test). Argument: the SimulatorOptions as JSON. Prints one line,
 * `{"url":..., "cloudsYaml":...}`, then serves until stdin closes (at most 30 minutes). Driven
 * over its admin HTTP API (`/_sim/...`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SimulatorOptions, startSimulator } from "@oaktree/sim";

const options = JSON.parse(process.argv[2] ?? "{}") as SimulatorOptions;
const sim = await startSimulator({ ...options, host: "127.0.0.1" });
const dir = mkdtempSync(join(tmpdir(), "oaktree-bench-sim-"));
const cloudsYaml = await sim.writeCloudsYaml(join(dir, "clouds.yaml"));
process.stdout.write(`${JSON.stringify({ url: sim.url, cloudsYaml })}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void sim.stop().then(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
};
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
setTimeout(stop, 30 * 60_000).unref();
