import { keystoneErrorStyle, SimError } from "./errors.js";
import type { TokenRecord } from "./records.js";
import type { SimContext } from "./service.js";
import type { World } from "./world.js";

/** Why a token is not valid, or undefined when it is. */
export function tokenProblem(world: World, token: TokenRecord | undefined): string | undefined {
  if (!token) return "The request you have made requires authentication.";
  if (token.revoked) return "The request you have made requires authentication.";
  if (token.expires_at <= world.clock.now()) return "The request you have made requires authentication.";
  const user = world.users.get(token.user_id);
  if (!user?.enabled) return "The request you have made requires authentication.";
  return undefined;
}

/** A 401 as keystonemiddleware sends it, with `WWW-Authenticate` pointing at keystone. */
export function unauthorized(
  c: SimContext,
  message = "The request you have made requires authentication.",
): SimError {
  return new SimError(401, message, {
    style: keystoneErrorStyle,
    headers: { "WWW-Authenticate": `Keystone uri="${c.var.sim.baseUrl}/identity"` },
  });
}

/** Validates `X-Auth-Token` and returns the token record; throws a 401 otherwise. */
export function authenticate(c: SimContext): TokenRecord {
  const id = c.req.header("x-auth-token");
  const world = c.var.sim.world;
  const token = id === undefined ? undefined : world.tokens.get(id);
  if (tokenProblem(world, token) !== undefined) throw unauthorized(c);
  return token!;
}

/** True when the token carries the `admin` role. */
export function isAdmin(c: SimContext): boolean {
  const t = c.var.token;
  if (!t) return false;
  const roles = c.var.sim.world.roles;
  return t.role_ids.some((id) => roles.get(id)?.name === "admin");
}

/** The project the token is scoped to; 401 for unscoped tokens on project APIs. */
export function projectOf(c: SimContext): string {
  const p = c.var.token?.project_id;
  if (!p)
    throw new SimError(401, "The request you have made requires authentication.", {
      style: keystoneErrorStyle,
    });
  return p;
}
