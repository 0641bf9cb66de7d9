import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./errors.js";
import { listCloudConfigs, loadCloudConfig } from "./load.js";
import { shippedVendorProfiles } from "./vendors.js";

// The upstream folder the shipped copies came from; present in a development checkout beside
// ../shared, absent on a fresh CI clone, where the copies are compared with nothing.
const UPSTREAM = fileURLToPath(
  new URL("../../../../../shared/fixtures/os-client-config/vendors", import.meta.url),
);

function cloudWithProfile(profile: string, extra = "") {
  return {
    clouds: {
      path: "/c.yaml",
      text: `clouds:\n  v:\n    profile: ${profile}\n    auth: {username: u, password: p, project_name: x}\n${extra}`,
    },
  };
}

describe("shipped vendor profiles", () => {
  const profiles = shippedVendorProfiles();

  it("are every upstream vendor file, byte for byte (sha256 recorded from upstream in data/vendors.sha256)", () => {
    const recorded = readFileSync(new URL("./data/vendors.sha256", import.meta.url), "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split(/\s+/) as [string, string]);
    expect(profiles.size).toBe(recorded.length);
    for (const [sum, file] of recorded) {
      const shipped = readFileSync(new URL(`./data/vendor-${file}`, import.meta.url));
      expect(createHash("sha256").update(shipped).digest("hex"), file).toBe(sum);
    }
    // Beside the shared fixtures (a development checkout), the record itself is checked.
    if (existsSync(UPSTREAM))
      expect(readdirSync(UPSTREAM).sort()).toEqual(recorded.map(([, file]) => file).sort());
    expect([...profiles.keys()]).toContain("limestonenetworks");
  });

  it.each([...shippedVendorProfiles().values()].map((p) => [p.name, p] as const))(
    "%s loads under a user's cloud, or fails or warns as its status says",
    (name, profile) => {
      const settings = profile.settings;
      const status = settings.status;
      const remote = typeof settings.profile === "string";
      const sources = cloudWithProfile(name);
      if (status === "shutdown") {
        expect(() => loadCloudConfig({ sources })).toThrow(ConfigError);
        expect(() => loadCloudConfig({ sources })).toThrow(
          `profile: vendor profile "${name}" is for a cloud that no longer exists`,
        );
        return;
      }
      if (remote || (settings.auth as Record<string, unknown> | undefined)?.auth_url === undefined) {
        // ovh and vexxhost publish their profile at a URL; bluebox has no auth_url: the user must set one.
        const error = (() => {
          try {
            loadCloudConfig({ sources });
          } catch (caught) {
            return caught;
          }
        })();
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).key).toBe("auth.auth_url");
        return;
      }
      const configs = listCloudConfigs({ sources });
      expect(configs.length).toBeGreaterThan(0);
      for (const config of configs) {
        expect(config.profile).toBe(name);
        expect(config.auth.username).toBe("u");
        expect(config.auth.authUrl).not.toContain("{region_name}");
        if (config.region !== undefined) expect(config.auth.authUrl).not.toBe("");
      }
      if (status === "deprecated")
        expect(configs[0]?.warnings?.[0]).toContain(`vendor profile "${name}" is deprecated`);
    },
  );

  it("rackspace: v2.0 identity, region-templated block-storage override, vendor extras", () => {
    const config = loadCloudConfig({ sources: cloudWithProfile("rackspace"), region: "LON" });
    expect(config.apiVersions).toEqual({ identity: "2.0", "block-storage": "2" });
    expect(config.endpointOverrides).toEqual({
      "block-storage": "https://LON.blockstorage.api.rackspacecloud.com/v2/",
    });
    expect(config.floatingIpSource).toBe("none");
    expect(config.imageFormat).toBe("vhd");
    expect(config.extra).toMatchObject({
      image_api_use_tasks: true,
      compute_service_name: "cloudServersOpenStack",
    });
  });

  it("limestonenetworks: regions as dicts with per-region networks", () => {
    const configs = listCloudConfigs({ sources: cloudWithProfile("limestonenetworks") });
    expect(configs.map((c) => c.region)).toEqual(["us-dfw-1", "us-slc"]);
    expect(configs[0]?.networks?.map((n) => n.name)).toEqual([
      "Public Internet",
      "DDoS Protected",
      "Private Network (10.0.0.0/8 only)",
      "Private Network (Floating Public)",
    ]);
    expect(configs[1]?.networks?.find((n) => n.natDestination)?.name).toBe(
      "Private Network (Floating Public)",
    );
    expect(configs[0]?.apiVersions).toEqual({ identity: "3", "block-storage": "3" });
  });

  it("the user's settings win over the profile's", () => {
    const config = loadCloudConfig({
      sources: cloudWithProfile("dreamcompute", "    image_format: qcow2\n    auth_url: https://mine/v3\n"),
    });
    expect(config.imageFormat).toBe("qcow2");
    // A top-level auth_url is moved into auth: and still wins over the profile's.
    expect(config.auth.authUrl).toBe("https://mine/v3");
  });

  it("warns that a remote profile is not fetched, and loads when the user sets auth_url", () => {
    const config = loadCloudConfig({
      sources: cloudWithProfile("vexxhost", "    auth_url: https://auth.vexxhost.net/v3\n"),
    });
    expect(config.warnings).toEqual([
      'vendor profile "vexxhost" is published at https://vexxhost.com/.well-known/openstack/api, which oaktree does not fetch: set auth.auth_url and regions yourself',
    ]);
  });

  it("clouds-public.yaml profiles win over shipped ones", () => {
    const sources = {
      ...cloudWithProfile("rackspace"),
      publicClouds: {
        path: "/p.yaml",
        text: "public-clouds:\n  rackspace:\n    auth: {auth_url: 'https://own/v3'}\n",
      },
    };
    const config = loadCloudConfig({ sources });
    expect(config.auth.authUrl).toBe("https://own/v3");
    expect(config.regions).toEqual([]);
  });
});
