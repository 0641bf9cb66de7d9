import { describe, expect, it } from "vitest";
import { type CannedResponse, cloudConfig, fakeHandler, fixture } from "../catalog/testdata/fixtures.js";
import { ValidationError } from "../errors.js";
import type { HttpRequest } from "../http/types.js";
import { AuthenticationError, createKeystoneAuth, planAuth } from "./keystone.js";

const ROOT = "https://keystone.example.com";
const versions = (status = 300): CannedResponse => ({
  status,
  body: fixture("openstacksdk-unit-fixtures/discovery.json"),
});
const v3Token = (
  token = "tok-1",
  path = "keystone/v3/samples/auth/responses/project-scoped-password.json",
) => ({
  status: 201,
  headers: { "x-subject-token": token },
  body: fixture(path),
});

function bodyOf(request: HttpRequest | undefined): unknown {
  return request?.body?.kind === "json" ? request.body.value : undefined;
}

describe("planAuth: validation before any I/O", () => {
  it.each([
    [{ authUrl: "" }, "password", "/tmp/clouds.yaml: clouds.test.auth.auth_url: is required"],
    [{ authUrl: "keystone:5000" }, "password", "auth_url: must be an http(s) URL"],
    [{ authUrl: ROOT, username: "u" }, "password", "clouds.test.auth.password: is required"],
    [{ authUrl: ROOT, password: "p" }, "v3password", "clouds.test.auth.username: is required (or user_id)"],
    [{ authUrl: ROOT }, "v3token", "clouds.test.auth.token: is required"],
    [
      { authUrl: ROOT, applicationCredentialId: "a" },
      "v3applicationcredential",
      "application_credential_secret",
    ],
    [
      { authUrl: ROOT, applicationCredentialName: "a", applicationCredentialSecret: "s" },
      "v3applicationcredential",
      "username: is required (or user_id) with application_credential_name",
    ],
  ] as const)("%o (%s)", (auth, authType, message) => {
    expect(() => planAuth(cloudConfig(auth, { authType }))).toThrow(ValidationError);
    expect(() => planAuth(cloudConfig(auth, { authType }))).toThrow(message);
  });

  it("picks the identity versions from auth_type and identity_api_version", () => {
    const pw = { authUrl: ROOT, username: "u", password: "p" };
    expect(planAuth(cloudConfig(pw)).majors).toEqual([3, 2]);
    expect(planAuth(cloudConfig(pw, { apiVersions: { identity: "2.0" } })).majors).toEqual([2]);
    expect(planAuth(cloudConfig(pw, { apiVersions: { identity: "3" } })).majors).toEqual([3]);
    expect(planAuth(cloudConfig(pw, { authType: "v2password" })).majors).toEqual([2]);
  });
});

