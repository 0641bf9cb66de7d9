import { describe, expect, it } from "vitest";
import { OaktreeError } from "../errors.js";
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  fromResponse,
  NotAcceptableError,
  NotFoundError,
  OpenStackError,
  OverLimitError,
  parseRetryAfter,
  ServiceUnavailableError,
  UnauthorizedError,
} from "./errors.js";
import { makeResponse } from "./transport.js";
import type { HttpMethod } from "./types.js";

// NOTE: ../shared/fixtures holds no error bodies (the api-ref samples are successes only), so
// these are the formats the services' fault middlewares write (nova api/openstack/wsgi.py
// Fault, neutron api/v2 resource faults, keystone exception.py render, placement's
// API-WG errors, webob's HTML/plain pages used by glance and swift).

function response(
  status: number,
  body: unknown,
  init: { method?: HttpMethod; url?: string; headers?: Record<string, string> } = {},
) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const headers = new Headers({
    "content-type": typeof body === "string" ? "text/html; charset=UTF-8" : "application/json",
    ...init.headers,
  });
  return makeResponse(
    init.method ?? "GET",
    init.url ?? "https://cloud.example:8774/v2.1/servers/abc",
    status,
    headers,
    new TextEncoder().encode(text),
  );
}

describe("fromResponse", () => {
  it("unwraps nova's single-key faults", () => {
    const error = fromResponse(
      response(
        404,
        { itemNotFound: { code: 404, message: "Instance abc could not be found." } },
        { headers: { "x-openstack-request-id": "req-11111111-2222-3333-4444-555555555555" } },
      ),
      "compute",
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(OpenStackError);
    expect(error).toBeInstanceOf(OaktreeError);
    expect(error.detail).toBe("Instance abc could not be found.");
    expect(error.status).toBe(404);
    expect(error.method).toBe("GET");
    expect(error.serviceType).toBe("compute");
    expect(error.requestId).toBe("req-11111111-2222-3333-4444-555555555555");
    expect(error.message).toBe(
      "Instance abc could not be found. (404 GET https://cloud.example:8774/v2.1/servers/abc, request req-11111111-2222-3333-4444-555555555555)",
    );
  });

  it("takes nova's x-compute-request-id when it is the only one", () => {
    const error = fromResponse(
      response(
        400,
        { badRequest: { code: 400, message: "Invalid flavorRef provided." } },
        {
          method: "POST",
          headers: { "x-compute-request-id": "req-c" },
        },
      ),
    );
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.requestId).toBe("req-c");
  });

  it("maps nova's 406 computeFault for an unsupported microversion", () => {
    const error = fromResponse(
      response(406, {
        computeFault: {
          code: 406,
          message: "Version 2.999 is not supported by the API. Minimum is 2.1 and maximum is 2.95.",
        },
      }),
    );
    expect(error).toBeInstanceOf(NotAcceptableError);
    expect(error.detail).toContain("Version 2.999 is not supported");
  });

  it("treats nova's 403 quota refusals as over-limit but keeps the status", () => {
    const error = fromResponse(
      response(403, {
        forbidden: {
          code: 403,
          message: "Quota exceeded for cores: Requested 4, but already used 20 of 20 cores",
        },
      }),
    );
    expect(error).toBeInstanceOf(OverLimitError);
    expect(error.status).toBe(403);
    const plain = fromResponse(
      response(403, {
        forbidden: {
          code: 403,
          message: "Policy doesn't allow os_compute_api:servers:create to be performed.",
        },
      }),
    );
    expect(plain).toBeInstanceOf(ForbiddenError);
  });

  it("unwraps neutron's NeutronError, object and legacy string forms", () => {
    const error = fromResponse(
      response(404, {
        NeutronError: {
          type: "NetworkNotFound",
          message: "Network 6f1e0ce2-aa55-4d1c-9e2e-0d8c7e3e2a9b could not be found.",
          detail: "",
        },
      }),
      "network",
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.detail).toBe("Network 6f1e0ce2-aa55-4d1c-9e2e-0d8c7e3e2a9b could not be found.");
    const legacy = fromResponse(response(409, { NeutronError: "Unable to complete operation on subnet x." }));
    expect(legacy).toBeInstanceOf(ConflictError);
    expect(legacy.detail).toBe("Unable to complete operation on subnet x.");
  });

  it("maps neutron's 409 OverQuota to OverLimitError", () => {
    const error = fromResponse(
      response(409, {
        NeutronError: {
          type: "OverQuota",
          message: "Quota exceeded for resources: ['floatingip'].",
          detail: "",
        },
      }),
    );
    expect(error).toBeInstanceOf(OverLimitError);
    expect(error.status).toBe(409);
  });

  it("unwraps keystone's error object", () => {
    const error = fromResponse(
      response(401, {
        error: {
          code: 401,
          title: "Unauthorized",
          message: "The request you have made requires authentication.",
        },
      }),
    );
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.detail).toBe("The request you have made requires authentication.");
  });

  it("unwraps cinder's faults", () => {
    const error = fromResponse(
      response(413, {
        overLimit: {
          code: 413,
          message:
            "VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota.",
        },
      }),
    );
    expect(error).toBeInstanceOf(OverLimitError);
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.detail).toMatch(/^VolumeSizeExceedsAvailableQuota/);
  });

  it("strips glance's HTML error page down to its message", () => {
    const html =
      "<html>\n <head>\n  <title>400 Bad Request</title>\n </head>\n <body>\n  <h1>400 Bad Request</h1>\n" +
      "  The request could not be understood by the server due to malformed syntax.<br /><br />\n\n\n\n </body>\n</html>";
    const error = fromResponse(
      response(400, html, { url: "https://glance.example:9292/v2/images" }),
      "image",
    );
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.detail).toBe("The request could not be understood by the server due to malformed syntax.");
  });

  it("keeps the title of an HTML page with nothing else in it", () => {
    const error = fromResponse(
      response(503, "<html><head><title>503 Service Unavailable</title></head><body></body></html>"),
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.detail).toBe("503 Service Unavailable");
  });

  it("reads glance's and swift's plain-text and small HTML bodies", () => {
    const glance = fromResponse(
      response(404, "404 Not Found\n\nNo image found with ID 8a1c0b4e\n\n   ", {
        headers: { "content-type": "text/plain; charset=UTF-8" },
      }),
    );
    expect(glance.detail).toBe("No image found with ID 8a1c0b4e");
    const swift = fromResponse(
      response(404, "<html><h1>Not Found</h1><p>The resource could not be found.</p></html>"),
    );
    expect(swift.detail).toBe("The resource could not be found.");
  });

  it("joins placement's errors and picks up their request id", () => {
    const error = fromResponse(
      response(404, {
        errors: [
          {
            status: 404,
            title: "Not Found",
            detail: "The resource could not be found.\n\n No resource provider with uuid abc found  ",
            request_id: "req-placement",
          },
        ],
      }),
    );
    expect(error.detail).toBe("The resource could not be found. No resource provider with uuid abc found");
    expect(error.requestId).toBe("req-placement");
  });

  it("falls back to the status text for an empty or unreadable body", () => {
    expect(fromResponse(response(502, "")).detail).toBe("Bad Gateway");
    expect(fromResponse(response(418, { unexpected: [1, 2] })).detail).toBe("I'm a Teapot");
  });

  it("redacts secrets in the URL it reports", () => {
    const error = fromResponse(
      response(401, "<html><h1>Unauthorized</h1><p>Temp URL invalid</p></html>", {
        url: "https://swift.example/v1/AUTH_p/c/o?temp_url_sig=abcdef&temp_url_expires=1700000000",
      }),
    );
    expect(error.url).toBe(
      "https://swift.example/v1/AUTH_p/c/o?temp_url_sig=***&temp_url_expires=1700000000",
    );
    expect(error.message).not.toContain("abcdef");
  });

  it("carries Retry-After", () => {
    const error = fromResponse(response(429, { message: "slow down" }, { headers: { "retry-after": "3" } }));
    expect(error).toBeInstanceOf(OverLimitError);
    expect(error.retryAfterMs).toBe(3000);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-25T12:00:00Z");
  it("reads delta-seconds and HTTP dates", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Wed, 25 Nov 2026 12:00:30 GMT", now)).toBe(30_000);
  });
  it("never returns a negative delay and ignores garbage", () => {
    expect(parseRetryAfter("Wed, 25 Nov 2026 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
