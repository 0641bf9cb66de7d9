import type { Cloud, CloudConfig, TokenInfo } from "@oaktree/core";
import { describe, expect, it } from "vitest";
import { CloudRegistry } from "../clouds.js";
import type { CallerAuthenticator } from "./caller-auth.js";
import { deployerAuthorizer } from "./deployer.js";

const config = { name: "site", region: "RegionOne", auth: { authUrl: "https://keystone/v3" } } as CloudConfig;

function tokenOf(project: string): TokenInfo {
  return {
    token: `tok-${project}`,
    identityVersion: "3",
    identityEndpoint: "https://keystone/v3",
    issuedAt: new Date(),
    project: { id: project, name: project },
    user: { id: "u" },
    roles: ["member"],
    catalog: [],
    methods: ["token"],
  };
}

/** A registry in deployer mode whose clouds are fakes recording how they were opened and closed. */
function setup(idleProjectMs: number) {
  const opened: { project: string | undefined; scope: string | undefined; closed: boolean }[] = [];
  const evicted: Cloud[] = [];
  const clouds = new CloudRegistry({
    configs: [config],
    auth: "deployer",
    idleProjectMs,
    onEvicted: (cloud) => evicted.push(cloud),
    async open(_config, _state, _logger, connect) {
      const record = {
        project: undefined as string | undefined,
        scope: connect?.rateLimitScope,
        closed: false,
      };
      record.project = (await connect?.auth?.authenticate())?.project?.id;
      opened.push(record);
      return {
        sharedWatchCount: () => 0,
        close: async () => {
          record.closed = true;
        },
      } as unknown as Cloud;
    },
  });
  // The token's project is whatever the header says (the authenticator is a stand-in).
  const authenticator = {
    authenticate: async (_config: CloudConfig, credential: { token?: string }) =>
      tokenOf(credential.token ?? ""),
  } as unknown as CallerAuthenticator;
  const authorize = deployerAuthorizer(clouds, authenticator);
  const resolveAs = async (project: string) => {
    const within = await authorize({ input: {}, header: new Headers({ "x-auth-token": project }) });
    return within(() => clouds.resolve(undefined));
  };
  return { clouds, opened, evicted, resolveAs };
}

describe("CloudRegistry in deployer mode", () => {
  it("opens one Cloud per project, shared by that project's calls, each with its rate-limit scope", async () => {
    const { clouds, opened, resolveAs } = setup(60_000);
    const a1 = await resolveAs("p1");
    const b = await resolveAs("p2");
    const a2 = await resolveAs("p1");
    expect(a1).toBe(a2);
    expect(a1).not.toBe(b);
    expect(opened.map((o) => [o.project, o.scope])).toEqual([
      ["p1", "RegionOne/p1"],
      ["p2", "RegionOne/p2"],
    ]);
    expect(clouds.projectCount()).toBe(2);
  });

  it("refuses to resolve outside an authorized call", async () => {
    const { clouds } = setup(60_000);
    await expect(clouds.resolve(undefined)).rejects.toThrow(/no credentials were checked/);
  });

  it("closes a project's Cloud once idle with no watch", async () => {
    const { clouds, opened, evicted, resolveAs } = setup(0);
    const first = await resolveAs("p1");
    await new Promise((resolve) => setTimeout(resolve, 5));
    await resolveAs("p2");
    expect(opened[0]?.closed).toBe(true);
    expect(evicted).toEqual([first]);
    expect(clouds.projectCount()).toBe(1);
  });
});