describe("createKeystoneAuth: v3", () => {
  it("discovers v3 from an unversioned auth_url and sends a password request with domains", async () => {
    const send = fakeHandler({
      [`GET ${ROOT}/`]: versions(),
      [`POST ${ROOT}/v3/auth/tokens`]: v3Token(),
    });
    const auth = createKeystoneAuth(
      cloudConfig({
        authUrl: ROOT,
        username: "admin",
        password: "secret",
        projectName: "admin",
        userDomainName: "Users",
        projectDomainId: "default",
      }),
      { send },
    );
    const info = await auth.authenticate();
    expect(send.requests.map((r) => `${r.method} ${r.url} ${r.skipAuth}`)).toEqual([
      `GET ${ROOT}/ true`,
      `POST ${ROOT}/v3/auth/tokens true`,
    ]);
    expect(bodyOf(send.requests[1])).toEqual({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: "admin", domain: { name: "Users" }, password: "secret" } },
        },
        scope: { project: { name: "admin", domain: { id: "default" } } },
      },
    });
    expect(info).toMatchObject({
      token: "tok-1",
      identityVersion: "3",
      identityEndpoint: `${ROOT}/v3`,
      project: {
        id: "a6944d763bf64ee6a275f1263fae0352",
        name: "admin",
        domainId: "default",
        domainName: "Default",
      },
      user: { id: "ee4dfb6e5540447cb3741905149d9b6e", name: "admin", domainId: "default" },
      roles: ["admin"],
      methods: ["password"],
    });
    expect(info.expiresAt?.toISOString()).toBe("2015-11-07T02:58:43.578Z");
    expect(info.catalog[0]?.serviceType).toBe("identity");
    expect(auth.current?.token).toBe("tok-1");
  });

  it.each([
    // Nothing said: the "default" domain for both, like python-openstackclient.
    [{}, { id: "default" }, { id: "default" }],
    // domain_id/domain_name (copied by config/ when project-scoped) default both.
    [{ domainName: "Shared" }, { name: "Shared" }, { name: "Shared" }],
    [{ userDomainId: "u", projectDomainName: "P" }, { id: "u" }, { name: "P" }],
    [{ userDomainId: "u", userDomainName: "ignored" }, { id: "u" }, { id: "default" }],
  ])("domains %o -> user %o, project %o", async (domains, userDomain, projectDomain) => {
    const send = fakeHandler({ [`GET ${ROOT}/`]: versions(), [`POST ${ROOT}/v3/auth/tokens`]: v3Token() });
    const config = cloudConfig({
      authUrl: ROOT,
      username: "u",
      password: "p",
      projectName: "proj",
      ...domains,
    });
    await createKeystoneAuth(config, { send }).authenticate();
    const body = bodyOf(send.requests[1]) as {
      auth: {
        identity: { password: { user: { domain: unknown } } };
        scope: { project: { domain: unknown } };
      };
    };
    expect(body.auth.identity.password.user.domain).toEqual(userDomain);
    expect(body.auth.scope.project.domain).toEqual(projectDomain);
  });

  it("uses ids as they are, scopes to a domain without a project, and leaves unscoped alone", async () => {
    const bodies = [];
    for (const auth of [
      { userId: "uid", projectId: "pid" },
      { userId: "uid", domainId: "did" },
      { userId: "uid" },
    ]) {
      const send = fakeHandler({ [`GET ${ROOT}/`]: versions(), [`POST ${ROOT}/v3/auth/tokens`]: v3Token() });
      await createKeystoneAuth(cloudConfig({ authUrl: ROOT, password: "p", ...auth }), {
        send,
      }).authenticate();
      bodies.push(bodyOf(send.requests[1]));
    }
    expect(bodies).toEqual([
      {
        auth: {
          identity: { methods: ["password"], password: { user: { id: "uid", password: "p" } } },
          scope: { project: { id: "pid" } },
        },
      },
      {
        auth: {
          identity: { methods: ["password"], password: { user: { id: "uid", password: "p" } } },
          scope: { domain: { id: "did" } },
        },
      },
      { auth: { identity: { methods: ["password"], password: { user: { id: "uid", password: "p" } } } } },
    ]);
  });

  it("v3 token auth re-scopes the given token", async () => {
    const send = fakeHandler({
      [`GET ${ROOT}/`]: versions(),
      [`POST ${ROOT}/v3/auth/tokens`]: v3Token(
        "tok-2",
        "keystone/v3/samples/auth/responses/project-scoped-token.json",
      ),
    });
    const config = cloudConfig({ authUrl: ROOT, token: "given", projectId: "p1" }, { authType: "v3token" });
    const info = await createKeystoneAuth(config, { send }).authenticate();
    expect(bodyOf(send.requests[1])).toEqual({
      auth: { identity: { methods: ["token"], token: { id: "given" } }, scope: { project: { id: "p1" } } },
    });
    expect(info.methods).toEqual(["token", "password"]);
  });

  it.each([
    [
      { applicationCredentialId: "423f", applicationCredentialSecret: "rEaq" },
      { id: "423f", secret: "rEaq" },
    ],
    [
      { applicationCredentialName: "monitoring", applicationCredentialSecret: "rEaq", userId: "u1" },
      { name: "monitoring", secret: "rEaq", user: { id: "u1" } },
    ],
    [
      {
        applicationCredentialName: "monitoring",
        applicationCredentialSecret: "rEaq",
        username: "demo",
        userDomainName: "D",
      },
      { name: "monitoring", secret: "rEaq", user: { name: "demo", domain: { name: "D" } } },
    ],
  ])("application credential %o", async (settings, credential) => {
    const send = fakeHandler({
      [`GET ${ROOT}/`]: versions(),
      [`POST ${ROOT}/v3/auth/tokens`]: v3Token(
        "tok-ac",
        "keystone/v3/samples/admin/auth-application-credential-response.json",
      ),
    });
    const config = cloudConfig({ authUrl: ROOT, ...settings }, { authType: "v3applicationcredential" });
    const info = await createKeystoneAuth(config, { send }).authenticate();
    expect(bodyOf(send.requests[1])).toEqual({
      auth: { identity: { methods: ["application_credential"], application_credential: credential } },
    });
    expect(info.applicationCredential).toEqual({
      id: "423f19a4ac1e4f48bbb4180756e6eb6c",
      name: "monitoring",
    });
    expect(info.project?.name).toBe("demo");
  });

  it("a /v3 auth_url works when the root has no version document (debug-logged)", async () => {
    const logs: string[] = [];
    const send = fakeHandler({
      [`GET ${ROOT}/`]: { status: 404, body: "not here" },
      [`GET ${ROOT}/v3/`]: { status: 500, body: "broken" },
      [`POST ${ROOT}/v3/auth/tokens`]: v3Token(),
    });
    const config = cloudConfig({ authUrl: `${ROOT}/v3/`, userId: "u", password: "p" });
    const info = await createKeystoneAuth(config, {
      send,
      logger: { debug: (_f, m) => logs.push(m) },
    }).authenticate();
    expect(info.identityEndpoint).toBe(`${ROOT}/v3`);
    expect(logs).toContain("discovery fell back");
  });

  it("an unversioned auth_url with no document at all assumes /v3", async () => {
    const send = fakeHandler({ [`POST ${ROOT}/identity/v3/auth/tokens`]: v3Token() });
    const config = cloudConfig({ authUrl: `${ROOT}/identity`, userId: "u", password: "p" });
    expect((await createKeystoneAuth(config, { send }).authenticate()).identityEndpoint).toBe(
      `${ROOT}/identity/v3`,
    );
  });

  it("refuses v3 credentials on a keystone that only offers v2.0", async () => {
    const v2only = {
      versions: {
        values: [{ id: "v2.0", status: "stable", links: [{ rel: "self", href: `${ROOT}/v2.0/` }] }],
      },
    };
    const send = fakeHandler({ [`GET ${ROOT}/`]: { status: 300, body: v2only } });
    const config = cloudConfig({ authUrl: ROOT, userId: "u", password: "p" }, { authType: "v3password" });
    await expect(createKeystoneAuth(config, { send }).authenticate()).rejects.toThrow(
      /auth_type v3password needs keystone v3, but https:\/\/keystone.example.com offers v2.0/,
    );
  });

  it("turns keystone's 401 into an AuthenticationError naming the cloud and user, not the password", async () => {
    const send = fakeHandler({
      [`GET ${ROOT}/`]: versions(),
      [`POST ${ROOT}/v3/auth/tokens`]: () => {
        throw Object.assign(new Error("The request you have made requires authentication. (401 POST ...)"), {
          status: 401,
        });
      },
    });
    const config = cloudConfig({ authUrl: ROOT, username: "alice", password: "hunter2", projectName: "p" });
    const error = await createKeystoneAuth(config, { send })
      .authenticate()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(String(error)).toContain('cloud "test": keystone refused the credentials (user alice, project p)');
    expect(String(error)).not.toContain("hunter2");
  });
});

