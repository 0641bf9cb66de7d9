import type { FaultRule } from "@oaktree/sim";

/** The services whose requests the soak faults (identity is hit through token expiry only). */
export const FAULTED_SERVICES = ["compute", "network", "image"] as const;

/**
 * The soak's fault mix: about 10% of the requests of each faulted service, every kind of fault the
 * simulator has. `apiTimeoutMs` is oaktree's per-request timeout (clouds.yaml `api_timeout`): the late
 * answers come after it.
 */
export function faultMix(apiTimeoutMs: number): FaultRule[] {
  const perService = FAULTED_SERVICES.flatMap((service): FaultRule[] => [
    { service, errorRate: 0.02, status: 503, retryAfterSeconds: 0 },
    { service, errorRate: 0.005, status: 500 },
    { service, resetConnection: true, probability: 0.01 },
    { service, dropResponse: true, probability: 0.02 },
    { service, responseDelayMs: apiTimeoutMs + 1500, probability: 0.01 },
    { service, slowBodyBytesPerSecond: 4000, probability: 0.01 },
    { service, latencyMs: 300, probability: 0.01 },
  ]);
  return [
    // Behaviours of the create itself (on top of the 10% above, on that one route).
    { service: "compute", route: "POST /servers", failBuild: "No valid host was found.", probability: 0.03 },
    { service: "compute", route: "POST /servers", stuckBuild: true, probability: 0.02 },
    { service: "compute", route: "POST /servers", quotaExceeded: true, probability: 0.02 },
    { service: "network", route: "POST /floatingips", quotaExceeded: true, probability: 0.02 },
    { service: "network", route: "POST /floatingips", fipDelayMs: 2000, probability: 0.2 },
    { service: "network", route: "PUT /floatingips/{id}", fipDelayMs: 2000, probability: 0.2 },
    ...perService,
  ];
}

/**
 * NOTE: tokens die at chosen moments (the soak expires or revokes every issued token every few
 * seconds, as keystone does at a token's expiry or on a revocation event), not with a probability per
 * request: oaktree's one token per cloud is shared by every request in flight, so a per-request chance
 * kills the fresh token again within the burst of resends that follows a 401 (two deaths within
 * milliseconds, which no keystone does), and oaktree, like keystoneauth, re-authenticates once per
 * request.
 */

/** A service down for a while (the soak adds one every few seconds of the run). */
export function outageRule(service: string, forMs: number): FaultRule {
  return { service, down: true, forMs };
}
