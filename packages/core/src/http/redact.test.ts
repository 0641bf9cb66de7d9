import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { REDACTED, redactHeaders, redactJson, redactText, redactUrl } from "./redact.js";
import { createHttpStack } from "./stack.js";
import { makeResponse } from "./transport.js";

const FIXTURES = fileURLToPath(new URL("../../testdata/upstream", import.meta.url));

function fixture(path: string): unknown {
  return JSON.parse(readFileSync(`${FIXTURES}/${path}`, "utf8"));
}

describe("redactJson", () => {
  it("hides the password of a keystone v3 password auth body", () => {
    const body = fixture("keystone/v3/samples/admin/auth-password-unscoped-request.json");
    const redacted = JSON.stringify(redactJson(body));
    expect(JSON.stringify(body)).toContain('"password":"devstacker"');
    expect(redacted).not.toContain("devstacker");
    // The method list and the structure stay readable.
    expect(redacted).toContain('"methods":["password"]');
    expect(redacted).toContain(`"password":"${REDACTED}"`);
  });

  it("hides the token id of a v3 token auth body and a v2.0 token response", () => {
    const v3 = redactJson({ auth: { identity: { methods: ["token"], token: { id: "gAAAAAsecret" } } } });
    expect(JSON.stringify(v3)).not.toContain("gAAAAAsecret");
    const v2 = fixture("keystone-v2.0-historical/v2/samples/admin/authenticate-response.json");
    const tokenId = (v2 as { access: { token: { id: string } } }).access.token.id;
    expect(tokenId.length).toBeGreaterThan(3);
    expect(JSON.stringify(redactJson(v2))).not.toContain(tokenId);
  });

  it("hides application credential secrets and nova's adminPass", () => {
    const appCred = fixture("keystone/v3/samples/admin/application-credential-create-response.json");
    const secret = (appCred as { application_credential: { secret: string } }).application_credential.secret;
    expect(JSON.stringify(redactJson(appCred))).not.toContain(secret);
    const server = fixture("nova/api_samples/servers/server-create-resp.json");
    const adminPass = (server as { server: { adminPass: string } }).server.adminPass;
    expect(JSON.stringify(redactJson(server))).not.toContain(adminPass);
  });

  it("leaves ordinary values alone", () => {
    expect(redactJson({ server: { id: "abc", name: "web", tags: ["a"] } })).toEqual({
      server: { id: "abc", name: "web", tags: ["a"] },
    });
  });
});

describe("redactHeaders and redactUrl", () => {
  it("hides auth headers", () => {
    const headers = new Headers({
      "X-Auth-Token": "tok",
      "X-Subject-Token": "sub",
      Accept: "application/json",
    });
    expect(redactHeaders(headers)).toEqual({
      "x-auth-token": REDACTED,
      "x-subject-token": REDACTED,
      accept: "application/json",
    });
  });

  it("hides secret query parameters and URL passwords, keeping order", () => {
    expect(redactUrl("https://h/v3/auth/tokens?nocatalog=1&password=hunter2")).toBe(
      "https://h/v3/auth/tokens?nocatalog=1&password=***",
    );
    expect(redactUrl("https://user:pw@h/x")).toBe("https://user:***@h/x");
    expect(redactUrl("https://h/servers?limit=2")).toBe("https://h/servers?limit=2");
  });

  it("redacts JSON text and truncates long text", () => {
    expect(redactText('{"token": "abc"}')).toBe(`{"token":"${REDACTED}"}`);
    expect(redactText("x".repeat(50), 10)).toBe("xxxxxxxxxx... (50 chars)");
  });
});

describe("logging through the stack", () => {
  it("never writes tokens, passwords or secret query values to the log", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ level: "trace" }, sink);
    const authBody = fixture("keystone/v3/samples/admin/auth-password-unscoped-request.json");
    const stack = createHttpStack({
      logger,
      retry: false,
      requestId: () => "req-log",
      transport: async (request) =>
        makeResponse(
          request.method,
          request.url,
          201,
          new Headers({ "x-subject-token": "gAAAAA-subject", "x-openstack-request-id": "req-srv" }),
          new TextEncoder().encode(JSON.stringify({ token: { methods: ["password"] }, secret: "s3cr3t" })),
        ),
    });
    await stack({
      method: "POST",
      url: "https://keystone.example/v3/auth/tokens?password=inquery",
      headers: new Headers({ "x-auth-token": "gAAAAA-caller" }),
      body: { kind: "json", value: authBody },
      serviceType: "identity",
      skipAuth: true,
    });
    const log = lines.join("");
    for (const secret of ["devstacker", "gAAAAA-caller", "gAAAAA-subject", "inquery", "s3cr3t"]) {
      expect(log).not.toContain(secret);
    }
    const summary = lines.map((line) => JSON.parse(line)).find((entry) => entry.status === 201);
    expect(summary).toMatchObject({
      level: 20,
      method: "POST",
      url: "https://keystone.example/v3/auth/tokens?password=***",
      status: 201,
      requestId: "req-srv",
      clientRequestId: "req-log",
    });
    expect(typeof summary.durationMs).toBe("number");
  });
});
