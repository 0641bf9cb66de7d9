import * as grpc from "@grpc/grpc-js";
import { toGrpcService } from "../../packages/server/src/grpc/adapter.js";
import { createHandlers } from "../../packages/server/src/handlers/index.js";
import { type SimServer, startSimServer } from "../../packages/server/src/testing/sim-server.js";

/** oaktree's gRPC listener on 127.0.0.1 over the simulator, for clients in other languages. */
export interface InteropServer {
  /** HOST:PORT of the gRPC listener. */
  readonly grpcAddress: string;
  /** An image and a flavor of the simulator, by name. */
  readonly image: string;
  readonly flavor: string;
  /** What is left in the project: servers and floating IPs. */
  leftovers(): Promise<{ servers: number; floatingIps: number }>;
  close(): Promise<void>;
}

/** Starts the simulator (profile modern) and every oaktree service on a grpc-js listener. */
export async function startInteropServer(): Promise<InteropServer> {
  const s: SimServer = await startSimServer("modern", { simulator: { buildDelayMs: 100 } });
  const server = new grpc.Server();
  try {
    for (const service of createHandlers({ clouds: s.clouds })) {
      const { definition, implementation } = toGrpcService(service);
      server.addService(definition, implementation);
    }
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    const cloud = await s.clouds.resolve(undefined);
    const [image] = await cloud.listImages({ filters: { visibility: "public" } });
    if (!image) throw new Error("the simulator has no public image");
    return {
      grpcAddress: `127.0.0.1:${port}`,
      image: image.name,
      flavor: "m1.tiny",
      async leftovers() {
        const [servers, floatingIps] = await Promise.all([cloud.listServers(), cloud.listFloatingIps()]);
        return { servers: servers.length, floatingIps: floatingIps.length };
      },
      async close() {
        // Bounded: a stream a client left open must not hold the test.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            server.forceShutdown();
            resolve();
          }, 5_000);
          server.tryShutdown(() => {
            clearTimeout(timer);
            resolve();
          });
        });
        await s.close();
      },
    };
  } catch (error) {
    server.forceShutdown();
    await s.close();
    throw error;
  }
}
