import { describe, expect, it } from "vitest";
import { collect } from "../../../http/paginate.js";
import { fixture } from "../../../testing/fixtures.js";
import { scriptedClient } from "../../../testing/scripted-client.js";
import { listTenants } from "../v2/tenants/requests.js";
import {
  createApplicationCredential,
  deleteApplicationCredential,
  getApplicationCredential,
  listApplicationCredentials,
} from "./application-credentials/requests.js";
import { getDomain, listDomains } from "./domains/requests.js";
import { getProject, listMyProjects, listProjects } from "./projects/requests.js";

const sample = (path: string) => fixture(`identity/${path}`);
const identity = { serviceType: "identity", endpoint: "https://keystone.example/v3", version: "3" };

describe("keystone v3 projects and domains", () => {
  it("lists projects with filters, following links.next", async () => {
    const first = {
      ...(sample("projects-list-response.json") as object),
      links: { next: "https://keystone.example/v3/projects?marker=x" },
    };
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/projects",
          query: { domain_id: "default", enabled: true, tags: "a,b" },
          response: first,
        },
        {
          method: "GET",
          path: "https://keystone.example/v3/projects?marker=x",
          response: { projects: [], links: { next: null } },
        },
      ],
      identity,
    );
    const projects = await collect(
      listProjects(client, { domainId: "default", enabled: true, tags: ["a", "b"] }),
    );
    expect(projects.length).toBe(
      (sample("projects-list-response.json") as { projects: unknown[] }).projects.length,
    );
    client.assertDone();
  });

  it("lists the caller's projects and gets a project and a domain", async () => {
    const client = scriptedClient(
      [
        { method: "GET", path: "/auth/projects", response: sample("user-projects-list-response.json") },
        { method: "GET", path: "/users/u1/projects", response: sample("user-projects-list-response.json") },
        {
          method: "GET",
          path: "/projects/0c4e939acacf4376bdcd1129f1a054ad",
          response: sample("project-show-response.json"),
        },
        { method: "GET", path: "/domains/default", response: sample("domain-show-response.json") },
        {
          method: "GET",
          path: "/domains",
          query: { name: "Default" },
          response: sample("domains-list-response.json"),
        },
      ],
      identity,
    );
    expect((await collect(listMyProjects(client))).length).toBeGreaterThan(0);
    expect((await collect(listMyProjects(client, "u1"))).length).toBeGreaterThan(0);
    const project = await getProject(client, "0c4e939acacf4376bdcd1129f1a054ad");
    expect([project.name, project.domain_id]).toEqual(["admin", "default"]);
    expect((await getDomain(client, "default")).name).toBe("Default");
    expect((await collect(listDomains(client, { name: "Default" }))).length).toBeGreaterThan(0);
    client.assertDone();
  });
});

describe("keystone v3 application credentials", () => {
  it("creates with the upstream body, gets, lists and deletes", async () => {
    const client = scriptedClient(
      [
        {
          method: "POST",
          path: "/users/u1/application_credentials",
          json: sample("application-credential-create-request.json"),
          status: 201,
          response: sample("application-credential-create-response.json"),
        },
        {
          method: "GET",
          path: "/users/u1/application_credentials/a1",
          response: sample("application-credential-get-response.json"),
        },
        {
          method: "GET",
          path: "/users/u1/application_credentials",
          query: { name: "monitoring" },
          response: sample("application-credential-list-response.json"),
        },
        { method: "DELETE", path: "/users/u1/application_credentials/a1", status: 204 },
      ],
      identity,
    );
    const req = (
      sample("application-credential-create-request.json") as {
        application_credential: {
          name: string;
          secret: string;
          description: string;
          expires_at: string;
          roles: { name: string }[];
          access_rules: { service: string; method: string; path: string }[];
          unrestricted: boolean;
        };
      }
    ).application_credential;
    const created = await createApplicationCredential(client, "u1", {
      name: req.name,
      secret: req.secret,
      description: req.description,
      expiresAt: req.expires_at,
      roles: req.roles,
      unrestricted: req.unrestricted,
      accessRules: req.access_rules,
    });
    expect(created.secret).toBe("rEaqvJka48mpv");
    expect((await getApplicationCredential(client, "u1", "a1")).name).toBe("monitoring");
    expect((await listApplicationCredentials(client, "u1", { name: "monitoring" })).length).toBeGreaterThan(
      0,
    );
    await deleteApplicationCredential(client, "u1", "a1");
    client.assertDone();
    await expect(createApplicationCredential(client, "u1", { name: "x", expiresAt: "soon" })).rejects.toThrow(
      /^expiresAt:/,
    );
  });
});

describe("keystone v2.0 tenants", () => {
  it("lists tenants", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/tenants",
          query: {},
          response: fixture("identity-v2/tenants-list-response.json"),
        },
      ],
      { serviceType: "identity", version: "2.0" },
    );
    expect((await collect(listTenants(client))).map((t) => t.name)).toEqual(["ACME Corp", "Iron Works"]);
    client.assertDone();
  });
});
