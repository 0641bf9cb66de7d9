/**
 * The fidelity table: every route keystone, nova, neutron, glance, cinder and swift serve has a row comparing its answer's
 * shape (keys, nesting, types, envelopes) and the headers that matter with the upstream sample made
 * for it, or an explicit "no sample" reason. A route without a row fails the coverage test.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registeredRoutes } from "./core/service.js";
import { PROFILE_NAMES, type ProfileName } from "./profiles.js";
import { startSimulator } from "./simulator.js";
import { BLOCK_STORAGE_ROWS } from "./testing/fidelity/block-storage-rows.js";
import { COMPUTE_ROWS } from "./testing/fidelity/compute-rows.js";
import { fidelityContext } from "./testing/fidelity/context.js";
import { IDENTITY_ROWS } from "./testing/fidelity/identity-rows.js";
import { IMAGE_ROWS } from "./testing/fidelity/image-rows.js";
import { NETWORK_ROWS } from "./testing/fidelity/network-rows.js";
import { OBJECT_STORE_ROWS } from "./testing/fidelity/object-store-rows.js";
import type { FidelityContext, FidelityRow, RowResponse } from "./testing/fidelity/types.js";
import { FIXTURES, fixture, SHARED_FIXTURES, shapeDiff } from "./testing/shape.js";

const ROWS: readonly FidelityRow[] = [
  ...IDENTITY_ROWS,
  ...COMPUTE_ROWS,
  ...NETWORK_ROWS,
  ...IMAGE_ROWS,
  ...BLOCK_STORAGE_ROWS,
  ...OBJECT_STORE_ROWS,
];
const SERVICES = new Set(["identity", "compute", "network", "image", "block-storage", "object-store"]);

/**
 * Route groups that re-mount another group's handlers unchanged; their routes are covered by the rows
 * of the group they alias (a few rows still call them directly).
 */
const ALIASES: Record<string, string> = {
  // NOTE: nova's legacy /v2/{project_id} endpoint is the v2.1 code pinned at 2.1 without version headers.
  "compute /v2/{project_id}": "compute /v2.1",
  // NOTE: cinder's v2 API is the v3 code without microversions (and without attachments).
  "block-storage /v2/{project_id}": "block-storage /v3/{project_id}",
};

function aliasOf(service: string, bases: readonly string[]): string | undefined {
  return ALIASES[`${service} ${bases[0]}`];
}

