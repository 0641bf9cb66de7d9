import { type Cleanup, runPrefix } from "./harness.js";
import { pollUntil, RawHttpError, type RawSession, rawLogin } from "./raw-client.js";

// Setup and teardown helpers on the suite's raw client (never through the code under test).

/** Deletes through the raw client; a 404 means it is already gone. */
export async function rawDelete(s: RawSession, type: string, path: string): Promise<void> {
  await s.request(type, "DELETE", path, { ok: [200, 202, 204, 404] });
}

/** Waits until a GET answers 404 (the server, volume ... is gone). */
export async function waitGone(s: RawSession, type: string, path: string, timeoutMs = 90_000): Promise<void> {
  await pollUntil(
    `${type} ${path} to be deleted`,
    async () => {
      try {
        await s.request(type, "GET", path);
        return undefined;
      } catch (e) {
        if (e instanceof RawHttpError && e.status === 404) return true;
        throw e;
      }
    },
    timeoutMs,
  );
}

/** The catalog type the cloud uses for cinder v3 (`block-storage`, else `volumev3`). */
export function volumeType(s: RawSession): string {
  return s.catalog.some((c) => c.type === "block-storage") ? "block-storage" : "volumev3";
}

/** A cinder volume as far as the suite needs it. */
export interface RawVolume {
  id: string;
  name: string;
  status: string;
  bootable: string;
  attachments: { server_id: string }[];
}

/** Reads a volume. */
export async function getVolume(s: RawSession, id: string): Promise<RawVolume> {
  return (await s.request<{ volume: RawVolume }>(volumeType(s), "GET", `/volumes/${id}`)).volume;
}

/** Waits for a volume to reach `status`; fails at once on `error`. */
export async function waitVolume(
  s: RawSession,
  id: string,
  status: string,
  timeoutMs = 60_000,
): Promise<RawVolume> {
  return pollUntil(
    `volume ${id} to be ${status}`,
    async () => {
      const v = await getVolume(s, id);
      if (v.status === status) return v;
      if (v.status.startsWith("error") && !status.startsWith("error"))
        throw new Error(`volume ${id} went to ${v.status}`);
      return undefined;
    },
    timeoutMs,
    500,
  );
}

/** Creates an empty volume of `sizeGb` and waits until it is available. */
export async function createVolume(s: RawSession, name: string, sizeGb = 1): Promise<RawVolume> {
  const made = await s.request<{ volume: RawVolume }>(volumeType(s), "POST", "/volumes", {
    body: { volume: { name, size: sizeGb } },
  });
  return waitVolume(s, made.volume.id, "available");
}

/** Deletes a volume (a 404 is fine) and waits until it is gone. */
export async function deleteVolume(s: RawSession, id: string): Promise<void> {
  await rawDelete(s, volumeType(s), `/volumes/${id}`);
  await waitGone(s, volumeType(s), `/volumes/${id}`);
}

/** Deletes a server (a 404 is fine) and waits until it is gone. */
export async function deleteServerRaw(s: RawSession, id: string): Promise<void> {
  await rawDelete(s, "compute", `/servers/${id}`);
  await waitGone(s, "compute", `/servers/${id}`);
}

/** The id of a public image by name (the recipe's `cirros-fake`). */
export async function imageId(s: RawSession, name: string): Promise<string> {
  const b = await s.request<{ images: { id: string }[] }>(
    "image",
    "GET",
    `/v2/images?name=${encodeURIComponent(name)}`,
  );
  const id = b.images[0]?.id;
  if (!id) throw new Error(`no image named ${name}`);
  return id;
}

/** The id of a flavor by name. */
export async function flavorId(s: RawSession, name: string): Promise<string> {
  const b = await s.request<{ flavors: { id: string; name: string }[] }>("compute", "GET", "/flavors");
  const id = b.flavors.find((f) => f.name === name)?.id;
  if (!id) throw new Error(`no flavor named ${name}`);
  return id;
}

/**
 * Creates a project (admin), gives the member session's user the `member` role in it, and
 * returns the member's session scoped to it. The project starts with no network of its own.
 */
export async function createMemberProject(
  admin: RawSession,
  member: RawSession,
  name: string,
): Promise<{ projectId: string; session: RawSession }> {
  const { project } = await admin.request<{ project: { id: string } }>("identity", "POST", "/projects", {
    body: { project: { name, domain_id: member.entry.projectDomainId, description: "oaktree e2e" } },
  });
  const { roles } = await admin.request<{ roles: { id: string }[] }>("identity", "GET", "/roles?name=member");
  const role = roles[0];
  if (!role) throw new Error("keystone has no role named member");
  await admin.request("identity", "PUT", `/projects/${project.id}/users/${member.userId}/roles/${role.id}`);
  const session = await rawLogin({ ...member.entry, projectName: name });
  return { projectId: project.id, session };
}

/** Deletes a project (admin); a 404 is fine. */
export async function deleteProject(admin: RawSession, projectId: string): Promise<void> {
  await rawDelete(admin, "identity", `/projects/${projectId}`);
}

/**
 * A network + subnet with a router to the external network, made with the raw client and
 * registered for cleanup; returns the network's id. Named `<prefix><label>-net`.
 */
export async function routedNetwork(
  s: RawSession,
  cleanup: Cleanup,
  externalId: string,
  label: string,
  cidr: string,
): Promise<string> {
  const { network } = await s.request<{ network: { id: string } }>("network", "POST", "/v2.0/networks", {
    body: { network: { name: `${runPrefix}${label}-net` } },
  });
  cleanup.push(`network ${network.id}`, () => rawDelete(s, "network", `/v2.0/networks/${network.id}`));
  const { subnet } = await s.request<{ subnet: { id: string } }>("network", "POST", "/v2.0/subnets", {
    body: {
      subnet: {
        network_id: network.id,
        ip_version: 4,
        cidr,
        name: `${runPrefix}${label}-subnet`,
      },
    },
  });
  const { router } = await s.request<{ router: { id: string } }>("network", "POST", "/v2.0/routers", {
    body: {
      router: { name: `${runPrefix}${label}-router`, external_gateway_info: { network_id: externalId } },
    },
  });
  cleanup.push(`router ${router.id}`, () => rawDelete(s, "network", `/v2.0/routers/${router.id}`));
  await s.request("network", "PUT", `/v2.0/routers/${router.id}/add_router_interface`, {
    body: { subnet_id: subnet.id },
  });
  cleanup.push(`router interface ${router.id}`, () =>
    s.request("network", "PUT", `/v2.0/routers/${router.id}/remove_router_interface`, {
      body: { subnet_id: subnet.id },
      ok: [200, 404],
    }),
  );
  return network.id;
}
