import { isAdmin, projectOf } from "../../core/auth.js";
import { type ErrorStyle, notFound, novaErrorStyle, SimError } from "../../core/errors.js";
import { json } from "../../core/http.js";
import { negotiateMicroversion } from "../../core/microversion.js";
import type { RouteGroup, ServiceModule, SimContext, SimState } from "../../core/service.js";
import type { World } from "../../core/world.js";
import { registerActions } from "./actions.js";
import { registerAttachments } from "./attachments.js";
import { registerSnapshots } from "./snapshots.js";
import { seedVolumeTypes, type VolumeTypeRecord, volumeState } from "./state.js";
import { registerVolumes, volumeUsage } from "./volumes.js";

/**
 * cinder's faults: nova's shape, plus `retryAfter` on 413 quota errors
 * (`{"overLimit": {"code": 413, "message": "...", "retryAfter": "0"}}`).
 */
export const cinderErrorStyle: ErrorStyle = (status, message, type) => {
  if (status !== 413) return novaErrorStyle(status, message, type);
  return {
    body: JSON.stringify({ overLimit: { code: 413, message, retryAfter: "0" } }),
    contentType: "application/json",
  };
};

function versionEntry(sim: SimState, v: "v2" | "v3") {
  const p = sim.profile;
  return {
    id: v === "v3" ? "v3.0" : "v2.0",
    links: [
      { href: "https://docs.openstack.org/", rel: "describedby", type: "text/html" },
      { href: `${sim.baseUrl}/volume/${v}/`, rel: "self" },
    ],
    "media-types": [
      {
        base: "application/json",
        type: `application/vnd.openstack.volume+json;version=${v === "v3" ? 3 : 1}`,
      },
    ],
    min_version: v === "v3" ? p.volume.minVersion : "",
    status: "CURRENT",
    updated: v === "v3" ? "2022-08-31T00:00:00Z" : "2014-06-28T12:20:21Z",
    version: v === "v3" ? p.volume.maxVersion : "",
  };
}

function typeView(t: VolumeTypeRecord, admin: boolean) {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    is_public: t.is_public,
    "os-volume-type-access:is_public": t.is_public,
    qos_specs_id: null,
    // NOTE: cinder shows extra specs to admins only (since Rocky); older clouds show them to everyone.
    extra_specs: admin ? { ...t.extra_specs } : {},
  };
}

function limitsView(world: World, pid: string) {
  const used = volumeUsage(world, pid);
  const q = world.quotas("volume", pid);
  return {
    limits: {
      rate: [],
      absolute: {
        totalSnapshotsUsed: volumeState(world).snapshots.ofProject(pid).length,
        maxTotalBackups: q.backups,
        maxTotalVolumeGigabytes: q.gigabytes,
        maxTotalSnapshots: q.snapshots,
        maxTotalBackupGigabytes: q.backup_gigabytes,
        totalBackupGigabytesUsed: 0,
        maxTotalVolumes: q.volumes,
        totalVolumesUsed: used.volumes,
        totalBackupsUsed: 0,
        totalGigabytesUsed: used.gigabytes,
      },
    },
  };
}

