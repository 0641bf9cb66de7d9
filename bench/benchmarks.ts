/** The benchmarks `npm run bench` knows, by name (docs/benchmarks.md describes each). */
import type { BenchOutput } from "./lib/result.js";

/** What the harness gives a benchmark. */
export interface BenchContext {
  /** Tiny parameters (the CI smoke test): seconds, not minutes; the shape of the result only. */
  readonly tiny: boolean;
  /** A progress line on stderr. */
  log(line: string): void;
}

/** One benchmark. */
export interface Benchmark {
  readonly title: string;
  /** Not part of `all` (needs something beyond this repository, e.g. the real OpenStack). */
  readonly manual?: boolean;
  run(ctx: BenchContext): Promise<BenchOutput>;
}

const lazy =
  (path: string) =>
  async (ctx: BenchContext): Promise<BenchOutput> =>
    ((await import(path)) as { run: (ctx: BenchContext) => Promise<BenchOutput> }).run(ctx);

export const BENCHMARKS: Record<string, Benchmark> = {
  boot: {
    title: "boot with a floating IP, N = 100 at once on the simulator: oaktree vs openstacksdk",
    run: lazy("./boot.js"),
  },
  "boot-real": {
    title: "boot with a floating IP, N = 1, 10, 30 on the real OpenStack: oaktree vs openstacksdk",
    manual: true,
    run: async (ctx) => (await import("./boot.js")).runReal(ctx),
  },
  incremental: {
    title: "incremental polls: bytes and CPU of a changes-since poll vs a full list (10k servers)",
    run: lazy("./incremental.js"),
  },
  waiters: {
    title:
      "waiters: N concurrent waits through gRPC vs openstacksdk's per-server polling and shade's per-client lists",
    run: lazy("./waiters.js"),
  },
  fanin: {
    title: "fan-in: many clients listing servers through oaktree, requests at the cloud",
    run: lazy("./fanin.js"),
  },
  overhead: {
    title: "overhead: oaktree's gRPC calls under h2load vs an empty grpc-js handler",
    run: lazy("./overhead.js"),
  },
  replicas: {
    title: "replicas: 1 vs 3 oaktree replicas (memory vs Redis state) under the same waiters and listers",
    run: lazy("./replicas/run.js"),
  },
  memory: {
    title: "memory: RSS with 100k servers held across 10 projects, and with 10,000 open Watch streams",
    run: lazy("./memory.js"),
  },
};
