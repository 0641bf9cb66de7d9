/**
 * A loopback TCP proxy a test can cut and restore: a network partition between one client
 * and a server (e.g. one replica and Redis) without stopping the server for everyone.
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";

/** A running {@link startTcpProxy}. */
export interface TcpProxy {
  readonly port: number;
  /**
   * "cut": drops every connection and refuses new ones; "blackhole": drops them, then accepts
   * and forwards nothing (a peer that stopped answering); "stall": keeps the connections but
   * holds every byte (a peer that hangs without closing) until "open" lets them through.
   */
  set(mode: "open" | "cut" | "blackhole" | "stall"): void;
  close(): Promise<void>;
}

/** Forwards 127.0.0.1:<returned port> to 127.0.0.1:`targetPort`. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let mode: "open" | "cut" | "blackhole" | "stall" = "open";
  const pipes = new Set<{ readonly from: Socket; readonly to: Socket }>();
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
    pipes.add({ from: client, to: upstream });
    pipes.add({ from: upstream, to: client });
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
      const was = mode;
      mode = next;
      if (next === "stall") {
        for (const { from, to } of pipes) from.unpipe(to);
        for (const { from } of pipes) from.pause();
      } else if (next === "open" && was === "stall") {
        for (const { from, to } of pipes) if (!from.destroyed && !to.destroyed) from.pipe(to);
      } else if (next !== "open") for (const socket of sockets) socket.destroy();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
