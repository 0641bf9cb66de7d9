import type { HandlerContext } from "@connectrpc/connect";
import { ResourceNotFoundError } from "@oaktree/core";
import { invalidArgument } from "../errors.js";

/**
 * Small pieces every resource handler uses: the call's signal for core, required fields
 * checked before any cloud call, and a delete of nothing reported as NOT_FOUND.
 */

/** The call's cancellation (client gone, deadline passed, server stopping), for core. */
export function callOf(context: HandlerContext): { signal: AbortSignal } {
  return { signal: context.signal };
}

/** A required string field: INVALID_ARGUMENT naming it when empty or blank. */
export function required(field: string, value: string): string {
  if (value.trim() === "") throw invalidArgument(field, "is required");
  return value;
}

/** A string field that is optional in proto3 terms: empty means "not given". */
export function given(value: string): string | undefined {
  return value === "" ? undefined : value;
}

/**
 * How long a wait may take, in ms: the request's `timeout_seconds` (0: core's default),
 * never beyond the call's own deadline.
 */
export function waitTimeoutMs(field: string, seconds: number, context: HandlerContext): number | undefined {
  if (!Number.isInteger(seconds) || seconds < 0) throw invalidArgument(field, "must be 0 or more seconds");
  const asked = seconds > 0 ? seconds * 1000 : undefined;
  const deadline = context.timeoutMs();
  if (deadline === undefined) return asked;
  return asked === undefined ? deadline : Math.min(asked, deadline);
}

/** Core deletes answer false when there was nothing to delete: that is NOT_FOUND, as for a get. */
export function deleted(kind: string, nameOrId: string, existed: boolean): void {
  if (!existed) throw new ResourceNotFoundError(kind, nameOrId);
}
