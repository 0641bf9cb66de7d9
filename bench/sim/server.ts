/** The benchmark's simulator in its own process (so the load generator does not share its thread). */
import { startSimulator } from "@oaktree/sim";

const count = Number(process.argv[2] ?? 10_000);
const sim = await startSimulator({ profile: "modern", buildDelayMs: 0 });
const t0 = performance.now();
sim.admin.seed({ servers: [{ project: "demo", count }] });
process.stdout.write(`${JSON.stringify({ url: sim.url, seedMs: Math.round(performance.now() - t0) })}\n`);
// Bounded: stops when the parent closes stdin, or after 10 minutes at most.
const stop = () => void sim.stop().then(() => process.exit(0));
process.stdin.on("end", stop).resume();
setTimeout(stop, 600_000).unref();
