import { NotSupportedError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import { compareMicroversions } from "../../../microversion.js";

/** The last compute microversion that still serves nova's network proxy APIs. */
export const NOVA_NETWORK_PROXY_MAX = "2.35";

/**
 * The microversion a nova-network proxy call (os-floating-ips, os-floating-ip-pools,
 * os-security-groups, os-security-group-rules, os-networks) must be sent with.
 *
 * NOTE: compute 2.36 deprecated every API that proxies to another service: from 2.36 on they
 * answer 404. So these calls pin 2.35 when the negotiated version is higher, keep the
 * negotiated one when it is 2.35 or lower, and send none on clouds without microversions.
 * A cloud whose minimum is above 2.35 (none so far) cannot serve them: NotSupportedError.
 */
export function proxyMicroversion(client: ServiceClient, what: string): string | undefined {
  const current = client.microversion;
  if (current === undefined || compareMicroversions(current, NOVA_NETWORK_PROXY_MAX) <= 0) return undefined;
  const min = client.microversions?.min;
  if (min !== undefined && compareMicroversions(min, NOVA_NETWORK_PROXY_MAX) > 0) {
    throw new NotSupportedError(
      `${what} needs compute microversion ${NOVA_NETWORK_PROXY_MAX} or lower; this cloud's minimum is ${min}`,
    );
  }
  return NOVA_NETWORK_PROXY_MAX;
}

/** `{ microversion }` for RequestOptions, or nothing when the default applies. */
export function proxyVersionField(client: ServiceClient, what: string): { microversion?: string } {
  const microversion = proxyMicroversion(client, what);
  return microversion === undefined ? {} : { microversion };
}
