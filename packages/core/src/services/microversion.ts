import { NotSupportedError } from "../errors.js";
import { compareMicroversions } from "../http/microversion.js";
import type { ServiceClient } from "../http/types.js";

/**
 * Microversion gates of the bindings. A field or call that a microversion adds declares
 * `since`; one that a microversion removes declares `until` (the first version without it).
 * Gates are checked against `client.microversion` (the negotiated one) before any I/O.
 */
export interface MicroversionGate {
  /** First microversion with the feature, e.g. "2.37". */
  readonly since?: string;
  /** First microversion WITHOUT the feature, e.g. "2.44" for nova's addFloatingIp. */
  readonly until?: string;
}

/** What a gate reads from a client: its negotiated microversion (and its type, for messages). */
export type Versioned = Pick<ServiceClient, "microversion"> & { readonly serviceType?: string };

/**
 * True when the client's negotiated microversion is at least `since`. A client without a
 * microversion (the service or the cloud has none) supports no gated feature.
 */
export function supportsMicroversion(client: Versioned, since: string): boolean {
  return client.microversion !== undefined && compareMicroversions(client.microversion, since) >= 0;
}

/**
 * Fails with NotSupportedError, before any I/O, when the client's microversion is below `since`.
 *
 * @example requireMicroversion(compute, "2.37", 'networks "auto"')
 */
export function requireMicroversion(client: Versioned, since: string, what: string): void {
  if (!supportsMicroversion(client, since)) {
    throw new NotSupportedError(
      `${what} needs ${client.serviceType ?? "the service"} microversion ${since} or later; ` +
        `this cloud offers ${client.microversion ?? "no microversions"}`,
    );
  }
}

/**
 * Fails with NotSupportedError, before any I/O, when the client's microversion is `until` or
 * later (the feature was removed there). A client without microversions has the feature.
 */
export function requireMicroversionBelow(client: Versioned, until: string, what: string): void {
  if (client.microversion !== undefined && compareMicroversions(client.microversion, until) >= 0) {
    throw new NotSupportedError(
      `${what} was removed in ${client.serviceType ?? "the service"} microversion ${until}; ` +
        `this client negotiated ${client.microversion}`,
    );
  }
}

/** Checks both ends of a {@link MicroversionGate}. */
export function checkGate(client: Versioned, gate: MicroversionGate, what: string): void {
  if (gate.since !== undefined) requireMicroversion(client, gate.since, what);
  if (gate.until !== undefined) requireMicroversionBelow(client, gate.until, what);
}

export { compareMicroversions, parseMicroversion } from "../http/microversion.js";
