/**
 * A loopback TCP proxy a test can cut and restore: a network partition between one client
 * and a server (e.g. one replica and Redis) without stopping the server for everyone.
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";

/** A running {@link startTcpProxy}. */
export interface TcpProxy {
  readonly port: number;
  /**
   * "cut": drops every connection and refuses new ones; "blackhole": accepts and forwards
   * nothing (a peer that stopped answering); "open": forwards again.
   */
  set(mode: "open" | "cut" | "blackhole"): void;
  close(): Promise<void>;
}

/** Forwards 127.0.0.1:<returned port> to 127.0.0.1:`targetPort`. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let mode: "open" | "cut" | "blackhole" = "open";
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    track(client);
    if (mode === "cut") return client.destroy();
    if (mode === "blackhole") return;
    const upstream = createConnection({ port: targetPort, host: "127.0.0.1" });
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    set(next) {
      mode = next;
      if (next !== "open") for (const socket of sockets) socket.destroy();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
