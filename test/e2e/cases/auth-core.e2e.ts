import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { AuthenticationError } from "../../../packages/core/src/auth/keystone.js";
import { loadCloudConfig } from "../../../packages/core/src/config/load.js";
import type { CloudConfig } from "../../../packages/core/src/config/types.js";
import { type CloudConnection, connect } from "../../../packages/core/src/connection/connect.js";
import { OaktreeError } from "../../../packages/core/src/errors.js";
import { Cleanup, runPrefix } from "../harness.js";
import type { SuiteContext } from "../suite.js";

/** A CloudConfig from one inline clouds.yaml entry, through the core's own loader. */
function configOf(name: string, entry: Record<string, unknown>): CloudConfig {
  const text = stringify({ clouds: { [name]: entry } });
  return loadCloudConfig({ cloud: name, env: {}, sources: { clouds: { path: `inline:${name}`, text } } });
}

/** One cheap authenticated GET per service, to show the discovered endpoint really serves. */
const PINGS: Readonly<Record<string, string>> = {
  identity: "/auth/projects",
  compute: "/flavors",
  image: "/images?limit=1",
  network: "/networks?limit=1",
  "block-storage": "/volumes?limit=1",
  placement: "/",
};

/**
 * packages/core's auth (keystone v3 password, token, application credential) and discovery
 * (connect(), services(), serviceClient()) against the real keystone and catalog.
 */
export function authCoreCases(suite: () => SuiteContext): void {
  describe("auth and discovery (packages/core connect)", () => {
    const cleanup = new Cleanup();
    const connections: CloudConnection[] = [];
    const open = async (config: CloudConfig) => {
      const conn = await connect(config, { retry: false });
      connections.push(conn);
      return conn;
    };
    afterAll(async () => {
      try {
        await cleanup.run();
      } finally {
        await Promise.all(connections.map((c) => c.close()));
      }
    });
    const memberConfig = () => {
      const { e2e } = suite();
      return loadCloudConfig({
        cloud: e2e.cloud,
        env: {},
        sources: { clouds: { path: e2e.configFile, text: readFileSync(e2e.configFile, "utf8") } },
      });
    };

    it("v3 password: authenticates the clouds.yaml cloud, scoped to its project", async () => {
      const { member } = suite();
      const conn = await open(memberConfig());
      const token = await conn.token();
      expect(token.identityVersion).toBe("3");
      expect(token.methods).toContain("password");
      expect(token.project?.id).toBe(member.projectId);
      expect(token.roles).toContain("member");
      expect(token.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    });

    it("discovers every service of the catalog and each one answers", async () => {
      const conn = await open(memberConfig());
      const services = await conn.services();
      const byType = new Map(services.map((s) => [s.serviceType, s]));
      for (const type of Object.keys(PINGS)) expect(byType.has(type), `service ${type}`).toBe(true);
      for (const s of services) {
        expect(s.error, `${s.serviceType}: ${s.error}`).toBeUndefined();
        expect(s.source, `${s.serviceType}: ${s.note ?? ""}`).not.toBe("catalog");
      }
      expect(byType.get("compute")).toMatchObject({ version: "2.1", serverMicroversions: { max: "2.93" } });
      expect(byType.get("block-storage")).toMatchObject({
        version: "3",
        serverMicroversions: { max: "3.70" },
      });
      for (const [type, path] of Object.entries(PINGS)) {
        const client = await conn.serviceClient(type);
        const res = await client.request({ method: "GET", path, okStatus: [200] });
        expect(res.status, `${type} GET ${path}`).toBe(200);
      }
      // An alias from the catalog finds the same client as the official type.
      expect((await conn.serviceClient("volumev3")).endpoint).toBe(
        (await conn.serviceClient("block-storage")).endpoint,
      );
    });

    it("v3 token: a token from the password session authenticates a second connection", async () => {
      const { member } = suite();
      const first = await (await open(memberConfig())).token();
      const conn = await open(
        configOf("e2e-token", {
          auth_type: "v3token",
          auth: { auth_url: member.entry.authUrl, token: first.token, project_id: member.projectId },
          region_name: member.entry.regionName,
        }),
      );
      const token = await conn.token();
      expect(token.project?.id).toBe(member.projectId);
      expect(token.methods).toContain("token");
      const compute = await conn.serviceClient("compute");
      expect((await compute.request({ method: "GET", path: "/servers", okStatus: [200] })).status).toBe(200);
    });

    it("v3 application credential: one made through keystone's API authenticates, and stops when deleted", async () => {
      const { member } = suite();
      const made = await member.request<{ application_credential: { id: string; secret: string } }>(
        "identity",
        "POST",
        `/users/${member.userId}/application_credentials`,
        { body: { application_credential: { name: `${runPrefix}appcred`, description: "oaktree e2e" } } },
      );
      const cred = made.application_credential;
      const path = `/users/${member.userId}/application_credentials/${cred.id}`;
      cleanup.push(`application credential ${cred.id}`, () =>
        member.request("identity", "DELETE", path, { ok: [204, 404] }),
      );
      const config = configOf("e2e-appcred", {
        auth_type: "v3applicationcredential",
        auth: {
          auth_url: member.entry.authUrl,
          application_credential_id: cred.id,
          application_credential_secret: cred.secret,
        },
        region_name: member.entry.regionName,
      });
      const conn = await open(config);
      const token = await conn.token();
      expect(token.project?.id).toBe(member.projectId);
      expect(token.methods).toContain("application_credential");
      expect(token.applicationCredential?.id).toBe(cred.id);
      const network = await conn.serviceClient("network");
      expect((await network.request({ method: "GET", path: "/networks", okStatus: [200] })).status).toBe(200);

      await member.request("identity", "DELETE", path, { ok: [204] });
      const refused = await connect(config, { retry: false }).then(
        async (c) => {
          await c.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      // NOTE: keystone 22 (Zed) answers a deleted application credential with 404 "Could not
      // find Application Credential" on POST /v3/auth/tokens, not 401; the core reports it as a
      // refusal of the credentials (AuthenticationError, one line in the CLI).
      expect(refused).toBeInstanceOf(AuthenticationError);
      expect((refused as Error).message).toMatch(/application credential/i);
      expect((refused as Error).message).not.toContain(cred.secret);
    });

    it("a wrong password is an AuthenticationError (one line for the CLI), not a crash", async () => {
      const { member } = suite();
      const config = configOf("e2e-wrong", {
        auth: {
          auth_url: member.entry.authUrl,
          username: member.entry.username,
          password: `${member.entry.password}-wrong`,
          project_name: member.entry.projectName,
          user_domain_id: member.entry.userDomainId,
          project_domain_id: member.entry.projectDomainId,
        },
      });
      const err = await connect(config, { retry: false }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthenticationError);
      expect(err).toBeInstanceOf(OaktreeError);
      expect((err as Error).message).not.toContain(member.entry.password);
    });
  });
}
