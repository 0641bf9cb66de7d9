/** The Kubernetes example (deploy/k8s) stays valid: its server config is one oaktree accepts. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseServerConfig, resolveServerSettings } from "@oaktree/server";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";

const manifest = (name: string) =>
  parseAllDocuments(
    readFileSync(fileURLToPath(new URL(`../../deploy/k8s/${name}`, import.meta.url)), "utf8"),
  ).map(
    (doc) =>
      doc.toJS() as {
        kind: string;
        metadata: { name: string };
        data?: Record<string, string>;
        spec?: unknown;
      },
  );

describe("deploy/k8s", () => {
  it("the ConfigMap's server.yaml is valid: deployer mode, TLS, Redis state at the Redis Service", () => {
    const config = manifest("oaktree.yaml").find((doc) => doc.kind === "ConfigMap")!;
    const settings = resolveServerSettings(parseServerConfig(config.data!["server.yaml"]!, "server.yaml"));
    expect(settings.state).toEqual({ backend: "redis", url: "redis://oaktree-redis:6379/0" });
    expect(settings.auth.mode).toBe("deployer");
    expect(settings.tls).toBeDefined();
    const redis = manifest("redis.yaml").find((doc) => doc.kind === "Service")!;
    expect(new URL(settings.state.backend === "redis" ? settings.state.url : "").hostname).toBe(
      redis.metadata.name,
    );
  });

  it("the Deployment's probes read /healthz on the HTTPS listener and its grace outlasts the server's", () => {
    const docs = manifest("oaktree.yaml");
    const deployment = docs.find((doc) => doc.kind === "Deployment")!.spec as {
      template: {
        spec: { terminationGracePeriodSeconds: number; containers: { readinessProbe: unknown }[] };
      };
    };
    const config = resolveServerSettings(
      parseServerConfig(docs.find((doc) => doc.kind === "ConfigMap")!.data!["server.yaml"]!),
    );
    expect(deployment.template.spec.containers[0]!.readinessProbe).toMatchObject({
      httpGet: { path: "/healthz", scheme: "HTTPS" },
    });
    expect(deployment.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
      config.shutdownGraceMs,
    );
  });
});
