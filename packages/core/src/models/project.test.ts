import { describe, expect, it } from "vitest";
import type { TenantWire } from "../services/identity/v2/tenants/requests.js";
import type { ProjectWire } from "../services/identity/v3/projects/wire.js";
import { fixture, fixtureFiles } from "../testing/fixtures.js";
import type { NormalizeContext } from "./location.js";
import { normalizeProject, type Project } from "./project.js";

const ctx: NormalizeContext = {
  cloud: "c",
  region: "r",
  project: { id: "p", name: "demo", domainId: "default", domainName: "Default" },
};

/** Every project of every keystone v3 project response sample. */
function samples(): [string, ProjectWire][] {
  const found: [string, ProjectWire][] = [];
  for (const path of fixtureFiles("identity", /projects?-.*response\.json$/)) {
    const body = fixture<{ project?: ProjectWire; projects?: ProjectWire[] }>(path);
    if (body.project) found.push([path, body.project]);
    for (const project of body.projects ?? []) found.push([path, project]);
  }
  return found;
}

describe("normalizeProject", () => {
  const all = samples();
  it("finds the samples", () => expect(all.length).toBeGreaterThan(5));
  it.each(all)("%s", (_path, wire) => {
    const project = normalizeProject(wire, ctx);
    expect(project.location.project.id).toBe(wire.id);
    expect(project.location.region).toBeUndefined();
    expect(project.domainId).toBe(wire.domain_id ?? undefined);
  });

  it("project-show-response", () => {
    const wire = fixture<{ project: ProjectWire }>("identity/project-show-response.json").project;
    const expected: Project = {
      location: {
        cloud: "c",
        project: {
          id: "0c4e939acacf4376bdcd1129f1a054ad",
          name: "admin",
          domainId: "default",
          domainName: "Default",
        },
      },
      id: "0c4e939acacf4376bdcd1129f1a054ad",
      name: "admin",
      domainId: "default",
      enabled: true,
      isDomain: false,
      parentId: "default",
      tags: [],
      properties: { options: {} },
    };
    expect(normalizeProject(wire, ctx)).toEqual(expected);
  });

  it("v2.0 tenants: no domain", () => {
    const tenants = fixture<{ tenants: TenantWire[] }>("identity-v2/tenants-list-response.json").tenants;
    expect(normalizeProject(tenants[0]!, ctx)).toEqual({
      location: { cloud: "c", project: { id: "1234", name: "ACME Corp" } },
      id: "1234",
      name: "ACME Corp",
      description: "A description ...",
      enabled: true,
      isDomain: false,
      tags: [],
      properties: {},
    } satisfies Project);
  });
});
