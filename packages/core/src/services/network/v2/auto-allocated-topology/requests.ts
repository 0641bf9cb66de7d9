import { OaktreeError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { requireId } from "../../../query.js";
import { autoAllocatedTopologyPath } from "./urls.js";
import type { AutoAllocatedTopologyDryRunWire, AutoAllocatedTopologyWire } from "./wire.js";

/**
 * NOTE: neutron wraps the answer in `{"auto_allocated_topology": {...}}`, but neutron-lib's
 * api-ref sample shows it bare; both are accepted.
 */
function topologyOf<T>(body: unknown): T {
  const record = body as Record<string, unknown> | undefined;
  const inner = record?.auto_allocated_topology ?? record;
  if (inner === undefined || inner === null || typeof inner !== "object") {
    throw new OaktreeError("network: the auto-allocated-topology response has no body");
  }
  return inner as T;
}

/**
 * The project's auto-allocated network ("get me a network"), allocating it on first call:
 * NOTE: this GET creates a network, subnets and a router to the default external network
 * (`is_default`) when the project has none yet (extension "auto-allocated-topology").
 */
export async function getAutoAllocatedTopology(
  client: ServiceClient,
  projectId: string,
  call: CallOptions = {},
): Promise<AutoAllocatedTopologyWire> {
  const response = await client.request({
    method: "GET",
    path: autoAllocatedTopologyPath(requireId("projectId", projectId)),
    okStatus: [200],
    ...callFields(call),
  });
  return topologyOf<AutoAllocatedTopologyWire>(response.json());
}

/**
 * Checks, without allocating anything, that auto-allocation can work for the project
 * (`?fields=dry-run`). Resolves when it can; neutron answers 409 (a ConflictError from the
 * transport) naming what is missing, e.g. no default external network or subnet pool.
 */
export async function validateAutoAllocatedTopology(
  client: ServiceClient,
  projectId: string,
  call: CallOptions = {},
): Promise<AutoAllocatedTopologyDryRunWire> {
  const response = await client.request({
    method: "GET",
    path: autoAllocatedTopologyPath(requireId("projectId", projectId)),
    query: { fields: "dry-run" },
    okStatus: [200],
    ...callFields(call),
  });
  return topologyOf<AutoAllocatedTopologyDryRunWire>(response.json());
}

/** Deletes the project's auto-allocated topology (`DELETE`, 204). */
export async function deleteAutoAllocatedTopology(
  client: ServiceClient,
  projectId: string,
  call: CallOptions = {},
): Promise<void> {
  await client.request({
    method: "DELETE",
    path: autoAllocatedTopologyPath(requireId("projectId", projectId)),
    okStatus: [204],
    ...callFields(call),
  });
}
