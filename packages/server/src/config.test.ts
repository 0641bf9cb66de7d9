import { describe, expect, it } from "vitest";
import { parseServerConfig, resolveServerSettings } from "./config.js";

const fail = (text: string) => () => parseServerConfig(text, "server.yaml");

describe("server config", () => {
  it("defaults: gRPC on 127.0.0.1:50051 (the original oaktree's port), HTTP on 127.0.0.1:50052, no TLS", () => {
    const settings = resolveServerSettings(parseServerConfig("", "server.yaml"));
    expect(settings).toMatchObject({
      grpc: { host: "127.0.0.1", port: 50051 },
      http: { host: "127.0.0.1", port: 50052 },
      logLevel: "info",
      shutdownGraceMs: 10_000,
      watch: {},
    });
    expect(settings.tls).toBeUndefined();
  });

  it("reads every key", () => {
    const file = parseServerConfig(
      `
listen: { grpc: "[::1]:6000", http: "localhost:6001" }
tls: { cert: c.pem, key: k.pem, client_ca: ca.pem }
clouds: { default: mine, config_file: /etc/oaktree/clouds.yaml }
cache: { expiration_time: 30, expiration: { flavor: 600 } }
watch: { poll_interval_ms: 2000, reconcile_every_ms: 30000 }
rate_limits: { compute: { requests_per_second: 5, max_concurrency: 2 } }
log: { level: debug }
shutdown: { grace_ms: 2500 }
console: { enabled: false }
auth: { mode: deployer, validation_ttl_seconds: 60 }
`,
      "server.yaml",
    );
    expect(resolveServerSettings(file)).toEqual({
      grpc: { host: "::1", port: 6000 },
      http: { host: "localhost", port: 6001 },
      tls: { cert: "c.pem", key: "k.pem", clientCa: "ca.pem" },
      defaultCloud: "mine",
      cloudsFile: "/etc/oaktree/clouds.yaml",
      cache: { expirationTime: 30, expiration: { flavor: 600 } },
      watch: { pollIntervalMs: 2000, reconcileEveryMs: 30000 },
      rateLimits: { compute: { requestsPerSecond: 5, maxConcurrency: 2 } },
      logLevel: "debug",
      shutdownGraceMs: 2500,
      console: false,
      auth: { mode: "deployer", validationTtlMs: 60_000 },
      state: { backend: "memory" },
    });
  });

  it.each([
    ["listen: { grpc: 50051 }", "server.yaml: listen.grpc: "],
    ['listen: { grpc: "localhost" }', "server.yaml: listen.grpc: expected HOST:PORT"],
    ['listen: { http: "127.0.0.1:99999" }', "server.yaml: listen.http: "],
    ["listen: { grpcc: x }", "server.yaml: listen.grpcc: unknown key"],
    ["tls: { cert: c.pem }", "server.yaml: tls.key: "],
    ["watch: { poll_interval_ms: -1 }", "server.yaml: watch.poll_interval_ms: "],
    ["rate_limits: { compute: { rps: 1 } }", "server.yaml: rate_limits.compute.rps: unknown key"],
    ["log: { level: loud }", "server.yaml: log.level: "],
    ["nonsense: 1", "server.yaml: nonsense: unknown key"],
    ["listen: [", "server.yaml: not valid YAML: "],
  ])("%s -> one line naming the key", (text, prefix) => {
    expect(fail(text)).toThrow(expect.objectContaining({ message: expect.stringContaining(prefix) }));
    try {
      fail(text)();
    } catch (error) {
      expect((error as Error).message.startsWith(prefix)).toBe(true);
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("flags override the file; --http-listen off turns the HTTP listener off", () => {
    const file = parseServerConfig('listen: { grpc: "127.0.0.1:1", http: "127.0.0.1:2" }');
    const settings = resolveServerSettings(file, {
      listen: "127.0.0.1:7000",
      httpListen: "off",
      logLevel: "warn",
    });
    expect(settings.grpc).toEqual({ host: "127.0.0.1", port: 7000 });
    expect(settings.http).toBeUndefined();
    expect(settings.logLevel).toBe("warn");
    expect(() => resolveServerSettings({}, { listen: "nope" })).toThrow(
      '--listen: expected HOST:PORT, got "nope"',
    );
  });

  it("the web console: on by default in personal mode with the HTTP listener on loopback; off beyond it, without it, or in deployer mode", () => {
    expect(resolveServerSettings({}).console).toBe(true);
    expect(resolveServerSettings({}, { httpListen: "[::1]:0" }).console).toBe(true);
    expect(resolveServerSettings({}, { httpListen: "off" }).console).toBe(false);
    const tls = { cert: "c", key: "k" };
    expect(resolveServerSettings({ tls, listen: { http: "0.0.0.0:50052" } }).console).toBe(false);
    expect(
      resolveServerSettings({ tls, listen: { http: "0.0.0.0:50052" }, console: { enabled: true } }).console,
    ).toBe(true);
    expect(resolveServerSettings({ console: { enabled: false } }).console).toBe(false);
    expect(resolveServerSettings({}, { auth: "deployer" }).console).toBe(false);
    expect(resolveServerSettings({ auth: "deployer", console: { enabled: true } }).console).toBe(true);
    expect(fail("console: { enabled: yes please }")).toThrow(/^server\.yaml: console\.enabled: /);
  });

  it("auth: personal by default; deployer by the short form, the mapping or --auth (which wins)", () => {
    expect(resolveServerSettings({}).auth).toEqual({ mode: "personal", validationTtlMs: 300_000 });
    expect(resolveServerSettings(parseServerConfig("auth: deployer")).auth.mode).toBe("deployer");
    expect(resolveServerSettings(parseServerConfig("auth: deployer"), { auth: "personal" }).auth.mode).toBe(
      "personal",
    );
    expect(resolveServerSettings({}, { auth: "deployer" }).auth.mode).toBe("deployer");
    expect(() => resolveServerSettings({}, { auth: "keystone" })).toThrow(
      '--auth: expected one of personal, deployer, got "keystone"',
    );
    expect(fail("auth: everyone")).toThrow(/^server\.yaml: auth: /);
    expect(fail("auth: { mode: deployer, ttl: 5 }")).toThrow(/^server\.yaml: auth\.ttl: unknown key/);
    expect(fail("auth: { mode: deployer, validation_ttl_seconds: -1 }")).toThrow(
      /^server\.yaml: auth\.validation_ttl_seconds: /,
    );
  });

  it("refuses a non-loopback listener without TLS (personal mode), naming the key or flag", () => {
    expect(() => resolveServerSettings({}, { listen: "0.0.0.0:50051" })).toThrow(
      /^--listen: 0\.0\.0\.0 is not a loopback address: serving beyond this machine needs TLS/,
    );
    expect(() => resolveServerSettings(parseServerConfig('listen: { http: "192.0.2.1:8080" }'))).toThrow(
      /^listen\.http: 192\.0\.2\.1 is not a loopback address/,
    );
    const withTls = parseServerConfig('listen: { grpc: "0.0.0.0:50051" }\ntls: { cert: c, key: k }');
    expect(resolveServerSettings(withTls).grpc.host).toBe("0.0.0.0");
  });
});
