import { Code, ConnectError } from "@connectrpc/connect";
import { OaktreeError } from "@oaktree/core";
import { ErrorInfoSchema, RequestInfoSchema } from "./api.js";

/** The `oaktree` exit codes (docs/cli.md). */
export const ExitCode = {
  ok: 0,
  general: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  unavailable: 5,
  /** Ctrl-C: 128 + SIGINT, as shells report it. */
  interrupted: 130,
} as const;

/** A mistake in the command line that the client finds itself (exit code 2). */
export class UsageError extends OaktreeError {
  override readonly name = "UsageError";
}

/** What the user sees for an error, and the exit code. */
export interface ErrorReport {
  /** One line, without the trailing newline. */
  readonly line: string;
  readonly exitCode: number;
}

/**
 * The one line and exit code for an error: `error: <STATUS>: <message> (cloud request id …)`
 * for the API's errors (the request ids from their ErrorInfo/RequestInfo details), the message
 * for the client's own.
 */
export function reportOf(error: unknown): ErrorReport {
  if (error instanceof ConnectError) {
    const tls = tlsFailureOf(error);
    if (tls) {
      return {
        line: `error: UNAVAILABLE: TLS with the server failed: ${tls} (its CA: --ca FILE; mutual TLS: --cert/--key)`,
        exitCode: ExitCode.unavailable,
      };
    }
    const ids = requestIdsOf(error);
    return {
      line: `error: ${statusName(error.code)}: ${error.rawMessage}${ids ? ` (${ids})` : ""}`,
      exitCode: exitCodeOf(error.code),
    };
  }
  if (error instanceof UsageError) return { line: `error: ${error.message}`, exitCode: ExitCode.usage };
  if (error instanceof OaktreeError) return { line: `error: ${error.message}`, exitCode: ExitCode.general };
  throw error;
}

/** The exit code for a gRPC status. */
export function exitCodeOf(code: Code): number {
  switch (code) {
    case Code.InvalidArgument:
      return ExitCode.usage;
    case Code.NotFound:
      return ExitCode.notFound;
    case Code.AlreadyExists:
    case Code.FailedPrecondition:
    case Code.Aborted:
      return ExitCode.conflict;
    case Code.Unavailable:
    case Code.DeadlineExceeded:
      return ExitCode.unavailable;
    default:
      return ExitCode.general;
  }
}

/** UPPER_SNAKE_CASE as gRPC names its status codes: Code.NotFound -> "NOT_FOUND". */
export function statusName(code: Code): string {
  return (Code[code] ?? String(code)).replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

/** "cloud request id req-…, oaktree request id …", from whichever details the error carries. */
function requestIdsOf(error: ConnectError): string {
  const metadata: Record<string, string> = {};
  for (const info of error.findDetails(ErrorInfoSchema)) Object.assign(metadata, info.metadata);
  const [requestInfo] = error.findDetails(RequestInfoSchema);
  const cloud = metadata.cloud_request_id || requestInfo?.servingData;
  const own = metadata.oaktree_request_id || requestInfo?.requestId;
  return [cloud && `cloud request id ${cloud}`, own && `oaktree request id ${own}`]
    .filter(Boolean)
    .join(", ");
}

/**
 * The reason when the client's own TLS handshake failed (connect-node reports it as INTERNAL,
 * which would read as the server's bug): an untrusted or mismatched certificate, or a refused one.
 */
function tlsFailureOf(error: ConnectError): string | undefined {
  if (error.code !== Code.Internal && error.code !== Code.Unavailable) return undefined;
  for (let cause: unknown = error.cause, depth = 0; cause instanceof Error && depth < 5; depth += 1) {
    const code = (cause as NodeJS.ErrnoException).code ?? "";
    if (/CERT|SELF_SIGNED|UNABLE_TO_|^ERR_TLS_|^ERR_SSL_|^EPROTO$/.test(code)) {
      // OpenSSL's "…:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:<file>:…": the reason.
      return (
        /:SSL routines:[^:]*:([^:]+):/.exec(cause.message)?.[1] ?? (cause.message.split("\n")[0] as string)
      );
    }
    cause = cause.cause;
  }
  return undefined;
}
