import { SimError } from "./errors.js";
import type { FaultDecision, FaultKind } from "./faults.js";
import type { SimContext, SimHandler } from "./service.js";
import type { World } from "./world.js";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Status recorded in the request log for a request whose connection was destroyed (nginx's 499). */
export const CONNECTION_DESTROYED = 499;

/** Notes in the request's log entry that a fault of this kind hit it. */
export function noteFault(c: SimContext, kind: FaultKind): void {
  const kinds = c.get("faults");
  if (kinds) kinds.push(kind);
  else c.set("faults", [kind]);
}

/**
 * Applies a fault decision around a route's handler (`run`: auth, `before` hook, handler): latency
 * and what happens before the handler (reset, injected status, quota error, token expiry), then what
 * happens to its answer (lost, late, trickled).
 */
export async function withFaults(
  c: SimContext,
  decision: FaultDecision,
  service: string,
  route: string,
  run: SimHandler,
): Promise<Response> {
  for (const kind of decision.kinds) noteFault(c, kind);
  if (decision.latencyMs > 0) await sleep(decision.latencyMs);
  if (decision.resetConnection) return destroy(c);
  if (decision.status !== undefined) {
    const headers: Record<string, string> =
      decision.retryAfterSeconds === undefined ? {} : { "Retry-After": String(decision.retryAfterSeconds) };
    throw new SimError(decision.status, decision.message ?? `Injected fault (${decision.status})`, {
      headers,
    });
  }
  if (decision.quotaExceeded) throw quotaError(c, service, route, decision.message);
  if (decision.expireToken || decision.revokeToken) {
    const world = c.var.sim.world;
    const token = world.tokens.get(c.req.header("x-auth-token") ?? "");
    if (token && decision.revokeToken) token.revoked = true;
    if (token && decision.expireToken)
      world.tokens.set(token.id, { ...token, expires_at: world.clock.now() });
  }
  if (decision.dropResponse) {
    // The request is applied (the handler runs to the end), then the client never hears of it.
    try {
      await run(c);
    } catch {
      // An error answer is lost all the same.
    }
    return destroy(c);
  }
  const delayed = async (): Promise<Response> => {
    try {
      return await run(c);
    } finally {
      if (decision.responseDelayMs) await sleep(decision.responseDelayMs);
    }
  };
  const res = await delayed();
  if (decision.slowBodyBytesPerSecond !== undefined) return trickle(res, decision.slowBodyBytesPerSecond);
  return res;
}

function destroy(c: SimContext): Response {
  c.env.incoming.socket.destroy();
  return new Response(null, { status: CONNECTION_DESTROYED });
}

/** The same answer with its body sent in 10 chunks a second at `bytesPerSecond`. */
async function trickle(res: Response, bytesPerSecond: number): Promise<Response> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  const chunk = Math.max(1, Math.floor(bytesPerSecond / 10));
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      if (offset > 0) await sleep(100);
      controller.enqueue(bytes.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
  const headers = new Headers(res.headers);
  headers.delete("content-length");
  return new Response(bytes.length === 0 ? null : body, { status: res.status, headers });
}

/** The resource a create route counts against, per service (for the quota error's wording). */
const NEUTRON_RESOURCES: Record<string, string> = {
  "POST /floatingips": "floatingip",
  "POST /ports": "port",
  "POST /networks": "network",
  "POST /subnets": "subnet",
  "POST /routers": "router",
  "POST /security-groups": "security_group",
  "POST /security-group-rules": "security_group_rule",
};

/**
 * The quota error the real service answers on a create: nova 403 (Zed maps OverQuota to 403),
 * neutron 409 `OverQuota`, cinder 413 `overLimit` with `Retry-After: 0`, glance 413.
 */
export function quotaError(c: SimContext, service: string, route: string, message?: string): SimError {
  const world: World = c.var.sim.world;
  const project = world.tokens.get(c.req.header("x-auth-token") ?? "")?.project_id ?? "";
  switch (service) {
    case "compute": {
      const limit = world.quota("compute", project, "instances");
      return new SimError(
        403,
        message ??
          `Quota exceeded for instances: Requested 1, but already used ${limit} of ${limit} instances`,
      );
    }
    case "network": {
      const resource = NEUTRON_RESOURCES[route] ?? route.split("/")[1]?.replace(/s$/, "") ?? "resource";
      return new SimError(409, message ?? `Quota exceeded for resources: ['${resource}'].`, {
        type: "OverQuota",
      });
    }
    case "block-storage": {
      const limit = world.quota("volume", project, "volumes");
      return new SimError(
        413,
        message ??
          `VolumeLimitExceeded: Maximum number of volumes allowed (${limit}) exceeded for quota 'volumes'.`,
        { headers: { "Retry-After": "0" } },
      );
    }
    default:
      return new SimError(413, message ?? "Denying attempt to upload image because it exceeds the quota");
  }
}
