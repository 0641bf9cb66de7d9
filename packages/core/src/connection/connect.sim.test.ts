import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROFILE_NAMES, type ProfileName, type Simulator, startSimulator } from "@oaktree/sim";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AuthenticationError } from "../auth/keystone.js";
import { loadCloudConfigFromDisk } from "../config/load.js";
import type { CloudConfig } from "../config/types.js";
import { type CloudConnection, connect } from "./connect.js";

// auth/, catalog/ and connect() against the independent OpenStack simulator (packages/sim),
// for every profile. The simulator's request log shows what reached the "cloud".

async function simConfig(
  sim: Simulator,
  cloud: string,
  overrides?: Record<string, unknown>,
): Promise<CloudConfig> {
  const dir = mkdtempSync(join(tmpdir(), "oaktree-connect-sim-"));
  const path = await sim.writeCloudsYaml(join(dir, "clouds.yaml"));
  return loadCloudConfigFromDisk({
    cloud,
    env: { OS_CLIENT_CONFIG_FILE: path },
    cwd: dir,
    home: dir,
    ...(overrides && { overrides }),
  });
}

/** How many token requests reached the simulator's keystone (v3 or v2.0). */
function tokenRequests(sim: Simulator): number {
  return sim.admin
    .log()
    .filter((e) => e.service === "identity" && e.method === "POST" && /\/tokens$/.test(e.path)).length;
}

const open: CloudConnection[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function connected(config: CloudConfig, options: Parameters<typeof connect>[1] = {}) {
  const conn = await connect(config, { retry: false, ...options });
  open.push(conn);
  return conn;
}

describe.each(PROFILE_NAMES.map((p) => [p] as [ProfileName]))("profile %s", (profile) => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ profile });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it("v3 password: the token's project, user and roles", async () => {
    const conn = await connected(await simConfig(sim, "sim"));
    const token = await conn.token();
    expect(token.identityVersion).toBe("3");
    expect(token.identityEndpoint).toBe(`${sim.url}/identity/v3`);
    expect(token.project).toMatchObject({ name: "demo", domainId: "default" });
    expect(token.user).toMatchObject({ name: "demo" });
    expect(token.roles).toContain("member");
    expect(token.expiresAt!.getTime()).toBeGreaterThan(Date.now());
  });

  it("discovers every service of the catalog from its version document", async () => {
    const conn = await connected(await simConfig(sim, "sim-admin"));
    const services = await conn.services();
    expect(services.length).toBeGreaterThan(0);
    for (const service of services) {
      expect(service.error, service.serviceType).toBeUndefined();
      // swift has no version document; everything else must be discovered, not guessed.
      if (service.serviceType !== "object-store") {
        expect(service.source, `${service.serviceType}: ${service.note}`).not.toBe("catalog");
      }
      expect(service.endpoint).toMatch(new RegExp(`^${sim.url}/`));
    }
    const byType = Object.fromEntries(services.map((s) => [s.serviceType, s]));
    expect(byType.identity).toMatchObject({ version: "3", endpoint: `${sim.url}/identity/v3` });
    if (byType.compute) {
      expect(byType.compute).toMatchObject({
        version: "2.1",
        microversions: { min: sim.profile.compute.minVersion, max: sim.profile.compute.maxVersion },
      });
    }
    if (byType["block-storage"]) {
      expect(byType["block-storage"].version).toBe(sim.profile.volume.v3 ? "3" : "2");
    }
    if (byType.network) expect(byType.network.version).toBe("2.0");
    if (byType.image) expect(byType.image.version).toBe(sim.profile.image.v2 ? "2" : "1");
    const project = conn.project?.id;
    if (sim.profile.projectIdInEndpoints && byType.compute && project) {
      expect(byType.compute.endpoint).toContain(project);
    }
  });

  it("v3 token: re-scopes an existing token", async () => {
    const first = await connected(await simConfig(sim, "sim"));
    const token = (await first.token()).token;
    const conn = await connected(
      await simConfig(sim, "sim", { auth_type: "v3token", auth: { token, project_name: "demo" } }),
    );
    const info = await conn.token();
    expect(info.methods[0]).toBe("token");
    expect(info.project?.name).toBe("demo");
  });

  it("a revoked token: the 401 costs one re-authentication, and the call succeeds", async () => {
    const conn = await connected(await simConfig(sim, "sim"));
    const identity = await conn.serviceClient("identity");
    await identity.request({ method: "GET", path: "/auth/projects" });
    const before = tokenRequests(sim);
    expect(sim.admin.revokeTokens()).toBeGreaterThan(0);
    const response = await identity.request({ method: "GET", path: "/auth/projects" });
    expect(response.status).toBe(200);
    expect(tokenRequests(sim) - before).toBe(1);
    const statuses = sim.admin
      .log()
      .filter((e) => e.route.endsWith("/auth/projects"))
      .map((e) => e.status);
    expect(statuses.slice(-3)).toEqual([200, 401, 200]);
  });
});

