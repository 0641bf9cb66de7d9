import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { requireId } from "../../../query.js";
import { unwrap } from "../resource.js";
import { EXTENSIONS_PATH, extensionPath } from "./urls.js";
import type { ExtensionWire } from "./wire.js";

/** Every extension the cloud's neutron has loaded: what it can do (not paged). */
export async function listExtensions(
  client: ServiceClient,
  call: CallOptions = {},
): Promise<ExtensionWire[]> {
  const response = await client.request({
    method: "GET",
    path: EXTENSIONS_PATH,
    okStatus: [200],
    ...callFields(call),
  });
  return [...(response.json<{ extensions?: ExtensionWire[] }>()?.extensions ?? [])];
}

/** One extension by alias; a NotFoundError from the transport means it is not loaded. */
export async function getExtension(
  client: ServiceClient,
  alias: string,
  call: CallOptions = {},
): Promise<ExtensionWire> {
  const response = await client.request({
    method: "GET",
    path: extensionPath(requireId("alias", alias)),
    okStatus: [200],
    ...callFields(call),
  });
  return unwrap<ExtensionWire>(response.json(), "extension");
}