describe("createKeystoneAuth: v2.0", () => {
  const v2Doc = fixture("keystone-v2.0-historical/v2/samples/admin/authenticate-response.json");

  it("authenticates with passwordCredentials + tenantName when asked for v2.0", async () => {
    const send = fakeHandler({
      [`GET ${ROOT}/`]: versions(),
      [`POST ${ROOT}/v2.0/tokens`]: { status: 200, body: v2Doc },
    });
    const config = cloudConfig(
      { authUrl: ROOT, username: "admin", password: "secret", tenantName: "admin" },
      { authType: "v2password" },
    );
    const info = await createKeystoneAuth(config, { send }).authenticate();
    expect(bodyOf(send.requests[1])).toEqual({
      auth: { passwordCredentials: { username: "admin", password: "secret" }, tenantName: "admin" },
    });
    expect(info).toMatchObject({
      token: "admin_id",
      identityVersion: "2.0",
      identityEndpoint: `${ROOT}/v2.0`,
      project: { id: "73f0aa26640f4971864919d0eb0f0880", name: "admin" },
      user: { id: "1f568815cb8148688e6ee9b2f7527dcc", name: "admin" },
      roles: ["service", "admin"],
    });
    // issued_at has no zone in v2.0: it is UTC.
    expect(info.issuedAt.toISOString()).toBe("2014-01-30T17:09:57.647Z");
    expect(info.catalog.map((e) => e.type)).toContain("volumev2");
  });

  it("uses v2.0 on a generic password cloud whose keystone has no v3, with a token and tenantId", async () => {
    const v2only = {
      versions: {
        values: [{ id: "v2.0", status: "stable", links: [{ rel: "self", href: `${ROOT}/v2.0/` }] }],
      },
    };
    const send = fakeHandler({
      [`GET ${ROOT}/`]: { status: 300, body: v2only },
      [`POST ${ROOT}/v2.0/tokens`]: { body: v2Doc },
    });
    const config = cloudConfig(
      { authUrl: `${ROOT}/v2.0`, token: "t0", projectId: "p0" },
      { authType: "token" },
    );
    await createKeystoneAuth(config, { send }).authenticate();
    expect(bodyOf(send.requests[1])).toEqual({ auth: { token: { id: "t0" }, tenantId: "p0" } });
  });
});

