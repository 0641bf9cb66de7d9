import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorInfoSchema, RequestInfoSchema } from "../../src/gen/google/rpc/error_details_pb.js";

/** An API error as the console shows it. */
export interface ApiErrorView {
  /** The gRPC status name, e.g. `RESOURCE_EXHAUSTED`. */
  readonly status: string;
  readonly message: string;
  /** The cloud's own request id (X-OpenStack-Request-ID of the failing request), when a cloud answered. */
  readonly cloudRequestId?: string;
  /** The cloud's HTTP status, when a cloud answered. */
  readonly cloudStatus?: string;
  /** oaktree's id of the call (its logs and the cloud's global request id). */
  readonly requestId?: string;
}

/** Reads what the console shows of an error out of a ConnectError's google.rpc details. */
export function describeError(error: unknown): ApiErrorView {
  const connectError = ConnectError.from(error);
  const info = connectError.findDetails(ErrorInfoSchema)[0];
  const request = connectError.findDetails(RequestInfoSchema)[0];
  const cloudRequestId = info?.metadata.cloud_request_id || request?.servingData || undefined;
  const requestId =
    info?.metadata.oaktree_request_id ||
    request?.requestId ||
    connectError.metadata.get("x-request-id") ||
    undefined;
  const cloudStatus = info?.metadata.cloud_status || undefined;
  // fetch() itself failed (oaktree down, connection reset): connect-web says UNKNOWN with the
  // browser's TypeError as the cause; to a user that is oaktree being unavailable.
  const unreachable = connectError.code === Code.Unknown && connectError.cause instanceof TypeError;
  return {
    status: unreachable ? "UNAVAILABLE" : statusName(connectError.code),
    message: unreachable ? `cannot reach oaktree (${connectError.rawMessage})` : connectError.rawMessage,
    ...(cloudRequestId && { cloudRequestId }),
    ...(cloudStatus && { cloudStatus }),
    ...(requestId && { requestId }),
  };
}

/** Whether the server wants credentials (deployer mode without them, or rejected ones). */
export function isUnauthenticated(error: unknown): boolean {
  return ConnectError.from(error).code === Code.Unauthenticated;
}

/** Whether the error is the call being cancelled (the console navigated away from it). */
export function isCanceled(error: unknown): boolean {
  return ConnectError.from(error).code === Code.Canceled;
}

/** `Code.ResourceExhausted` -> `RESOURCE_EXHAUSTED`, as gRPC tools print it. */
function statusName(code: Code): string {
  return (Code[code] ?? String(code)).replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}
