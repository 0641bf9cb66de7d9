import { create, type DescMethod, type DescService } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BadRequestSchema } from "../../packages/server/src/gen/google/rpc/error_details_pb.js";
import { FlavorService } from "../../packages/server/src/gen/oaktree/v1/flavor_pb.js";
import { ImageService } from "../../packages/server/src/gen/oaktree/v1/image_pb.js";
import { LocationSchema } from "../../packages/server/src/gen/oaktree/v1/location_pb.js";
import { NetworkService } from "../../packages/server/src/gen/oaktree/v1/network_pb.js";
import { LocationSchema as LegacyLocationSchema } from "../../packages/server/src/gen-legacy/common_pb.js";
import { createHandlers } from "../../packages/server/src/handlers/index.js";
import { type SimServer, startSimServer } from "../../packages/server/src/testing/sim-server.js";
import { messageArbitrary } from "./message-arbitrary.js";

/**
 * Every request message of oaktree.v1 and of the 2017 oaktree.Oaktree, generated from its
 * descriptor with hostile and boundary values, sent to its method over the in-memory transport
 * on a simulator. Each call must end as a correct answer, INVALID_ARGUMENT naming a field
 * (google.rpc.BadRequest), or a typed cloud error; never UNKNOWN/INTERNAL, never past its
 * deadline, and no value oaktree should have refused may reach the cloud (no 400 in the
 * simulator's request log). OAKTREE_FUZZ_RUNS raises the run count per method (default 4);
 * a failure prints fast-check's seed and path to replay it.
 */

const RUNS = Number(process.env.OAKTREE_FUZZ_RUNS ?? 4);
/** The deadline of each call; an answer later than this plus the slack is a hang. */
const DEADLINE_MS = 4000;
const SLACK_MS = 2500;
/** How long a stream (a watch runs forever) is read before the test lets go. */
const STREAM_READ_MS = 800;

/** Codes that say "oaktree has a bug" (or a method not served). */
const FORBIDDEN = new Set([Code.Unknown, Code.Internal, Code.Unimplemented, Code.DataLoss]);

let s: SimServer;
let names: string[] = [];

beforeAll(async () => {
  s = await startSimServer("modern", {
    simulator: { buildDelayMs: 20, deleteDelayMs: 20, logCapacity: 1_000_000 },
  });
  const flavors = (await s.client(FlavorService).listFlavors({})).flavors;
  const images = (await s.client(ImageService).listImages({})).images;
  const networks = (await s.client(NetworkService).listNetworks({})).networks;
  names = [...flavors, ...images, ...networks].flatMap((r) => [r.name, r.id]).filter(Boolean);
  names.push("sim", "public", "private");
});

afterAll(async () => {
  await s?.close();
});

/** Services and their methods, from the handlers the server really serves. */
const services: DescService[] = createHandlers({ clouds: undefined as never }).map((h) => h.service);

/** Mostly the default cloud (so calls reach it), sometimes a hostile location. */
function locations(schemaName: string) {
  const hostile = fc.record(
    {
      cloud: fc.constantFrom("", "sim", "no-such-cloud", "\u0000", "x".repeat(10_000)),
      region: fc.constantFrom("", "RegionOne", "nowhere", "名前"),
      zone: fc.constantFrom("", "nova", "\n"),
    },
    { requiredKeys: [] },
  );
  return {
    [schemaName]: fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: hostile }),
  };
}

interface Outcome {
  readonly code?: Code;
  readonly message?: string;
  readonly field?: string;
  readonly elapsedMs: number;
}

async function invoke(service: DescService, method: DescMethod, input: unknown): Promise<Outcome> {
  const client = createClient(service, s.transport) as unknown as Record<
    string,
    (input: unknown, options: object) => unknown
  >;
  const call = client[method.localName] as (input: unknown, options: object) => unknown;
  const started = performance.now();
  const controller = new AbortController();
  try {
    if (method.methodKind === "unary") {
      await call(input, { timeoutMs: DEADLINE_MS, signal: controller.signal });
    } else {
      const request =
        method.methodKind === "bidi_streaming" || method.methodKind === "client_streaming"
          ? (async function* () {
              yield input;
            })()
          : input;
      const stream = call(request, {
        timeoutMs: DEADLINE_MS,
        signal: controller.signal,
      }) as AsyncIterable<unknown>;
      const stopReading = setTimeout(() => controller.abort(), STREAM_READ_MS);
      try {
        for await (const _ of stream) {
          // read until the stream ends, fails, or the test lets go
        }
      } finally {
        clearTimeout(stopReading);
      }
    }
    return { elapsedMs: performance.now() - started };
  } catch (error) {
    const e = ConnectError.from(error);
    if (e.code === Code.Canceled && controller.signal.aborted)
      return { elapsedMs: performance.now() - started };
    return {
      code: e.code,
      message: e.rawMessage,
      field: e.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.field,
      elapsedMs: performance.now() - started,
    };
  }
}

/** fast-check's failure report with huge generated strings cut (a 70 kB name fills a terminal). */
function shortReport<T>(details: fc.RunDetails<T>): void {
  if (!details.failed) return;
  const cut = (text: string) =>
    text.replace(/(.)\1{80,}/gs, (run, c: string) => `${c.repeat(20)}…(${run.length}×)`);
  throw new Error(
    `property failed: seed ${details.seed}, path "${details.counterexamplePath}" (replay with these)\n` +
      `counterexample: ${cut(fc.stringify(details.counterexample))}\n` +
      `error: ${cut(String((details.errorInstance as Error)?.message ?? details.errorInstance))}`,
  );
}

/** Requests the simulator refused as bad (400) since `from`: values oaktree should have refused. */
function badRequestsSince(from: number) {
  return s.sim.admin
    .log()
    .slice(from)
    .filter((entry) => entry.status === 400)
    .map((entry) => `${entry.method} ${entry.path}?${entry.query} -> 400`);
}

describe.each(services.map((service) => [service.typeName, service] as const))("fuzz %s", (_, service) => {
  it.each(service.methods.map((method) => [method.name, method] as const))(
    "%s: hostile requests end in a typed status, never UNKNOWN/INTERNAL or a hang",
    async (_name, method) => {
      const arbitrary = messageArbitrary(method.input, {
        names,
        overrides: { ...locations(LocationSchema.typeName), ...locations(LegacyLocationSchema.typeName) },
      });
      await fc.assert(
        fc.asyncProperty(arbitrary, async (request) => {
          const logFrom = s.sim.admin.log().length;
          const outcome = await invoke(service, method, create(method.input, request as never));
          const where = `${service.typeName}/${method.name}`;
          expect(
            outcome.code === undefined || !FORBIDDEN.has(outcome.code),
            `${where}: ${outcome.message}`,
          ).toBe(true);
          if (outcome.code === Code.InvalidArgument) {
            expect(
              outcome.field,
              `${where}: INVALID_ARGUMENT without a field: ${outcome.message}`,
            ).toBeTruthy();
          }
          expect(outcome.elapsedMs, `${where}: answered after its deadline`).toBeLessThan(
            DEADLINE_MS + SLACK_MS,
          );
          expect(
            badRequestsSince(logFrom),
            `${where}: the cloud refused a value oaktree let through`,
          ).toEqual([]);
        }),
        { numRuns: RUNS, endOnFailure: true, reporter: shortReport },
      );
    },
    60_000,
  );
});
