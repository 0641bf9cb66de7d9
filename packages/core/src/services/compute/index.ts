/**
 * Compute (nova v2.1) bindings: free functions taking a compute ServiceClient first. They
 * return nova's JSON (wire) types; models/ normalizes them.
 *
 * @example
 * for await (const server of compute.listServersDetail(client, { status: "ACTIVE" })) console.log(server.id);
 */

export * from "./nova-network.js";
export * from "./v2/flavors/requests.js";
export * from "./v2/keypairs/requests.js";
export * from "./v2/limits/requests.js";
export * from "./v2/quota-sets/requests.js";
export * from "./v2/server-groups/requests.js";
export * from "./v2/servers/actions.js";
export * from "./v2/servers/attachments.js";
export * from "./v2/servers/metadata.js";
export * from "./v2/servers/requests.js";
