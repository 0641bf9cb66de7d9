import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FlavorList } from "../gen-legacy/flavor_pb.js";
import type { Image, ImageList } from "../gen-legacy/image_pb.js";
import { toGrpcService } from "../grpc/adapter.js";
import { createHandlers } from "../handlers/index.js";
import { type SimServer, startSimServer } from "../testing/sim-server.js";

// The 2017 service over real HTTP/2 (grpc-js), registered through createHandlers like every
// oaktree.v1 service, so that it is served on the same port: a 2017 client only knows the
// path /oaktree.Oaktree/<Method> and the 2017 messages.

let s: SimServer;
let server: grpc.Server;
let client: grpc.Client;

beforeAll(async () => {
  s = await startSimServer("modern");
  server = new grpc.Server();
  for (const service of createHandlers({ clouds: s.clouds })) {
    const { definition, implementation } = toGrpcService(service);
    server.addService(definition, implementation);
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const legacy = createHandlers({ clouds: s.clouds }).find((h) => h.service.typeName === "oaktree.Oaktree");
  if (!legacy) throw new Error("createHandlers does not list oaktree.Oaktree");
  const Client = grpc.makeGenericClientConstructor(toGrpcService(legacy).definition, "Oaktree");
  client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client?.close();
  server?.forceShutdown();
  await s?.close();
});

function call<T>(method: string, filter: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    (client as unknown as Record<string, (...args: unknown[]) => void>)[method]?.call(
      client,
      filter,
      { deadline: Date.now() + 10_000 },
      (error: grpc.ServiceError | null, response: T) => (error ? reject(error) : resolve(response)),
    );
  });
}

async function failure(promise: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error("expected the call to fail");
}

describe("oaktree.Oaktree over grpc-js, on the port of oaktree.v1", () => {
  it("answers ListFlavors and ListImages with the 2017 messages", async () => {
    const { flavors } = await call<FlavorList>("ListFlavors", { location: { cloud: "sim" } });
    expect(flavors.map((flavor) => flavor.name)).toEqual(
      expect.arrayContaining(["m1.nano", "m1.tiny", "m1.small"]),
    );
    expect(flavors.every((flavor) => flavor.location?.cloud === "sim")).toBe(true);
    const { images } = await call<ImageList>("ListImages", { jmespath: "[?is_public]" });
    expect(images.length).toBeGreaterThan(0);
    const image = await call<Image>("GetImage", { nameOrId: images[0]?.name });
    expect(image.id).toBe(images[0]?.id);
  });

  it("answers a missing name with NOT_FOUND, and a bad JMESPath with INVALID_ARGUMENT naming it", async () => {
    const missing = await failure(call("GetFlavor", { nameOrId: "m1.gigantic" }));
    expect(missing.code).toBe(grpc.status.NOT_FOUND);
    expect(missing.details).toContain('flavor "m1.gigantic" not found');
    const bad = await failure(call("ListFlavors", { jmespath: "[?" }));
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(bad.details).toMatch(/^jmespath: /);
  });
});