async function send(x: FidelityContext, r: FidelityRow): Promise<RowResponse> {
  const req = await r.req(x);
  const method = r.route.split(" ")[0]!;
  const headers: Record<string, string> = { "content-type": "application/json", ...req.headers };
  if (r.as !== "none") headers["x-auth-token"] = (r.as === "admin" ? x.admin : x.demo).token;
  if (r.mv)
    headers["OpenStack-API-Version"] = `${r.service === "block-storage" ? "volume" : "compute"} ${r.mv}`;
  const body = req.raw ?? (req.body === undefined ? undefined : JSON.stringify(req.body));
  const res = await fetch(`${x.sim.url}${req.path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Headers every answer of a service must carry. */
function headerProblems(r: FidelityRow, res: RowResponse): string[] {
  const out: string[] = [];
  const h = res.headers;
  if (!/^req-[0-9a-f-]{36}$/.test(h.get("x-openstack-request-id") ?? "")) out.push("x-openstack-request-id");
  if (r.service === "compute") {
    if (h.get("x-compute-request-id") !== h.get("x-openstack-request-id")) out.push("x-compute-request-id");
    const path = r.route.split(" ")[1]!;
    if (path.startsWith("/v2.1/")) {
      const mv = r.mv ?? "2.1";
      if (h.get("openstack-api-version") !== `compute ${mv}`)
        out.push(`OpenStack-API-Version (${h.get("openstack-api-version")})`);
      if (h.get("x-openstack-nova-api-version") !== mv) out.push("X-OpenStack-Nova-API-Version");
      const vary = h.get("vary") ?? "";
      if (!vary.includes("OpenStack-API-Version") || !vary.includes("X-OpenStack-Nova-API-Version"))
        out.push("Vary");
    }
    const reservation = typeof res.body === "object" && res.body !== null && "reservation_id" in res.body;
    // NOTE: nova sends Location on a server create, except when it answers a reservation id.
    if (r.route === "POST /v2.1/servers" && res.status === 202 && !reservation && !h.get("location"))
      out.push("Location");
  }
  return out;
}

const byProfile = new Map<ProfileName, FidelityRow[]>();
for (const r of ROWS) {
  const p = r.profile ?? "modern";
  byProfile.set(p, [...(byProfile.get(p) ?? []), r]);
}

for (const [profile, rows] of byProfile) {
  describe(`fidelity (${profile})`, () => {
    let x: FidelityContext;
    beforeAll(async () => {
      x = await fidelityContext(profile);
    });
    afterAll(async () => {
      await x?.sim.stop();
    });
    for (const r of rows) {
      const label = `${r.service} ${r.route}${r.mv ? ` @${r.mv}` : ""}${r.as === "admin" ? " (admin)" : ""}`;
      it(label, async () => {
        const res = await send(x, r);
        expect(res.status, JSON.stringify(res.body)).toBe(r.status);
        if (r.sample) {
          const sample = r.wrap ? { [r.wrap]: fixture(r.sample) } : fixture(r.sample);
          const diff = shapeDiff(sample, res.body, [...(r.ignore ?? []), ...Object.keys(r.exceptions ?? {})]);
          expect(diff, diff.join("; ")).toEqual([]);
        }
        expect(headerProblems(r, res)).toEqual([]);
        await r.check?.(res, x);
      });
    }
  });
}

describe("fidelity coverage", () => {
  it("has a row for every route of every service in every profile, and no stale rows", async () => {
    const served = new Set<string>();
    const missing: string[] = [];
    for (const profile of PROFILE_NAMES) {
      const sim = await startSimulator({ profile });
      const keys = new Set<string>();
      for (const rr of registeredRoutes(sim.admin.state)) {
        if (!SERVICES.has(rr.service)) continue;
        const method = rr.route.split(" ")[0];
        const alias = aliasOf(rr.service, rr.bases);
        const path = alias ? `${alias.split(" ")[1]}${rr.path.slice(rr.bases[0]!.length)}` : rr.path;
        keys.add(`${rr.service} ${method} ${path}`);
      }
      await sim.stop();
      for (const k of keys) {
        served.add(k);
        if (!ROWS.some((r) => `${r.service} ${r.route}` === k)) missing.push(`${profile}: ${k}`);
      }
    }
    const stale = ROWS.filter((r) => !served.has(`${r.service} ${r.route}`)).map(
      (r) => `${r.service} ${r.route}`,
    );
    expect([...new Set(missing)], missing.join("; ")).toEqual([]);
    expect(stale).toEqual([]);
    const withSample = new Set(ROWS.filter((r) => r.sample).map((r) => `${r.service} ${r.route}`));
    const noSample = [...served].filter((k) => !withSample.has(k));
    for (const k of noSample) {
      const reasons = ROWS.filter((r) => `${r.service} ${r.route}` === k && r.noSample);
      expect(reasons.length, `${k}: a route without a sample needs a noSample reason`).toBeGreaterThan(0);
    }
    // The numbers the docs quote (docs/simulator.md, "Fidelity").
    console.info(
      `fidelity: ${served.size} routes, ${withSample.size} with a sample, ${noSample.length} without`,
    );
  });

  it("reads verbatim copies of the upstream samples", () => {
    for (const r of ROWS) {
      if (!r.sample) continue;
      expect(existsSync(join(FIXTURES, r.sample)), r.sample).toBe(true);
      if (existsSync(SHARED_FIXTURES)) {
        expect(
          readFileSync(join(FIXTURES, r.sample)).equals(readFileSync(join(SHARED_FIXTURES, r.sample))),
          r.sample,
        ).toBe(true);
      }
    }
  });
});
