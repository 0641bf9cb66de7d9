import { Code, ConnectError } from "@connectrpc/connect";
import {
  AuthenticationError,
  type CloudConfig,
  ConnectionError,
  type TokenInfo,
  type TokenValidator,
} from "@oaktree/core";
import { describe, expect, it } from "vitest";
import { CallerAuthenticator } from "./caller-auth.js";
import { credentialFrom } from "./credentials.js";

const NOW = Date.parse("2026-12-04T12:00:00Z");
const config = { name: "site", auth: { authUrl: "https://keystone.example/v3" } } as CloudConfig;

function info(token: string, expiresInMs: number, project: string | null = "p1"): TokenInfo {
  return {
    token,
    identityVersion: "3",
    identityEndpoint: "https://keystone.example/v3",
    expiresAt: new Date(NOW + expiresInMs),
    issuedAt: new Date(NOW),
    ...(project && { project: { id: project, name: "demo" } }),
    user: { id: "u1" },
    roles: ["member"],
    catalog: [],
    methods: ["token"],
  };
}

/** A validator answering from `answer`, counting its calls; each call waits a tick (concurrency). */
function fakeKeystone(answer: (token: string) => TokenInfo | Error) {
  const asked: string[] = [];
  const validator: TokenValidator = {
    async validateToken(token) {
      asked.push(token);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const result = answer(token);
      if (result instanceof Error) throw result;
      return result;
    },
    async exchangeApplicationCredential(id, secret) {
      asked.push(`${id}:${secret}`);
      return info("from-app-credential", 3_600_000);
    },
  };
  return { validator, asked };
}

function setup(answer: (token: string) => TokenInfo | Error, ttlMs = 300_000) {
  let now = NOW;
  const keystone = fakeKeystone(answer);
  const auth = new CallerAuthenticator({ validatorFor: () => keystone.validator, ttlMs, now: () => now });
  return { auth, asked: keystone.asked, advance: (ms: number) => (now += ms) };
}

const token = (value: string) => ({ kind: "token", token: value }) as const;

describe("CallerAuthenticator", () => {
  it("asks keystone once per credential per TTL; concurrent calls share the request", async () => {
    const { auth, asked, advance } = setup((t) => info(t, 3_600_000), 300_000);
    await Promise.all([1, 2, 3].map(() => auth.authenticate(config, token("t1"))));
    await auth.authenticate(config, token("t1"));
    expect(asked).toEqual(["t1"]);
    advance(300_001);
    await auth.authenticate(config, token("t1"));
    expect(asked).toEqual(["t1", "t1"]);
  });

  it("trusts a validation no longer than the token lives", async () => {
    const { auth, asked, advance } = setup((t) => info(t, 60_000), 300_000);
    await auth.authenticate(config, token("short"));
    advance(61_000);
    await auth.authenticate(config, token("short"));
    expect(asked).toEqual(["short", "short"]);
  });

  it("refused: UNAUTHENTICATED without the token in the message, and not remembered", async () => {
    const { auth, asked } = setup(() => new AuthenticationError("keystone refused the token (404)"));
    for (let i = 0; i < 2; i++) {
      const error = await auth.authenticate(config, token("forged-xyz")).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectError);
      expect((error as ConnectError).code).toBe(Code.Unauthenticated);
      expect((error as ConnectError).message).not.toContain("forged-xyz");
    }
    expect(asked).toHaveLength(2);
  });

  it("keystone unreachable: UNAVAILABLE, not UNAUTHENTICATED", async () => {
    const { auth } = setup(
      () =>
        new ConnectionError({
          method: "GET",
          url: "https://keystone.example/v3/auth/tokens",
          detail: "connect ECONNREFUSED",
          code: "ECONNREFUSED",
        }),
    );
    const error = (await auth.authenticate(config, token("t")).catch((e: unknown) => e)) as ConnectError;
    expect(error.code).toBe(Code.Unavailable);
    expect(error.rawMessage).toMatch(/keystone of cloud "site" is unreachable/);
  });

  it("a token scoped to no project: PERMISSION_DENIED", async () => {
    const { auth } = setup((t) => info(t, 3_600_000, null));
    const error = (await auth
      .authenticate(config, token("unscoped"))
      .catch((e: unknown) => e)) as ConnectError;
    expect(error.code).toBe(Code.PermissionDenied);
  });

  it("keys its cache by a hash: no raw credential is kept as a key", async () => {
    const { auth } = setup((t) => info(t, 3_600_000));
    await auth.authenticate(config, token("raw-token-value"));
    await auth.authenticate(config, { kind: "application-credential", id: "ac", secret: "raw-secret" });
    const keys = [...(auth as unknown as { cache: Map<string, unknown> }).cache.keys()];
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).not.toContain("raw-token-value");
      expect(key).not.toContain("raw-secret");
    }
  });
});

describe("credentialFrom", () => {
  const headers = (init: Record<string, string>) => new Headers(init);
  it("reads a token or an application credential, and refuses both, neither or half", () => {
    expect(credentialFrom(headers({ "x-auth-token": " t " }))).toEqual({ kind: "token", token: "t" });
    expect(
      credentialFrom(headers({ "x-application-credential-id": "i", "x-application-credential-secret": "s" })),
    ).toEqual({ kind: "application-credential", id: "i", secret: "s" });
    const code = (init: Record<string, string>) => {
      try {
        credentialFrom(headers(init));
      } catch (error) {
        return (error as ConnectError).code;
      }
      return undefined;
    };
    expect(code({})).toBe(Code.Unauthenticated);
    expect(code({ "x-application-credential-secret": "s" })).toBe(Code.Unauthenticated);
    expect(code({ "x-auth-token": "t", "x-application-credential-id": "i" })).toBe(Code.Unauthenticated);
  });
});
