import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DescService } from "@bufbuild/protobuf";
import { type Client, Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listCloudConfigsFromDisk } from "../../../packages/core/src/index.js";
import { resolveServerSettings } from "../../../packages/server/src/config.js";
import { EventType } from "../../../packages/server/src/gen/oaktree/v1/common_pb.js";
import { NetworkService } from "../../../packages/server/src/gen/oaktree/v1/network_pb.js";
import { SecurityGroupService } from "../../../packages/server/src/gen/oaktree/v1/security_group_pb.js";
import {
  ServerService,
  type WatchServersResponse,
} from "../../../packages/server/src/gen/oaktree/v1/server_pb.js";
import { type RunningServer, serve } from "../../../packages/server/src/serve.js";
import { Cleanup, runPrefix } from "../harness.js";
import { leaksOf } from "../leak-check.js";
import { pollUntil, type RawSession, rawLogin } from "../raw-client.js";
import { deleteProject, deleteServerRaw, flavorId, imageId, rawDelete } from "../raw-resources.js";
import type { SuiteContext } from "../suite.js";

/** The error a call ends with. */
async function failure(call: () => Promise<unknown>): Promise<ConnectError> {
  try {
    await call();
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("the call succeeded");
}

/** The first events of a watch, up to its BOOKMARK. */
async function opening(stream: AsyncIterable<WatchServersResponse>): Promise<WatchServersResponse[]> {
  const seen: WatchServersResponse[] = [];
  for await (const event of stream) {
    seen.push(event);
    if (event.type === EventType.BOOKMARK) break;
  }
  return seen;
}

/**
 * Deployer mode on the real cloud: one oaktree whose clouds.yaml names only keystone, used by
 * the suite's member (project demo) and by a second user in a second project (made by the
 * admin cloud, deleted after), each with their own token. Nothing of one project comes back to
 * the other through lists, names, filters, gets by id or watch resume tokens.
 */
export function deployerCases(suite: () => SuiteContext): void {
  describe("deployer mode: two projects, two users, one oaktree", () => {
    const cleanup = new Cleanup();
    let server: RunningServer;
    let other: RawSession;
    const sessions: Record<"member" | "other", RawSession> = {} as never;
    const grpc = () => createGrpcTransport({ baseUrl: `http://${server.grpcAddress}` });
    const client = <S extends DescService>(service: S): Client<S> => createClient(service, grpc());
    const as = (who: "member" | "other") => ({ headers: { "x-auth-token": sessions[who].token } });
    const servers: Record<"member" | "other", string> = { member: "", other: "" };
    const name = (what: string) => `${runPrefix}deployer-${what}`;

    beforeAll(async () => {
      const { e2e, member, admin } = suite();
      if (!admin) throw new Error("deployer mode's e2e needs OAKTREE_E2E_ADMIN_CLOUD");
      sessions.member = member;
      // A second project with a user of its own, member there only.
      const { project } = await admin.request<{ project: { id: string } }>("identity", "POST", "/projects", {
        body: {
          project: {
            name: name("project"),
            domain_id: member.entry.projectDomainId,
            description: "oaktree e2e",
          },
        },
      });
      cleanup.push(`project ${project.id}`, () => deleteProject(admin, project.id));
      const password = randomBytes(18).toString("base64url");
      const { user } = await admin.request<{ user: { id: string } }>("identity", "POST", "/users", {
        body: { user: { name: name("user"), password, domain_id: member.entry.userDomainId } },
      });
      cleanup.push(`user ${user.id}`, () => rawDelete(admin, "identity", `/users/${user.id}`));
      const { roles } = await admin.request<{ roles: { id: string }[] }>(
        "identity",
        "GET",
        "/roles?name=member",
      );
      await admin.request(
        "identity",
        "PUT",
        `/projects/${project.id}/users/${user.id}/roles/${roles[0]?.id}`,
      );
      other = await rawLogin({
        ...member.entry,
        username: name("user"),
        password,
        projectName: name("project"),
      });
      sessions.other = other;

      // The deployer's clouds.yaml: where keystone is, nobody's credentials.
      const home = mkdtempSync(join(tmpdir(), "oaktree-e2e-deployer-"));
      cleanup.push("temporary home", async () => rmSync(home, { recursive: true, force: true }));
      const path = join(home, "clouds.yaml");
      writeFileSync(
        path,
        [
          "clouds:",
          `  ${e2e.cloud}:`,
          "    auth:",
          `      auth_url: ${member.entry.authUrl}`,
          ...(member.entry.regionName ? [`    region_name: ${member.entry.regionName}`] : []),
          `    interface: ${member.entry.interface}`,
        ].join("\n"),
      );
      const configs = await listCloudConfigsFromDisk({
        env: { OS_CLIENT_CONFIG_FILE: path },
        cwd: home,
        home,
        withoutCredentials: true,
      });
      server = await serve({
        settings: resolveServerSettings(
          { auth: "deployer" },
          { listen: "127.0.0.1:0", httpListen: "off", logLevel: "warn" },
        ),
        configs,
        defaultCloud: e2e.cloud,
        cloudOptions: { pollIntervalMs: 1000 },
      });
      cleanup.push("oaktree server", () => server.stop());

      // Look-alike objects in both projects, made through oaktree with each caller's token,
      // and one server each (no network: cheap), made with the raw client.
      for (const who of ["member", "other"] as const) {
        const s = sessions[who];
        const { network } = await client(NetworkService).createNetwork({ name: name("net") }, as(who));
        cleanup.push(`network ${network?.id}`, () =>
          rawDelete(s, "network", `/v2.0/networks/${network?.id}`),
        );
        const { securityGroup } = await client(SecurityGroupService).createSecurityGroup(
          { name: name("sg") },
          as(who),
        );
        cleanup.push(`security group ${securityGroup?.id}`, () =>
          rawDelete(s, "network", `/v2.0/security-groups/${securityGroup?.id}`),
        );
        const created = await s.request<{ server: { id: string } }>("compute", "POST", "/servers", {
          body: {
            server: {
              name: name(`vm-${who}`),
              flavorRef: await flavorId(s, "m1.nano"),
              imageRef: await imageId(s, "cirros-fake"),
              networks: "none",
            },
          },
          headers: { "X-OpenStack-Nova-API-Version": "2.37" },
        });
        servers[who] = created.server.id;
        cleanup.push(`server ${created.server.id}`, () => deleteServerRaw(s, created.server.id));
      }
      for (const who of ["member", "other"] as const) {
        await pollUntil(
          `the ${who} server to leave BUILD`,
          async () => {
            const { server: sv } = await sessions[who].request<{ server: { status: string } }>(
              "compute",
              "GET",
              `/servers/${servers[who]}`,
            );
            return sv.status === "BUILD" ? undefined : sv;
          },
          120_000,
        );
      }
    }, 300_000);

    afterAll(async () => {
      await cleanup.run();
      // Nothing of this block is left in the member project.
      expect((await leaksOf(suite().member, `${runPrefix}deployer-`)).length).toBe(0);
    }, 300_000);

    it("refuses calls without a token or with a forged one (UNAUTHENTICATED)", async () => {
      expect((await failure(() => client(ServerService).listServers({}))).code).toBe(Code.Unauthenticated);
      const forged = { headers: { "x-auth-token": "gAAAAAB-not-a-token" } };
      expect((await failure(() => client(ServerService).listServers({}, forged))).code).toBe(
        Code.Unauthenticated,
      );
    });

    it("lists, gets by name and filters only the caller's project", async () => {
      for (const [who, theirs] of [
        ["member", "other"],
        ["other", "member"],
      ] as const) {
        const own = sessions[who].projectId;
        const { servers: listed } = await client(ServerService).listServers({}, as(who));
        expect(listed.map((s) => s.id)).toContain(servers[who]);
        expect(listed.map((s) => s.id)).not.toContain(servers[theirs]);
        expect(listed.every((s) => s.location?.project?.id === own)).toBe(true);
        const nets = await client(NetworkService).listNetworks(
          { filter: { jmespath: `[?name=='${name("net")}']` } },
          as(who),
        );
        expect(nets.networks).toHaveLength(1);
        expect(nets.networks[0]?.location?.project?.id).toBe(own);
        const byName = await client(NetworkService).getNetwork({ nameOrId: name("net") }, as(who));
        expect(byName.network?.id).toBe(nets.networks[0]?.id);
        const groups = await client(SecurityGroupService).listSecurityGroups(
          { filter: { fields: { name: name("sg") } } },
          as(who),
        );
        expect(groups.securityGroups.map((g) => g.location?.project?.id)).toEqual([own]);
        const error = await failure(() =>
          client(ServerService).getServer({ nameOrId: servers[theirs] }, as(who)),
        );
        expect(error.code).toBe(Code.NotFound);
      }
    });

    it("refuses a location in the other project (PERMISSION_DENIED)", async () => {
      const error = await failure(() =>
        client(ServerService).listServers(
          { location: { project: { id: sessions.other.projectId } } },
          as("member"),
        ),
      );
      expect(error.code).toBe(Code.PermissionDenied);
    });

    it("watches each project's own servers; one project's resume token does not resume in the other", {
      timeout: 60_000,
    }, async () => {
      const abort = new AbortController();
      const first = await opening(
        client(ServerService).watchServers({}, { ...as("member"), signal: abort.signal }),
      );
      abort.abort();
      const ids = first.filter((e) => e.initial).map((e) => e.server?.id);
      expect(ids).toContain(servers.member);
      expect(ids).not.toContain(servers.other);
      const bookmark = first.at(-1)?.resumeToken ?? "";
      const error = await failure(() =>
        opening(client(ServerService).watchServers({ resumeToken: bookmark }, as("other"))),
      );
      expect(error.code).toBe(Code.InvalidArgument);
      const theirs = new AbortController();
      const second = await opening(
        client(ServerService).watchServers({}, { ...as("other"), signal: theirs.signal }),
      );
      theirs.abort();
      expect(second.filter((e) => e.initial).map((e) => e.server?.id)).toEqual([servers.other]);
    });
  });
}
