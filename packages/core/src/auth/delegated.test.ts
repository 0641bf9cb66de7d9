import { describe, expect, it } from "vitest";
import { currentRequestId, detachFromCall, withRequestId } from "../http/request-context.js";
import { createDelegatedAuth, currentCallerToken, NoCallerTokenError, withCallerToken } from "./delegated.js";
import type { TokenInfo } from "./types.js";

const NOW = Date.parse("2026-12-04T12:00:00Z");

function token(name: string, expiresInMs: number, project = "p1"): TokenInfo {
  return {
    token: `tok-${name}`,
    identityVersion: "3",
    identityEndpoint: "http://keystone/v3",
    expiresAt: new Date(NOW + expiresInMs),
    issuedAt: new Date(NOW - 1000),
    project: { id: project },
    user: { id: `user-${name}` },
    roles: ["member"],
    catalog: [],
    methods: ["password"],
  };
}

describe("createDelegatedAuth", () => {
  it("uses the call's own token, even when a fresher one is pooled", async () => {
    const auth = createDelegatedAuth({ projectId: "p1", now: () => NOW });
    const fresh = token("fresh", 3_600_000);
    const old = token("old", 60_000);
    await withCallerToken(fresh, () => auth.getToken());
    expect(await withCallerToken(old, () => auth.getToken())).toBe("tok-old");
  });

  it("lends the freshest unexpired token of recent callers outside any call", async () => {
    let now = NOW;
    const auth = createDelegatedAuth({ projectId: "p1", now: () => now });
    await withCallerToken(token("a", 60_000), () => auth.getToken());
    await withCallerToken(token("b", 600_000), () => auth.getToken());
    await withCallerToken(token("c", 120_000), () => auth.getToken());
    expect(await auth.getToken()).toBe("tok-b");
    // b refused by the cloud (revoked): the next freshest.
    auth.invalidate("tok-b");
    expect(await auth.getToken()).toBe("tok-c");
    now = NOW + 130_000;
    await expect(auth.getToken()).rejects.toBeInstanceOf(NoCallerTokenError);
    expect(auth.pooled).toBe(0);
  });

  it("refuses a token of another project (a routing bug must not cross projects)", async () => {
    const auth = createDelegatedAuth({ projectId: "p1", now: () => NOW });
    await expect(withCallerToken(token("x", 60_000, "p2"), () => auth.getToken())).rejects.toThrow(
      /project p2 cannot act in project p1/,
    );
    expect(auth.pooled).toBe(0);
  });

  it("keeps at most maxPooled tokens, evicting the least recently used", async () => {
    const auth = createDelegatedAuth({ projectId: "p1", now: () => NOW, maxPooled: 2 });
    await withCallerToken(token("long", 900_000), () => auth.getToken());
    await withCallerToken(token("b", 60_000), () => auth.getToken());
    await withCallerToken(token("c", 60_000), () => auth.getToken());
    expect(auth.pooled).toBe(2);
    expect(await auth.getToken()).not.toBe("tok-long");
  });
});

describe("detachFromCall", () => {
  it("hides the call's token and request id from work it starts, also across timers", async () => {
    const seen = await withRequestId("req-1", () =>
      withCallerToken(token("a", 60_000), () => {
        const inside = { id: currentRequestId(), token: currentCallerToken()?.token };
        const detached = detachFromCall(
          () =>
            new Promise<{ id?: string; token?: string }>((resolve) =>
              setTimeout(() => resolve({ id: currentRequestId(), token: currentCallerToken()?.token }), 1),
            ),
        );
        return detached.then((outside) => ({ inside, outside }));
      }),
    );
    expect(seen.inside).toEqual({ id: "req-1", token: "tok-a" });
    expect(seen.outside).toEqual({ id: undefined, token: undefined });
  });
});
