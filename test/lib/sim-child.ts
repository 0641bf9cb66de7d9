/**
 * The simulator in its own process, so that it does not share a thread with the clients or the
 * oaktree service under test (in one thread, every poll of oaktree waited behind the clients'
 * events). Started by sim-process.ts. Argument: {@link SimChildOptions} as JSON. Prints one line,
 * `{"url":..., "cloudsYaml":...}`, then serves until stdin closes or SIGTERM (at most 30 minutes).
 * Driven over its admin HTTP API (`/_sim/...`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSimulator } from "@oaktree/sim";
import type { SimChildOptions } from "./sim-process.js";

const { simulator = {}, liftQuotas = false } = JSON.parse(process.argv[2] ?? "{}") as SimChildOptions;
const sim = await startSimulator({ ...simulator, host: "127.0.0.1" });
if (liftQuotas) {
  // A load run creates far more servers (and ports) than the demo project's quota allows.
  sim.admin.setQuota("compute", "demo", { instances: -1, cores: -1, ram: -1 });
  sim.admin.setQuota("network", "demo", { port: -1 });
}
const dir = mkdtempSync(join(tmpdir(), "oaktree-sim-child-"));
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
