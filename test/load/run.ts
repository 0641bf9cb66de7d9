import { execFileSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { runLoad } from "./load.js";

/**
 * `npm run load`: the full load run of issue #12 (1,000 WatchServers streams, 200 concurrent
 * CreateServer clients, 60 s) against one `oaktree serve` child process on the simulator.
 * Prints the figures as JSON with the date, commit and machine (docs/reliability.md, "Load").
 * LOAD_WATCHERS, LOAD_CREATORS and LOAD_SECONDS change the size; LOAD_PROCESSES the number of
 * watcher processes (default 4).
 */
const figures = await runLoad({
  watchers: Number(process.env.LOAD_WATCHERS ?? 1000),
  creators: Number(process.env.LOAD_CREATORS ?? 200),
  durationMs: Number(process.env.LOAD_SECONDS ?? 60) * 1000,
  ...(process.env.LOAD_PROCESSES && { clientProcesses: Number(process.env.LOAD_PROCESSES) }),
  log: (line) => console.error(line),
});
const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
const machine = `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
console.log(JSON.stringify({ date: new Date().toISOString(), commit, machine, ...figures }, null, 2));
const broken =
  figures.outOfOrderStreams > 0 ||
  figures.streamsLost > 0 ||
  figures.streamsBehind > 0 ||
  figures.serversCreated === 0;
process.exitCode = broken ? 1 : 0;
