import { Code } from "@connectrpc/connect";
import { InvalidResponseError, MalformedResourceError } from "@oaktree/core";
import { describe, expect, it } from "vitest";
import { toConnectError } from "./errors.js";

describe("a cloud answering with something that is not its API", () => {
  it("a body that is not JSON is UNAVAILABLE with the cloud's words, not UNKNOWN", () => {
    const error = toConnectError(
      new InvalidResponseError({
        status: 200,
        method: "GET",
        url: "https://cloud/compute/v2.1/flavors/detail",
        detail: 'the service answered with a body that is not JSON (text/html, 60 characters: "<html>")',
      }),
    );
    expect(error.code).toBe(Code.Unavailable);
    expect(error.rawMessage).toContain("not JSON");
  });

  it("a resource of the wrong shape is UNAVAILABLE naming the kind, not INTERNAL", () => {
    const error = toConnectError(new MalformedResourceError("flavor", "expected a JSON object, got null"));
    expect(error.code).toBe(Code.Unavailable);
    expect(error.rawMessage).toContain("flavor");
  });
});
