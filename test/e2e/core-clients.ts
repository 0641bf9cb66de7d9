import {
  parseV3Catalog,
  selectEndpoint,
  substituteProjectId,
} from "../../packages/core/src/catalog/catalog.js";
import { createDocumentCache, discoverVersion } from "../../packages/core/src/catalog/discovery.js";
import { microversionHeaders, negotiateMicroversion } from "../../packages/core/src/catalog/microversions.js";
import { createServiceClient } from "../../packages/core/src/http/service-client.js";
import { createHttpStack, type HttpStack } from "../../packages/core/src/http/stack.js";
import type { ServiceClient } from "../../packages/core/src/http/types.js";
import type { RawSession } from "./raw-client.js";

/** packages/core service clients over a raw session's token, and the stack to close after. */
export interface CoreClients {
  /** The client of an official service type, discovered and microversion-negotiated like the core does. */
  client(serviceType: string): Promise<ServiceClient>;
  close(): Promise<void>;
}

/**
 * Builds packages/core ServiceClients (http stack, catalog, discovery, microversion
 * negotiation) on the token of the suite's raw session, to drive the core's bindings against
 * the real cloud. The token is the raw client's, so these tests do not depend on auth/.
 */
export function coreClients(session: RawSession): CoreClients {
  const token = session.token;
  const stack: HttpStack = createHttpStack({
    auth: { getToken: async () => token, invalidate: () => {} },
    retry: false,
  });
  const catalog = parseV3Catalog(session.catalog);
  const documents = createDocumentCache();
  const clients = new Map<string, Promise<ServiceClient>>();
  const build = async (serviceType: string): Promise<ServiceClient> => {
    const selected = selectEndpoint(catalog, { serviceType, interface: "public" });
    if (!selected) throw new Error(`no public endpoint for ${serviceType} in the catalog`);
    const url = substituteProjectId(selected.endpoint.url, session.projectId);
    const d = await discoverVersion(
      { send: stack, documents },
      { serviceType, url, projectId: session.projectId },
    );
    const negotiated = negotiateMicroversion(serviceType, d.microversions);
    return createServiceClient({
      handler: stack,
      serviceType,
      endpoint: d.endpoint,
      version: d.version,
      ...(negotiated && {
        microversions: negotiated.range,
        microversion: negotiated.default,
        microversionHeaders: (v: string) => microversionHeaders(serviceType, v),
      }),
    });
  };
  return {
    client(serviceType) {
      let c = clients.get(serviceType);
      if (!c) {
        c = build(serviceType);
        clients.set(serviceType, c);
      }
      return c;
    },
    close: () => stack.close(),
  };
}

/** Collects an async iterable into an array (bounded by what the cloud returns). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
