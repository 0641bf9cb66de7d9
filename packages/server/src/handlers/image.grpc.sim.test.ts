import { createHash } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import { Stage } from "../gen/oaktree/v1/common_pb.js";
import { type CreateImageResponse, ImageService } from "../gen/oaktree/v1/image_pb.js";
import { toGrpcService } from "../grpc/adapter.js";
import { type SimServer, startSimServer } from "../testing/sim-server.js";
import { createHandlers, type ServiceHandlers } from "./index.js";

const CHUNK = 64 * 1024;

let s: SimServer | undefined;
let server: grpc.Server | undefined;
let client: grpc.Client | undefined;
afterEach(async () => {
  client?.close();
  server?.forceShutdown();
  await s?.close();
  s = server = client = undefined;
});

/** The generic client's CreateImage (grpc-js builds it from the adapter's definitions). */
interface ImagesStub {
  CreateImage(): grpc.ClientDuplexStream<unknown, CreateImageResponse>;
}

/** ImageService's real handlers behind grpc-js on loopback, and a generic client of it. */
async function serveImages(): Promise<{ sim: SimServer; stub: ImagesStub }> {
  let services: ServiceHandlers[] = [];
  s = await startSimServer("modern", {
    handlers: (deps) => {
      services = createHandlers(deps);
      return services;
    },
  });
  const images = services.find((handlers) => handlers.service.typeName === ImageService.typeName);
  if (!images) throw new Error("no ImageService handlers");
  const { definition, implementation } = toGrpcService(images);
  server = new grpc.Server();
  server.addService(definition, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server?.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const Client = grpc.makeGenericClientConstructor(definition, ImageService.typeName);
  client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return { sim: s, stub: client as unknown as ImagesStub };
}

describe("CreateImage over native gRPC (grpc-js)", () => {
  it("uploads 4 MiB written in 64 KiB messages with backpressure, to an active image", async () => {
    const { stub } = await serveImages();
    const data = new Uint8Array(4 * 1024 * 1024).map((_, i) => (i * 13) & 0xff);
    const call = stub.CreateImage();
    const events: CreateImageResponse[] = [];
    call.on("data", (event: CreateImageResponse) => events.push(event));
    const status = new Promise<grpc.StatusObject>((resolve) => call.on("status", resolve));
    call.write({ spec: { name: "over-grpc", diskFormat: "raw", size: BigInt(data.length) } });
    for (let at = 0; at < data.length; at += CHUNK) {
      // Respect HTTP/2 flow control as a real client does: wait for drain when the buffer is full.
      if (!call.write({ data: data.subarray(at, at + CHUNK) })) {
        await new Promise((resolve) => call.once("drain", resolve));
      }
    }
    call.end();
    expect((await status).code).toBe(grpc.status.OK);
    const done = events.at(-1);
    expect(done?.progress?.stage).toBe(Stage.DONE);
    expect(done?.image?.status).toBe("active");
    expect(Number(done?.image?.size)).toBe(data.length);
    expect(done?.image?.checksum).toBe(createHash("md5").update(data).digest("hex"));
    const uploaded = events.filter((event) => event.progress?.stage === Stage.UPLOADING);
    expect(Number(uploaded.at(-1)?.progress?.bytesDone)).toBe(data.length);
  });

  it("a stream ended before the spec is INVALID_ARGUMENT", async () => {
    const { stub, sim } = await serveImages();
    sim.sim.admin.reset();
    const call = stub.CreateImage();
    call.on("data", () => undefined);
    call.on("error", () => undefined);
    const status = new Promise<grpc.StatusObject>((resolve) => call.on("status", resolve));
    call.end();
    const ended = await status;
    expect(ended.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(ended.details).toMatch(/^spec:/);
    expect(sim.sim.admin.log()).toEqual([]);
  });
});
