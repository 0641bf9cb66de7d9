import { floatingIpCapability } from "./capabilities.js";
import type { CloudContext } from "./context.js";

/** Which API gives this cloud's floating IPs, and why. */
export interface FloatingIpSource {
  readonly kind: "neutron" | "nova" | "none";
  readonly reason: string;
}

/**
 * Where floating IPs come from on this cloud (memoized per context); the decision table is
 * {@link decideFloatingIpModel}'s in capabilities.ts.
 */
export async function floatingIpSource(ctx: CloudContext): Promise<FloatingIpSource> {
  const { model, reason } = await floatingIpCapability(ctx);
  return { kind: model, reason };
}
