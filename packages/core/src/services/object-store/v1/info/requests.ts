import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { infoUrl } from "../urls.js";
import type { SwiftInfoWire } from "../wire.js";

/**
 * Swift's capabilities (`GET /info`): which middleware runs (slo, tempurl, ...) and limits
 * such as `swift.max_file_size`. The document is public; the token is sent anyway.
 */
export async function getSwiftInfo(client: ServiceClient, call: CallOptions = {}): Promise<SwiftInfoWire> {
  const response = await client.request({
    method: "GET",
    path: infoUrl(client.endpoint),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<SwiftInfoWire>();
}
