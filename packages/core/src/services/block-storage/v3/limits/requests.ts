import { OaktreeError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { limitsPath } from "./urls.js";
import type { VolumeLimitsWire } from "./wire.js";

/** The project's block-storage limits and usage (`GET /limits`). */
export async function getVolumeLimits(
  client: ServiceClient,
  call: CallOptions = {},
): Promise<VolumeLimitsWire> {
  const response = await client.request({
    method: "GET",
    path: limitsPath(),
    okStatus: [200],
    ...callFields(call),
  });
  const limits = response.json<{ limits?: VolumeLimitsWire } | undefined>()?.limits;
  if (!limits) throw new OaktreeError('block-storage: the response has no "limits"');
  return limits;
}
