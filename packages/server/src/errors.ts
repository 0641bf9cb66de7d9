import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  AmbiguousNameError,
  AuthenticationError,
  BadRequestError,
  ConfigError,
  ConflictError,
  ConnectionError,
  ForbiddenError,
  ImageUploadRetryError,
  InvalidResponseError,
  MalformedResourceError,
  NoCallerTokenError,
  NotFoundError,
  NotSupportedError,
  OaktreeError,
  OpenStackError,
  OverLimitError,
  ResourceNotFoundError,
  ServiceUnavailableError,
  StateUnavailableError,
  TimeoutError,
  UnauthorizedError,
  ValidationError,
} from "@oaktree/core";
import {
  BadRequest_FieldViolationSchema,
  BadRequestSchema,
  ErrorInfoSchema,
  RequestInfoSchema,
  ResourceInfoSchema,
} from "./gen/google/rpc/error_details_pb.js";

/** A detail ConnectError carries into google.rpc.Status.details. */
type OutgoingDetail = NonNullable<ConstructorParameters<typeof ConnectError>[3]>[number];

/** The domain of every ErrorInfo oaktree sends. */
export const ERROR_DOMAIN = "oaktree.openstack.org";

/** Bad input found by a handler before any cloud call: `field` is the request's field path. */
export function invalidArgument(field: string, problem: string): ConnectError {
  return new ConnectError(`${field}: ${problem}`, Code.InvalidArgument, undefined, [
    { desc: BadRequestSchema, value: { fieldViolations: [{ field, description: problem }] } },
    { desc: ErrorInfoSchema, value: { reason: "INVALID_ARGUMENT", domain: ERROR_DOMAIN } },
  ]);
}

/**
 * The one mapping from oaktree's errors to gRPC status (DESIGN.md "The API"): the cloud's
 * message, its request id and oaktree's own in the details. Anything that is not an
 * OaktreeError is a bug: INTERNAL, with the request id to find it in the logs, and no
 * internals in the message.
 */
export function toConnectError(error: unknown, requestId?: string): ConnectError {
  if (error instanceof ConnectError) return error;
  const requestInfo = requestId
    ? [{ desc: RequestInfoSchema, value: create(RequestInfoSchema, { requestId, ...cloudIdOf(error) }) }]
    : [];
  if (!(error instanceof OaktreeError)) {
    if (error instanceof Error && error.name === "AbortError") {
      return new ConnectError("the call was cancelled", Code.Canceled, undefined, requestInfo);
    }
    return new ConnectError(
      `internal error${requestId ? ` (request ${requestId})` : ""}`,
      Code.Internal,
      undefined,
      requestInfo,
      error,
    );
  }
  const code = codeOf(error);
  const details: OutgoingDetail[] = [
    { desc: ErrorInfoSchema, value: create(ErrorInfoSchema, errorInfoOf(error, requestId)) },
    ...requestInfo,
  ];
  if (error instanceof ValidationError) {
    const violation = create(BadRequest_FieldViolationSchema, {
      field: error.field,
      description: error.message.slice(error.field.length + 2),
    });
    details.push({
      desc: BadRequestSchema,
      value: create(BadRequestSchema, { fieldViolations: [violation] }),
    });
  }
  if (error instanceof ResourceNotFoundError || error instanceof AmbiguousNameError) {
    const resource = create(ResourceInfoSchema, {
      resourceType: error.kind,
      resourceName: error.nameOrId,
      description: error instanceof ResourceNotFoundError ? "not found" : "ambiguous name",
    });
    details.push({ desc: ResourceInfoSchema, value: resource });
  }
  return new ConnectError(error.message, code, undefined, details, error);
}

/** The gRPC code for an oaktree error. */
export function codeOf(error: OaktreeError): Code {
  if (error instanceof ValidationError) return Code.InvalidArgument;
  if (error instanceof ResourceNotFoundError) return Code.NotFound;
  if (error instanceof AmbiguousNameError) return Code.FailedPrecondition;
  if (error instanceof NotSupportedError) return Code.FailedPrecondition;
  if (error instanceof ConfigError) return Code.FailedPrecondition;
  // The cloud refused one upload method after the stream was spent; core switched to the next,
  // so the same call again succeeds: UNAVAILABLE says "retry" (the cause's 403 would say don't).
  if (error instanceof ImageUploadRetryError) return Code.Unavailable;
  // Redis unreachable and the call needs it (a client token's lease): retrying later is safe.
  if (error instanceof StateUnavailableError) return Code.Unavailable;
  // The cloud answered with something that is not its API (a proxy's HTML page, a cut body,
  // mistyped JSON): the cloud is not serving properly, which is UNAVAILABLE, not oaktree's bug.
  if (error instanceof InvalidResponseError || error instanceof MalformedResourceError)
    return Code.Unavailable;
  if (error instanceof OpenStackError) return codeOfCloudError(error);
  // keystone refused a token (deployer mode: the caller's, found revoked by the cloud).
  if (error instanceof AuthenticationError) return Code.Unauthenticated;
  // Deployer mode: shared work found no caller's token left; the next call brings one.
  if (error instanceof NoCallerTokenError) return Code.Unavailable;
  // Another OaktreeError (e.g. a create that failed and was rolled back): the cloud refused.
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof OaktreeError) return codeOf(cause);
  return Code.Aborted;
}

function codeOfCloudError(error: OpenStackError): Code {
  if (error instanceof BadRequestError) return Code.InvalidArgument;
  if (error instanceof UnauthorizedError) return Code.Unauthenticated;
  if (error instanceof ForbiddenError) return Code.PermissionDenied;
  if (error instanceof NotFoundError) return Code.NotFound;
  if (error instanceof OverLimitError) return Code.ResourceExhausted;
  // neutron/nova 409: an object in the way (name in use) or in the wrong state (server busy).
  if (error instanceof ConflictError) return Code.FailedPrecondition;
  if (error instanceof TimeoutError) return Code.DeadlineExceeded;
  if (error instanceof ServiceUnavailableError || error instanceof ConnectionError) return Code.Unavailable;
  if (error.status === 413) return Code.ResourceExhausted;
  return Code.Unknown;
}

function errorInfoOf(error: OaktreeError, requestId: string | undefined) {
  const metadata: Record<string, string> = {};
  if (requestId) metadata.oaktree_request_id = requestId;
  const cloudError = cloudErrorOf(error);
  if (cloudError) {
    if (cloudError.requestId) metadata.cloud_request_id = cloudError.requestId;
    if (cloudError.status !== undefined) metadata.cloud_status = String(cloudError.status);
    if (cloudError.serviceType) metadata.cloud_service = cloudError.serviceType;
    metadata.cloud_method = cloudError.method;
  }
  return { reason: reasonOf(error), domain: ERROR_DOMAIN, metadata };
}

/** A stable UPPER_SNAKE_CASE reason from the error's class name: "ResourceNotFoundError" -> "RESOURCE_NOT_FOUND". */
function reasonOf(error: OaktreeError): string {
  return error.name
    .replace(/Error$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase();
}

function cloudIdOf(error: unknown): { servingData?: string } {
  const requestId = cloudErrorOf(error)?.requestId;
  return requestId ? { servingData: requestId } : {};
}

/**
 * The cloud's answer behind an error: the error itself, or the cause an operation's error
 * wraps (a create that failed and was rolled back keeps the cloud's error as its cause).
 */
function cloudErrorOf(error: unknown): OpenStackError | undefined {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth += 1) {
    if (cause instanceof OpenStackError) return cause;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}