describe("token cache", () => {
  function setup(lifetimeMs: number, options: { expiryMarginMs?: number } = {}) {
    let now = Date.parse("2030-01-01T00:00:00Z");
    let issued = 0;
    const send = fakeHandler({
      [`GET ${ROOT}/`]: versions(),
      [`POST ${ROOT}/v3/auth/tokens`]: () => {
        issued++;
        const issuedAt = new Date(now);
        return {
          status: 201,
          headers: { "x-subject-token": `tok-${issued}` },
          body: {
            token: {
              issued_at: issuedAt.toISOString(),
              expires_at: new Date(now + lifetimeMs).toISOString(),
              methods: ["password"],
              user: { id: "u" },
            },
          },
        };
      },
    });
    const auth = createKeystoneAuth(cloudConfig({ authUrl: ROOT, userId: "u", password: "p" }), {
      send,
      now: () => now,
      ...options,
    });
    return {
      auth,
      send,
      advance: (ms: number) => {
        now += ms;
      },
      tokens: () => send.requests.filter((r) => r.method === "POST").length,
    };
  }

  it("reuses a token until 3 minutes before expiry (1-hour token)", async () => {
    const t = setup(3_600_000);
    expect(await t.auth.getToken()).toBe("tok-1");
    t.advance(3_600_000 - 180_001);
    expect(await t.auth.getToken()).toBe("tok-1");
    t.advance(2);
    expect(await t.auth.getToken()).toBe("tok-2");
    expect(t.tokens()).toBe(2);
  });

  it("renews a short token after three quarters of its lifetime", async () => {
    const t = setup(60_000);
    expect(await t.auth.getToken()).toBe("tok-1");
    t.advance(44_999);
    expect(await t.auth.getToken()).toBe("tok-1");
    t.advance(2);
    expect(await t.auth.getToken()).toBe("tok-2");
  });

  it("honours a configured margin", async () => {
    const t = setup(3_600_000, { expiryMarginMs: 600_000 });
    await t.auth.getToken();
    t.advance(3_000_001);
    expect(await t.auth.getToken()).toBe("tok-2");
  });

  it("shares one request between concurrent callers (no thundering herd)", async () => {
    const t = setup(3_600_000);
    const tokens = await Promise.all(Array.from({ length: 20 }, () => t.auth.getToken()));
    expect(new Set(tokens)).toEqual(new Set(["tok-1"]));
    expect(t.tokens()).toBe(1);
    // The identity document too was fetched once.
    expect(t.send.requests.filter((r) => r.method === "GET")).toHaveLength(1);
  });

  it("invalidate() of the current token forces one new authentication; a stale token is ignored", async () => {
    const t = setup(3_600_000);
    const first = await t.auth.getToken();
    t.auth.invalidate("some-older-token");
    expect(await t.auth.getToken()).toBe(first);
    t.auth.invalidate(first);
    const [a, b] = await Promise.all([t.auth.getToken(), t.auth.getToken()]);
    expect([a, b]).toEqual(["tok-2", "tok-2"]);
    expect(t.tokens()).toBe(2);
  });

  it("a failed authentication is not cached; the next call tries again", async () => {
    let fail = true;
    const send = fakeHandler({
      [`GET ${ROOT}/`]: versions(),
      [`POST ${ROOT}/v3/auth/tokens`]: () => {
        if (fail) throw new Error("ECONNRESET");
        return v3Token("ok");
      },
    });
    const auth = createKeystoneAuth(cloudConfig({ authUrl: ROOT, userId: "u", password: "p" }), { send });
    await expect(auth.getToken()).rejects.toThrow("ECONNRESET");
    fail = false;
    expect(await auth.getToken()).toBe("ok");
  });

  it("a caller's abort does not abort the shared request for the others", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const send = fakeHandler({
      [`GET ${ROOT}/`]: versions(),
      [`POST ${ROOT}/v3/auth/tokens`]: v3Token("shared"),
    });
    const slow = Object.assign(async (request: HttpRequest) => {
      if (request.method === "POST") await gate;
      return send(request);
    }, {});
    const auth = createKeystoneAuth(cloudConfig({ authUrl: ROOT, userId: "u", password: "p" }), {
      send: slow,
    });
    const controller = new AbortController();
    const aborted = auth.getToken(controller.signal);
    const other = auth.getToken();
    controller.abort(new Error("caller gave up"));
    await expect(aborted).rejects.toThrow("caller gave up");
    release();
    expect(await other).toBe("shared");
  });
});
