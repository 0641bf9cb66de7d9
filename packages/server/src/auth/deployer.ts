import { callScopedStorage, type TokenInfo, withCallerToken } from "@oaktree/core";
import type { CloudRegistry } from "../clouds.js";
import type { Location } from "../gen/oaktree/v1/location_pb.js";
import type { CallerAuthenticator } from "./caller-auth.js";
import { credentialFrom, permissionDenied, unauthenticated } from "./credentials.js";

/** The caller of the call being served (deployer mode): its validated token, and which cloud's keystone said so. */
export interface Caller {
  readonly cloud: string;
  readonly token: TokenInfo;
}

const callers = callScopedStorage<Caller>();

/** The caller of the call being served, if the server runs in deployer mode. */
export function currentCaller(): Caller | undefined {
  return callers.getStore();
}

/** What the instrument layer knows of a call before its handler runs. */
export interface CallToAuthorize {
  /** The request message (unary and server-streaming calls); undefined for client streams. */
  readonly input: unknown;
  readonly header: Headers;
}

/** Runs a handler step on behalf of the authorized caller. */
export type OnBehalf = <T>(fn: () => T) => T;

/**
 * Checks a call's credentials before anything else (instrument.ts calls it first) and returns
 * how to run its handler as that caller. Throws UNAUTHENTICATED (missing or refused
 * credentials), UNAVAILABLE (keystone unreachable), PERMISSION_DENIED (a location in another
 * project), INVALID_ARGUMENT (an unknown `location.cloud`: whose keystone would judge?).
 */
export type Authorize = (call: CallToAuthorize) => Promise<OnBehalf>;

/**
 * Deployer mode's {@link Authorize}: the credential is validated by the keystone of the cloud
 * the request's location names (the default cloud when it names none, and for client streams,
 * whose location arrives later); the caller's token then rides with the call, where the
 * CloudRegistry picks the caller's project and core's delegated auth sends the token.
 */
export function deployerAuthorizer(clouds: CloudRegistry, authenticator: CallerAuthenticator): Authorize {
  return async ({ input, header }) => {
    const credential = credentialFrom(header);
    const location = locationOf(input);
    const config = clouds.configOfCloud(location?.cloud);
    const token = await authenticator.authenticate(config, credential);
    checkProject(location, token);
    const caller: Caller = { cloud: config.name, token };
    return (fn) => callers.run(caller, () => withCallerToken(token, fn));
  };
}

/**
 * PERMISSION_DENIED when `location.project` (any of id, name, domain) names another project
 * than the token's: a caller acts only in the project its credentials are scoped to.
 */
export function checkProject(location: Location | undefined, token: TokenInfo): void {
  if (!location?.project) return;
  const wanted = projectFields(location.project);
  const mine = token.project ?? {};
  const mismatch = (
    [
      ["id", wanted.id, mine.id],
      ["name", wanted.name, mine.name],
      ["domain_id", wanted.domainId, mine.domainId],
      ["domain_name", wanted.domainName, mine.domainName],
    ] as const
  ).find(([, asked, actual]) => asked !== undefined && asked !== "" && asked !== actual);
  if (mismatch) {
    const [field, asked] = mismatch;
    throw permissionDenied(
      `location.project.${field}: "${asked}" is not the project of your credentials (${mine.name ?? "?"}, id ${mine.id ?? "?"})`,
    );
  }
}

/** The caller a cloud call acts for; UNAUTHENTICATED outside an authorized call or on another cloud. */
export function callerFor(cloud: string): Caller {
  const caller = currentCaller();
  if (!caller) throw unauthenticated("no credentials were checked for this call");
  if (caller.cloud !== cloud) {
    throw unauthenticated(
      `your credentials were checked by cloud "${caller.cloud}"'s keystone, not cloud "${cloud}"'s: name the cloud in the first message's location`,
    );
  }
  return caller;
}

/**
 * The id, name and domain a location's project names: oaktree.v1's plain fields, or the 2017
 * API's oneofs (`project: {case: "id" | "name"}`, `domain: {case: "domainId" | "domainName"}`).
 */
function projectFields(project: object): {
  id?: string;
  name?: string;
  domainId?: string;
  domainName?: string;
} {
  const legacy = project as {
    project?: { case?: string; value?: unknown };
    domain?: { case?: string; value?: unknown };
  };
  if (typeof legacy.project === "object" || typeof legacy.domain === "object") {
    const of = (oneof: { case?: string; value?: unknown } | undefined) =>
      oneof?.case !== undefined && typeof oneof.value === "string" ? { [oneof.case]: oneof.value } : {};
    return { ...of(legacy.project), ...of(legacy.domain) };
  }
  return project as { id?: string; name?: string; domainId?: string; domainName?: string };
}

function locationOf(input: unknown): Location | undefined {
  if (typeof input !== "object" || input === null || !("location" in input)) return undefined;
  return (input as { location?: Location }).location;
}