describe("token lifetime against the simulator", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ profile: "modern", tokenLifetimeSeconds: 60 });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it("renews a short token before it expires: no 401 at all", async () => {
    let offset = 0;
    const conn = await connected(await simConfig(sim, "sim"), { now: () => Date.now() + offset });
    const identity = await conn.serviceClient("identity");
    const first = (await conn.token()).token;
    const before = tokenRequests(sim);
    // 50 s later (past three quarters of 60 s) on both clocks.
    offset += 50_000;
    sim.admin.advanceClock(50_000);
    await identity.request({ method: "GET", path: "/auth/projects" });
    expect(tokenRequests(sim) - before).toBe(1);
    expect(conn.auth.current?.token).not.toBe(first);
    expect(sim.admin.log().filter((e) => e.status === 401)).toEqual([]);
  });

  it("a token that expired on the cloud's clock: one 401, one re-authentication, success", async () => {
    const conn = await connected(await simConfig(sim, "sim"));
    const identity = await conn.serviceClient("identity");
    const before = tokenRequests(sim);
    sim.admin.advanceClock(61_000);
    const response = await identity.request({ method: "GET", path: "/auth/projects" });
    expect(response.status).toBe(200);
    expect(tokenRequests(sim) - before).toBe(1);
  });

  it("concurrent calls after a revocation share one re-authentication", async () => {
    const conn = await connected(await simConfig(sim, "sim"));
    const identity = await conn.serviceClient("identity");
    const before = tokenRequests(sim);
    sim.admin.revokeTokens();
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => identity.request({ method: "GET", path: "/auth/projects" })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(tokenRequests(sim) - before).toBe(1);
  });
});

describe("application credentials against the simulator", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ profile: "modern" });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it("by id, and by name with the user's name and domain", async () => {
    const conn = await connected(await simConfig(sim, "sim"));
    const token = await conn.token();
    const identity = await conn.serviceClient("identity");
    const created = (
      await identity.request({
        method: "POST",
        path: `/users/${token.user.id}/application_credentials`,
        json: { application_credential: { name: "oaktree-test", secret: "s3cret-of-the-app" } },
        okStatus: [201],
      })
    ).json<{ application_credential: { id: string; secret: string } }>().application_credential;

    const byId = await connected(
      await simConfig(sim, "sim", {
        auth_type: "v3applicationcredential",
        auth: { application_credential_id: created.id, application_credential_secret: created.secret },
      }),
    );
    expect((await byId.token()).applicationCredential).toMatchObject({
      id: created.id,
      name: "oaktree-test",
    });
    expect(byId.project?.id).toBe(token.project?.id);

    const byName = await connected(
      await simConfig(sim, "sim", {
        auth_type: "v3applicationcredential",
        auth: {
          application_credential_name: "oaktree-test",
          application_credential_secret: created.secret,
          username: "demo",
          user_domain_name: "Default",
        },
      }),
    );
    expect((await byName.token()).methods).toEqual(["application_credential"]);

    // Deleted, it is refused like wrong credentials (keystone answers 404 here, not 401).
    await identity.request({
      method: "DELETE",
      path: `/users/${token.user.id}/application_credentials/${created.id}`,
      okStatus: [204],
    });
    const refused = await simConfig(sim, "sim", {
      auth_type: "v3applicationcredential",
      auth: { application_credential_id: created.id, application_credential_secret: created.secret },
    });
    await expect(connected(refused)).rejects.toThrow(AuthenticationError);
  });
});

describe("keystone v2.0 on the kilo profile", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ profile: "kilo" });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it.each([
    ["identity_api_version 2.0", { identity_api_version: "2.0" }],
    ["auth_type v2password", { auth_type: "v2password" }],
  ])("%s: tenant-scoped token, v2.0 catalog, services discovered", async (_label, overrides) => {
    const conn = await connected(await simConfig(sim, "sim", overrides));
    const token = await conn.token();
    expect(token).toMatchObject({ identityVersion: "2.0", identityEndpoint: `${sim.url}/identity/v2.0` });
    expect(token.project?.name).toBe("demo");
    const services = await conn.services();
    expect(services.map((s) => s.error).filter(Boolean)).toEqual([]);
    expect(services.map((s) => s.serviceType)).toContain("identity");
    const posts = sim.admin.log().filter((e) => e.method === "POST" && e.path.endsWith("/v2.0/tokens"));
    expect(posts.length).toBeGreaterThan(0);
  });
});
