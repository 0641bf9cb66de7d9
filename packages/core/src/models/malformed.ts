import { OaktreeError } from "../errors.js";

/**
 * The cloud sent a resource oaktree cannot read: not a JSON object, or a field of the wrong
 * type where the model needs it (a proxy's page, a half-broken service, a foreign API). The
 * cause is the error the normalizer met; `kind` names the resource.
 */
export class MalformedResourceError extends OaktreeError {
  override readonly name = "MalformedResourceError";
  constructor(
    readonly kind: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`the cloud sent a ${kind} oaktree cannot read: ${problem}`, options);
  }
}

/**
 * Wraps a normalizer so that the cloud's malformed JSON ends as a typed
 * {@link MalformedResourceError} instead of a TypeError deep inside it. A normalizer's own
 * OaktreeErrors pass through unchanged.
 */
export function readingWire<W, C, M>(
  kind: string,
  normalize: (wire: W, ctx: C) => M,
): (wire: W, ctx: C) => M {
  return (wire, ctx) => {
    if (wire === null || typeof wire !== "object" || Array.isArray(wire)) {
      throw new MalformedResourceError(kind, `expected a JSON object, got ${preview(wire)}`);
    }
    try {
      return normalize(wire, ctx);
    } catch (error) {
      if (error instanceof OaktreeError) throw error;
      throw new MalformedResourceError(kind, `${(error as Error)?.message ?? error} (in ${preview(wire)})`, {
        cause: error,
      });
    }
  };
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
