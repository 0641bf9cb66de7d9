import { type ComputeLimits, normalizeLimits } from "../models/limits.js";
import { signalOf } from "../services/call-options.js";
import { getLimits as getLimitsWire } from "../services/compute/v2/limits/requests.js";
import type { CloudContext } from "./context.js";

/** The project's compute limits and usage (nova GET /limits), normalized. */
export async function getComputeLimits(
  ctx: CloudContext,
  options: { readonly signal?: AbortSignal } = {},
): Promise<ComputeLimits> {
  const compute = await ctx.client("compute", options.signal);
  return normalizeLimits(await getLimitsWire(compute, {}, signalOf(options)), await ctx.normalizeContext());
}
