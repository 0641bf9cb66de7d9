/**
 * Microversion negotiation: the client's maximum per service (what oaktree's bindings know),
 * the server's range from the version document, and the header each service wants. The check
 * that a requested microversion lies in the negotiated range, before any call, is done by
 * http/'s createServiceClient with the range negotiated here.
 */
import { NotSupportedError } from "../errors.js";
import { compareMicroversions } from "../http/microversion.js";

/** A microversion range, both ends inclusive (`{min: "2.1", max: "2.93"}`). */
export interface MicroversionRange {
  readonly min: string;
  readonly max: string;
}

/**
 * The newest microversion oaktree's bindings understand, per official service type. Raise a
 * value only together with the bindings that handle the newer responses: the negotiated
 * default is min(this, server max), and every response is parsed assuming at most this.
 * Services absent here are used without microversions (their base version).
 *
 * Values are the maxima of OpenStack Zed (2022.2), the release the bindings are written and
 * tested against (the real cloud in CI and the simulator's modern profile): nova 2.93,
 * cinder 3.70, placement 1.39.
 */
export const CLIENT_MAX_MICROVERSIONS: Readonly<Record<string, string>> = {
  compute: "2.93",
  "block-storage": "3.70",
  placement: "1.39",
};

/** The result of negotiating one service's microversions. */
export interface NegotiatedMicroversions {
  /** The range usable by this client against this server: [server min, min(client max, server max)]. */
  readonly range: MicroversionRange;
  /** The microversion sent by default: the top of `range`. */
  readonly default: string;
}

/**
 * Negotiates a service's microversions. Returns undefined when the server offers none, or
 * when oaktree's bindings know none for this service (`clientMax` undefined): then no header
 * is sent. Throws NotSupportedError when the ranges do not overlap (a server whose minimum is
 * above what oaktree knows).
 */
export function negotiateMicroversion(
  serviceType: string,
  server: MicroversionRange | undefined,
  clientMax: string | undefined = CLIENT_MAX_MICROVERSIONS[serviceType],
): NegotiatedMicroversions | undefined {
  if (!server || clientMax === undefined) return undefined;
  if (compareMicroversions(server.min, clientMax) > 0) {
    throw new NotSupportedError(
      `${serviceType}: the cloud requires microversion ${server.min} or newer, oaktree knows up to ${clientMax}`,
    );
  }
  const max = compareMicroversions(clientMax, server.max) < 0 ? clientMax : server.max;
  return { range: { min: server.min, max }, default: max };
}

/**
 * The headers that ask `serviceType` for `microversion`.
 *
 * NOTE: nova understands `OpenStack-API-Version: compute X` only from 2.27 on and needs
 * `X-OpenStack-Nova-API-Version` before that, so both are sent. cinder names itself `volume`
 * in the header (from 3.0), placement `placement`; ironic and manila have their own legacy
 * headers. Any other service gets the standard `OpenStack-API-Version: <service-type> X`.
 */
export function microversionHeaders(serviceType: string, microversion: string): Record<string, string> {
  switch (serviceType) {
    case "compute":
      return {
        "X-OpenStack-Nova-API-Version": microversion,
        "OpenStack-API-Version": `compute ${microversion}`,
      };
    case "block-storage":
      return { "OpenStack-API-Version": `volume ${microversion}` };
    case "baremetal":
      return { "X-OpenStack-Ironic-API-Version": microversion };
    case "shared-file-system":
      return { "X-OpenStack-Manila-API-Version": microversion };
    default:
      return { "OpenStack-API-Version": `${serviceType} ${microversion}` };
  }
}
