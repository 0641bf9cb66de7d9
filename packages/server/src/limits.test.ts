import { describe, expect, it } from "vitest";
import { parseServerConfig, resolveServerSettings } from "./config.js";
import { DEFAULT_LIMITS } from "./limits.js";

describe("limits: in the server config", () => {
  it("reads every key over the defaults", () => {
    const file = parseServerConfig(
      `
limits:
  max_receive_message_bytes: 1048576
  max_send_message_bytes: 2097152
  max_concurrent_streams: 100
  idle_timeout_ms: 60000
  headers_timeout_ms: 5000
  request_timeout_ms: 30000
`,
      "server.yaml",
    );
    expect(resolveServerSettings(file).limits).toEqual({
      maxReceiveMessageBytes: 1_048_576,
      maxSendMessageBytes: 2_097_152,
      maxConcurrentStreams: 100,
      idleTimeoutMs: 60_000,
      headersTimeoutMs: 5000,
      requestTimeoutMs: 30_000,
    });
    const some = resolveServerSettings(parseServerConfig("limits: { idle_timeout_ms: 1000 }", "s.yaml"));
    expect(some.limits).toEqual({ ...DEFAULT_LIMITS, idleTimeoutMs: 1000 });
  });

  it.each([
    ["limits: { max_receive_message_bytes: 0 }", "server.yaml: limits.max_receive_message_bytes: "],
    ["limits: { idle_timeout_ms: -5 }", "server.yaml: limits.idle_timeout_ms: "],
    ["limits: { headers_timeout_ms: 1.5 }", "server.yaml: limits.headers_timeout_ms: "],
    ["limits: { max_message: 5 }", "server.yaml: limits.max_message: unknown key"],
  ])("%s is an error naming the key", (text, message) => {
    expect(() => parseServerConfig(text, "server.yaml")).toThrow(message);
  });
});
