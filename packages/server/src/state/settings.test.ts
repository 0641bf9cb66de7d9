import { describe, expect, it } from "vitest";
import { parseServerConfig, resolveServerSettings, ServerConfigError } from "../config.js";

describe("state: and --state", () => {
  it("defaults to memory", () => {
    expect(resolveServerSettings().state).toEqual({ backend: "memory" });
    expect(resolveServerSettings(parseServerConfig("state: memory")).state).toEqual({ backend: "memory" });
  });

  it("reads a Redis backend from the file, and --state wins over it (keeping the file's key prefix)", () => {
    const file = parseServerConfig(
      "state:\n  backend: redis\n  url: redis://10.0.0.5:6379/2\n  key_prefix: 'blue:'\n",
    );
    expect(resolveServerSettings(file).state).toEqual({
      backend: "redis",
      url: "redis://10.0.0.5:6379/2",
      keyPrefix: "blue:",
    });
    expect(resolveServerSettings(file, { state: "redis://127.0.0.1:7000" }).state).toEqual({
      backend: "redis",
      url: "redis://127.0.0.1:7000",
      keyPrefix: "blue:",
    });
    expect(resolveServerSettings(file, { state: "memory" }).state).toEqual({ backend: "memory" });
  });

  it("refuses a bad URL or backend naming the key or the flag", () => {
    expect(() => parseServerConfig("state:\n  backend: redis\n  url: http://x:1\n", "server.yaml")).toThrow(
      /server\.yaml: state/,
    );
    expect(() => parseServerConfig("state:\n  backend: etcd\n", "server.yaml")).toThrow(
      /server\.yaml: state/,
    );
    const bad = () => resolveServerSettings({}, { state: "localhost:6379" });
    expect(bad).toThrow(ServerConfigError);
    expect(bad).toThrow('--state: expected memory or redis://HOST:PORT, got "localhost:6379"');
  });
});
