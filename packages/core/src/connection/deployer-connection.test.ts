import { describe, expect, it } from "vitest";
import { createDelegatedAuth, withCallerToken } from "../auth/delegated.js";
import type { TokenInfo } from "../auth/types.js";
import { cloudConfig, fakeHandler } from "../catalog/testdata/fixtures.js";
import type { RateLimit, RateLimiter } from "../http/rate-limit.js";
import { connect } from "./connect.js";

const caller = (project: string): TokenInfo => ({
  token: `tok-${project}`,
  identityVersion: "3",
  identityEndpoint: "https://identity.example.com/v3",
  expiresAt: new Date(Date.now() + 3_600_000),
  issuedAt: new Date(),
  project: { id: project },
  user: { id: "u" },
  roles: ["member"],
  catalog: [],
  methods: ["token"],
});

/** A limiter that admits everything and records the keys it was asked for. */
function recordingLimiter(): RateLimiter & { keys: string[] } {
  const keys: string[] = [];
  return {
    keys,
    async acquire(key: string, _limit: RateLimit) {
      keys.push(key);
      return () => undefined;
    },
    penalize(key: string) {
      keys.push(`penalize ${key}`);
    },
  };
}

describe("a deployer-mode connection (delegated auth, one per project)", () => {
  it("sends the caller's token, needs no credentials in its config, and keys a shared limiter by its scope", async () => {
    const transport = fakeHandler({
      "GET https://compute.example.com/v2.1/servers": { body: { servers: [] } },
    });
    const limiter = recordingLimiter();
    // No username, password or token: deployer mode's clouds.yaml entry.
    const config = cloudConfig(
      { authUrl: "https://identity.example.com" },
      { rateLimits: { "*": { requestsPerSecond: 100 } } },
    );
    const connections = await Promise.all(
      ["p1", "p2"].map((project) =>
        connect(config, {
          transport,
          lazy: true,
          auth: createDelegatedAuth({ projectId: project }),
          rateLimiter: limiter,
          rateLimitScope: `RegionOne/${project}`,
        }),
      ),
    );
    for (const [i, project] of ["p1", "p2"].entries()) {
      await withCallerToken(caller(project), () =>
        connections[i]?.handler({
          method: "GET",
          url: "https://compute.example.com/v2.1/servers",
          headers: new Headers(),
          serviceType: "compute",
        }),
      );
    }
    expect(transport.requests.map((request) => request.headers.get("x-auth-token"))).toEqual([
      "tok-p1",
      "tok-p2",
    ]);
    expect(limiter.keys).toEqual(["test/compute@RegionOne/p1", "test/compute@RegionOne/p2"]);
  });
});
