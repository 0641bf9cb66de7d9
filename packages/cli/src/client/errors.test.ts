import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { OaktreeError } from "@oaktree/core";
import { describe, expect, it } from "vitest";
import { ErrorInfoSchema } from "./api.js";
import { reportOf, UsageError } from "./errors.js";

describe("reportOf", () => {
  it("one line with the status name, the message and the cloud's request id from ErrorInfo", () => {
    const error = new ConnectError("server demo: nova refused", Code.FailedPrecondition, undefined, [
      {
        desc: ErrorInfoSchema,
        value: create(ErrorInfoSchema, {
          reason: "CONFLICT",
          metadata: { cloud_request_id: "req-123", oaktree_request_id: "abc" },
        }),
      },
    ]);
    expect(reportOf(error)).toEqual({
      line: "error: FAILED_PRECONDITION: server demo: nova refused (cloud request id req-123, oaktree request id abc)",
      exitCode: 4,
    });
  });

  it.each([
    [Code.NotFound, 3],
    [Code.AlreadyExists, 4],
    [Code.Aborted, 4],
    [Code.Unavailable, 5],
    [Code.DeadlineExceeded, 5],
    [Code.InvalidArgument, 2],
    [Code.PermissionDenied, 1],
    [Code.Internal, 1],
  ])("status %s exits %s", (code, exitCode) => {
    expect(reportOf(new ConnectError("x", code)).exitCode).toBe(exitCode);
  });

  it("the client's own mistakes: usage 2, others 1; anything else is a bug and is rethrown", () => {
    expect(reportOf(new UsageError("--x: bad"))).toEqual({ line: "error: --x: bad", exitCode: 2 });
    expect(reportOf(new OaktreeError("no cloud"))).toEqual({ line: "error: no cloud", exitCode: 1 });
    expect(() => reportOf(new TypeError("bug"))).toThrow("bug");
  });
});
