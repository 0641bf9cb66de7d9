import { describe, expect, it } from "vitest";
import { NotFoundError } from "../errors.js";
import { withRequestId } from "../request-context.js";
import { compose } from "../stack.js";
import type { Handler, HttpRequest, HttpResponse } from "../types.js";
import { type ObservedRequest, observe } from "./observe.js";
import { REQUEST_ID_HEADER, requestId } from "./request-id.js";

/** The innermost handler: records what it was sent, answers `status` (404 throws NotFoundError). */
function fakeTransport(status = 200) {
  const sent: HttpRequest[] = [];
  const handler: Handler = async (request) => {
    sent.push(request);
    if (status === 404) {
      throw new NotFoundError({ status, method: request.method, url: request.url, detail: "no such thing" });
    }
    return { status, headers: new Headers(), url: request.url, method: request.method } as HttpResponse;
  };
  return { sent, handler };
}

const request = (headers: Record<string, string> = {}): HttpRequest => ({
  method: "GET",
  url: "http://cloud.test/servers",
  headers: new Headers(headers),
  serviceType: "compute",
});

describe("request-id interceptor with withRequestId", () => {
  it("sends the id of the call being served", async () => {
    const { sent, handler } = fakeTransport();
    const send = compose([requestId()], handler);
    await withRequestId("req-00000000-0000-4000-8000-000000000001", () => send(request()));
    expect(sent[0]?.headers.get(REQUEST_ID_HEADER)).toBe("req-00000000-0000-4000-8000-000000000001");
  });

  it("keeps a header the request already has, and generates one outside any call", async () => {
    const { sent, handler } = fakeTransport();
    const send = compose([requestId()], handler);
    await withRequestId("req-00000000-0000-4000-8000-000000000001", () =>
      send(request({ [REQUEST_ID_HEADER]: "req-own" })),
    );
    await send(request());
    expect(sent[0]?.headers.get(REQUEST_ID_HEADER)).toBe("req-own");
    expect(sent[1]?.headers.get(REQUEST_ID_HEADER)).toMatch(/^req-[0-9a-f-]{36}$/);
  });
});

describe("observe interceptor", () => {
  it("reports each request once with the cloud, service, method and final status", async () => {
    const seen: ObservedRequest[] = [];
    const ok = fakeTransport(200);
    await compose([observe((r) => seen.push(r), "mycloud")], ok.handler)(request());
    const missing = fakeTransport(404);
    const send = compose([observe((r) => seen.push(r), "mycloud")], missing.handler);
    await expect(send(request())).rejects.toBeInstanceOf(NotFoundError);
    expect(seen.map(({ durationMs: _, ...rest }) => rest)).toEqual([
      { cloud: "mycloud", service: "compute", method: "GET", status: 200 },
      { cloud: "mycloud", service: "compute", method: "GET", status: 404 },
    ]);
    expect(seen.every((r) => r.durationMs >= 0)).toBe(true);
  });

  it("reports a request that got no response as status error", async () => {
    const seen: ObservedRequest[] = [];
    const send = compose([observe((r) => seen.push(r), "c")], async () => {
      throw new TypeError("fetch failed");
    });
    await expect(send(request())).rejects.toThrow("fetch failed");
    expect(seen[0]?.status).toBe("error");
  });
});
