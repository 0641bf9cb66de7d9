/**
 * One creator process of the load run: `creators` clients, each creating a server (waiting for
 * ACTIVE), keeping it `holdMs` and deleting it, in a loop until `endAt`. Each create's times
 * are recorded by the wall clock: sent, accepted by the cloud (the stream's "the cloud
 * accepted server <id>" step, sent once POST /servers answered), first seen with the server,
 * done. Argument: CreatorArgs as JSON; sends progress and, at the end, its result over IPC.
 */
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ServerService } from "../../packages/server/src/gen/oaktree/v1/server_pb.js";
import {
  type CreateTimes,
  type CreatorArgs,
  type CreatorProgress,
  type CreatorResult,
  ownCpuSeconds,
} from "./messages.js";
import { sleep, wallClockMs } from "./processes.js";

const args = JSON.parse(process.argv[2] ?? "{}") as CreatorArgs;
const transport = createGrpcTransport({ baseUrl: `http://127.0.0.1:${args.port}`, pingIntervalMs: 30_000 });
const servers = createClient(ServerService, transport);
/** Words of core's step, as convert/server.ts writes it (the step carries no server yet). */
const acceptedStep = /the cloud accepted server (\S+)/;

const creates: CreateTimes[] = [];
let created = 0;
let failures = 0;
const errors: string[] = [];

const progress = setInterval(() => {
  process.send?.({ type: "progress", created, failures } satisfies CreatorProgress);
}, 5000);

await Promise.all(
  Array.from({ length: args.creators }, async (_, i) => {
    for (let n = 0; Date.now() < args.endAt; n += 1) {
      try {
        await sleep(Math.random() * args.jitterMs);
        const sentAt = wallClockMs();
        let times: { -readonly [K in keyof CreateTimes]: CreateTimes[K] } | undefined;
        for await (const step of servers.createServer(
          {
            name: `load-${args.prefix}-${i}-${n}`,
            image: args.image,
            flavor: args.flavor,
            autoIp: false,
            wait: true,
          },
          { timeoutMs: 120_000 },
        )) {
          const at = wallClockMs();
          const accepted = acceptedStep.exec(step.progress?.message ?? "");
          if (!times && accepted?.[1]) times = { id: accepted[1], sentAt, acceptedAt: at };
          if (times && times.seenAt === undefined && step.server?.id) times.seenAt = at;
          if (times) times.doneAt = at;
        }
        if (!times) throw new Error(`the create of load-${args.prefix}-${i}-${n} never said it was accepted`);
        creates.push(times);
        created += 1;
        await sleep(args.holdMs);
        for await (const _ of servers.deleteServer({ nameOrId: times.id }, { timeoutMs: 120_000 })) {
          // until deleted
        }
      } catch (error) {
        failures += 1;
        if (errors.length < 5) errors.push(String(error));
        await sleep(500);
      }
    }
  }),
);
clearInterval(progress);
const result: CreatorResult = {
  type: "result",
  created,
  failures,
  errors,
  creates,
  cpuSeconds: ownCpuSeconds(),
};
process.send?.(result, () => process.exit(0));