function registerMisc(g: RouteGroup, sim: SimState): void {
  const world = sim.world;
  g.get("/types", (c) =>
    json(c, 200, {
      volume_types: volumeState(world)
        .types.all()
        .map((t) => typeView(t, isAdmin(c))),
    }),
  );
  g.get("/types/default", (c) => {
    const t = volumeState(world).types.find((x) => x.name === volumeState(world).defaultType);
    if (!t) throw notFound("Default volume type can not be found.");
    // NOTE: the type-access extension adds os-volume-type-access:is_public to show and list, not here.
    const { "os-volume-type-access:is_public": _access, ...view } = typeView(t, isAdmin(c));
    return json(c, 200, { volume_type: view });
  });
  g.get("/types/:type_id", (c) => {
    const id = c.req.param("type_id")!;
    const t = volumeState(world).types.get(id);
    if (!t) throw notFound(`Volume type ${id} could not be found.`);
    return json(c, 200, { volume_type: typeView(t, isAdmin(c)) });
  });
  g.get("/limits", (c) => json(c, 200, limitsView(world, projectOf(c))));
  g.get("/os-availability-zone", (c) =>
    json(c, 200, { availabilityZoneInfo: [{ zoneName: "nova", zoneState: { available: true } }] }),
  );
  const quotaSet = (pid: string, usage: boolean) => {
    const q = world.quotas("volume", pid);
    const used = volumeUsage(world, pid);
    const inUse: Record<string, number> = {
      volumes: used.volumes,
      gigabytes: used.gigabytes,
      snapshots: volumeState(world).snapshots.ofProject(pid).length,
    };
    const out: Record<string, unknown> = { id: pid };
    for (const [k, limit] of Object.entries(q)) {
      out[k] = usage ? { limit, in_use: inUse[k] ?? 0, reserved: 0, allocated: 0 } : limit;
    }
    for (const [k, limit] of Object.entries(perTypeQuotas())) {
      out[k] = usage ? { limit, in_use: 0, reserved: 0, allocated: 0 } : limit;
    }
    return out;
  };
  // NOTE: cinder adds unlimited volumes_<type>, gigabytes_<type> and snapshots_<type> for every volume type.
  const perTypeQuotas = () =>
    Object.fromEntries(
      volumeState(world)
        .types.all()
        .flatMap((t) => ["gigabytes", "snapshots", "volumes"].map((k) => [`${k}_${t.name}`, -1])),
    );
  g.get("/os-quota-sets/:target/defaults", (c) => {
    const out: Record<string, unknown> = { id: c.req.param("target")! };
    Object.assign(out, world.quotas("volume", "\u0000defaults"), perTypeQuotas());
    return json(c, 200, { quota_set: out });
  });
  g.get("/os-quota-sets/:target", (c) => {
    const target = c.req.param("target")!;
    if (target !== projectOf(c) && !isAdmin(c))
      throw new SimError(403, "Policy doesn't allow volume_extension:quotas:show to be performed.");
    return json(c, 200, { quota_set: quotaSet(target, c.req.query("usage") === "true") });
  });
}

function checkProject(c: SimContext): void {
  const inUrl = c.req.param("project_id");
  // NOTE: cinder rejects a URL whose project differs from the token's with 400 "Malformed request url".
  if (inUrl !== undefined && inUrl !== projectOf(c)) throw new SimError(400, "Malformed request url");
}

/** cinder: v3 with microversions (modern) or v2 (kilo, nova-network, rackspace). */
export const blockStorageModule: ServiceModule = {
  name: "block-storage",
  prefix: "/volume",
  errorStyle: cinderErrorStyle,
  enabled: (p) => p.volume.v2 || p.volume.v3,
  catalog: (sim, projectId) => {
    const p = sim.profile;
    if (p.volume.v3) {
      const url = `${sim.baseUrl}/volume/v3/${projectId}`;
      return [
        { type: "block-storage", name: "cinder", url },
        { type: "volumev3", name: "cinderv3", url },
      ];
    }
    return [{ type: "volumev2", name: "cinderv2", url: `${sim.baseUrl}/volume/v2/${projectId}` }];
  },
  seed(world) {
    seedVolumeTypes(world);
  },
  register(router) {
    const { sim } = router;
    const p = sim.profile;
    const open = router.group({ bases: [""], auth: false });
    const versions = () => [
      ...(p.volume.v2 ? [versionEntry(sim, "v2")] : []),
      ...(p.volume.v3 ? [versionEntry(sim, "v3")] : []),
    ];
    // NOTE: cinder answers its root with 300 Multiple Choices.
    open.get("/", (c) => json(c, 300, { versions: versions() }));
    const register = (g: RouteGroup) => {
      registerVolumes(g, sim);
      registerActions(g, sim);
      registerSnapshots(g, sim);
      registerMisc(g, sim);
    };
    if (p.volume.v3) {
      router
        .group({ bases: ["/v3"], auth: false })
        .get("", (c) => json(c, 200, { versions: [versionEntry(sim, "v3")] }));
      const spec = { serviceType: "volume", min: p.volume.minVersion, max: p.volume.maxVersion };
      const v3 = router.group({
        bases: ["/v3/:project_id"],
        before: (c) => {
          negotiateMicroversion(c, spec);
          checkProject(c);
        },
      });
      register(v3);
      registerAttachments(v3, sim);
    }
    if (p.volume.v2) {
      router
        .group({ bases: ["/v2"], auth: false })
        .get("", (c) => json(c, 200, { versions: [versionEntry(sim, "v2")] }));
      register(router.group({ bases: ["/v2/:project_id"], before: checkProject }));
    }
  },
};
