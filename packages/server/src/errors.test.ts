import { Code, type ConnectError } from "@connectrpc/connect";
import {
  ForbiddenError,
  fromResponse,
  ImageCreateError,
  ImageUploadRetryError,
  ResourceNotFoundError,
  ValidationError,
} from "@oaktree/core";
import { describe, expect, it } from "vitest";
import { toConnectError } from "./errors.js";
import {
  BadRequestSchema,
  ErrorInfoSchema,
  RequestInfoSchema,
  ResourceInfoSchema,
} from "./gen/google/rpc/error_details_pb.js";

/** A cloud's error response as core's HTTP layer turns it into an OpenStackError. */
function cloudError(status: number, body: object, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  return fromResponse(
    {
      status,
      headers: new Headers({ "content-type": "application/json", ...headers }),
      url: "http://cloud.example/compute/v2.1/servers",
      method: "POST",
      bytes: new TextEncoder().encode(text),
      json: <T>() => JSON.parse(text) as T,
      text: () => text,
    },
    "compute",
  );
}

const errorInfo = (error: ConnectError) => error.findDetails(ErrorInfoSchema)[0];

describe("toConnectError", () => {
  it("maps a ValidationError to INVALID_ARGUMENT with a BadRequest field violation", () => {
    const error = toConnectError(new ValidationError("flavor", "must not be empty"), "req-1");
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.findDetails(BadRequestSchema)[0]?.fieldViolations).toMatchObject([
      { field: "flavor", description: "must not be empty" },
    ]);
    expect(errorInfo(error)).toMatchObject({
      reason: "VALIDATION",
      domain: "oaktree.openstack.org",
      metadata: { oaktree_request_id: "req-1" },
    });
  });

  it("maps a ResourceNotFoundError to NOT_FOUND with a ResourceInfo", () => {
    const error = toConnectError(new ResourceNotFoundError("server", "web-1"));
    expect(error.code).toBe(Code.NotFound);
    expect(error.findDetails(ResourceInfoSchema)[0]).toMatchObject({
      resourceType: "server",
      resourceName: "web-1",
      description: "not found",
    });
  });

  it("maps a cloud's 503 to UNAVAILABLE with the cloud's request id in ErrorInfo and RequestInfo", () => {
    const cause = cloudError(
      503,
      { computeFault: { message: "nova is down", code: 503 } },
      { "x-openstack-request-id": "req-cloud-7" },
    );
    const error = toConnectError(cause, "req-2");
    expect(error.code).toBe(Code.Unavailable);
    expect(error.rawMessage).toContain("nova is down");
    expect(errorInfo(error)?.metadata).toMatchObject({
      cloud_request_id: "req-cloud-7",
      cloud_status: "503",
      cloud_service: "compute",
      cloud_method: "POST",
      oaktree_request_id: "req-2",
    });
    expect(error.findDetails(RequestInfoSchema)[0]).toMatchObject({
      requestId: "req-2",
      servingData: "req-cloud-7",
    });
  });

  it("maps an Error that is not oaktree's to INTERNAL without its message", () => {
    const error = toConnectError(
      new TypeError("cannot read properties of undefined (password=hunter2)"),
      "req-3",
    );
    expect(error.code).toBe(Code.Internal);
    expect(error.rawMessage).toBe("internal error (request req-3)");
    expect(error.rawMessage).not.toContain("hunter2");
  });

  it("maps core's 'retry, oaktree will use the next upload method' to UNAVAILABLE, not its 403's PERMISSION_DENIED", () => {
    const refusal = cloudError(403, { error: { message: "You are not authorized to upload", code: 403 } });
    expect(refusal).toBeInstanceOf(ForbiddenError);
    const retryable = new ImageUploadRetryError(
      'image "web": the cloud refused v2-put (You are not authorized to upload); a stream cannot be sent twice: retry, oaktree will use task-import',
      "img-1",
      "task-import",
      { cause: refusal },
    );
    expect(toConnectError(retryable).code).toBe(Code.Unavailable);
    // Any other image failure caused by a 403 keeps the cause's code.
    const denied = new ImageCreateError('image "web": could not delete image img-1', "img-1", {
      cause: refusal,
    });
    expect(toConnectError(denied).code).toBe(Code.PermissionDenied);
  });
});
