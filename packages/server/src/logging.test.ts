import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logging.js";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      callback();
    },
  });
  return { lines, logger: createLogger("debug", stream) };
}

describe("server logger", () => {
  it("writes one JSON object per line with an ISO time and the child's fields", () => {
    const { lines, logger } = capture();
    logger.child({ requestId: "req-1" }).info({ code: "OK" }, "call done");
    const entry = JSON.parse(lines[0] as string);
    expect(entry).toMatchObject({
      level: 30,
      requestId: "req-1",
      code: "OK",
      msg: "call done",
      service: "oaktree",
    });
    expect(entry.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("censors passwords, tokens, application credential secrets and auth headers", () => {
    const { lines, logger } = capture();
    logger.info({
      auth: { password: "hunter2", token: "gAAAA-token", application_credential_secret: "s3cret" },
      request: { headers: { "x-auth-token": "gAAAA-header", "x-subject-token": "gAAAA-subject" } },
      token: "top-level-token",
    });
    const line = lines[0] as string;
    for (const secret of [
      "hunter2",
      "gAAAA-token",
      "s3cret",
      "gAAAA-header",
      "gAAAA-subject",
      "top-level-token",
    ]) {
      expect(line).not.toContain(secret);
    }
    expect(JSON.parse(line).auth.password).toBe("[redacted]");
  });

  it("censors deployer-mode credentials in headers or metadata, at the top or one level down", () => {
    const { lines, logger } = capture();
    const metadata = {
      "x-auth-token": "caller-token",
      "x-application-credential-id": "ac-id",
      "x-application-credential-secret": "ac-secret",
      "x-request-id": "req-7",
    };
    logger.info({ metadata, call: { requestHeader: metadata }, ...metadata }, "a careless line");
    const line = lines[0] as string;
    for (const secret of ["caller-token", "ac-id", "ac-secret"]) expect(line).not.toContain(secret);
    expect(JSON.parse(line).metadata["x-request-id"]).toBe("req-7");
  });
});
