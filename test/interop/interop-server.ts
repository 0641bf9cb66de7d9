import { type SimServe, startSimServe } from "../../packages/server/src/testing/sim-serve.js";

/** `oaktree serve` (its gRPC listener on 127.0.0.1) over the simulator, for clients in other languages. */
export interface InteropServer {
  /** HOST:PORT of the gRPC listener. */
  readonly grpcAddress: string;
  /** An image and a flavor of the simulator, by name. */
  readonly image: string;
  readonly flavor: string;
  /** What is left in the project: servers and floating IPs. */
  leftovers(): Promise<{ servers: number; floatingIps: number }>;
  /** Deletes a server a client made, with its floating IPs. */
  deleteServer(nameOrId: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts the simulator (profile modern) and `serve()` on it, as `oaktree serve` runs it. */
export async function startInteropServer(): Promise<InteropServer> {
  const s: SimServe = await startSimServe({ profile: "modern", flags: { logLevel: "warn" } });
  try {
    const cloud = await s.server.clouds.resolve(undefined);
    const [image] = await cloud.listImages({ filters: { visibility: "public" } });
    if (!image) throw new Error("the simulator has no public image");
    return {
      grpcAddress: s.server.grpcAddress,
      image: image.name,
      flavor: "m1.tiny",
      async leftovers() {
        const [servers, floatingIps] = await Promise.all([cloud.listServers(), cloud.listFloatingIps()]);
        return { servers: servers.length, floatingIps: floatingIps.length };
      },
      async deleteServer(nameOrId) {
        await cloud.deleteServer(nameOrId, { deleteIps: true });
      },
      close: () => s.close(),
    };
  } catch (error) {
    await s.close();
    throw error;
  }
}
