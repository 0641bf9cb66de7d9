/**
 * The simulator in its own process for the load run, so that the clients' thousand streams do
 * not slow down the cloud that oaktree polls (in one thread, they did: every poll waited behind
 * the clients' events). Argument: SimulatorOptions as JSON. Lifts the demo project's quotas,
 * prints one line `{"url":..., "cloudsYaml":...}`, then serves until stdin closes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SimulatorOptions, startSimulator } from "@oaktree/sim";

const options = JSON.parse(process.argv[2] ?? "{}") as SimulatorOptions;
const sim = await startSimulator({ ...options, host: "127.0.0.1" });
sim.admin.setQuota("compute", "demo", { instances: -1, cores: -1, ram: -1 });
sim.admin.setQuota("network", "demo", { port: -1 });
const dir = mkdtempSync(join(tmpdir(), "oaktree-load-sim-"));
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
