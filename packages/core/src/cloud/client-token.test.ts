import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryBackend } from "../state/memory-backend.js";
import { CLIENT_TOKEN_LEASE_TTL_MS, ClientTokenLease } from "./client-token.js";
import type { CloudContext } from "./context.js";

/** The two things the lease uses from a context. */
function contextOn(backend = createMemoryBackend()): CloudContext {
  return { backend, scope: async () => "sim//project" } as unknown as CloudContext;
}

/** Tries once (the deadline has passed): resolves to the lease, or to the timeout error. */
function tryOnce(ctx: CloudContext, token: string): Promise<ClientTokenLease | Error> {
  return ClientTokenLease.acquire(ctx, token, {
    deadline: Date.now() - 1,
    onTimeout: () => new Error("busy"),
  }).catch((error: Error) => error);
}

afterEach(() => {
  vi.useRealTimers();
});

describe("ClientTokenLease", () => {
  it("is renewed while held: a create longer than the TTL keeps its token", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
    const ctx = contextOn();
    const holder = await ClientTokenLease.acquire(ctx, "tok", {
      deadline: Date.now() + 1000,
      onTimeout: () => new Error("busy"),
    });
    await vi.advanceTimersByTimeAsync(3 * CLIENT_TOKEN_LEASE_TTL_MS);
    expect(await tryOnce(ctx, "tok")).toBeInstanceOf(Error);
    await holder.release();
    expect(await tryOnce(ctx, "tok")).toBeInstanceOf(ClientTokenLease);
  });

  it("lets the creator delete only while it holds the token and nobody was handed the server", async () => {
    const skew = { ms: 0 };
    const ctx = contextOn(createMemoryBackend(() => Date.now() + skew.ms));
    const creator = await ClientTokenLease.acquire(ctx, "tok", {
      deadline: Date.now() + 1000,
      onTimeout: () => new Error("busy"),
    });
    expect(await creator.mayDelete("server-1")).toBe(true);
    // The creator stalls past the TTL; another call takes the token over.
    skew.ms += 2 * CLIENT_TOKEN_LEASE_TTL_MS;
    const other = await tryOnce(ctx, "tok");
    if (!(other instanceof ClientTokenLease)) throw other;
    expect(await creator.mayDelete("server-1")).toBe(false);
    await other.handOver("server-1", 60_000);
    await other.release();
    // Free again, but the server was handed over: still not the creator's to delete.
    expect(await creator.mayDelete("server-1")).toBe(false);
    expect(await creator.mayDelete("server-2")).toBe(true);
    await creator.release();
  });
});
