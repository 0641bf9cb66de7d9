import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./errors.js";
import type { ConfigSources } from "./files.js";
import { listCloudConfigs, loadCloudConfig } from "./load.js";

const CLOUDS = "/home/u/.config/openstack/clouds.yaml";
const SECURE = "/home/u/.config/openstack/secure.yaml";
const FIXTURES = fileURLToPath(
  new URL("../../testdata/upstream/openstacksdk-unit-fixtures/clouds", import.meta.url),
);

function files(clouds: string, secure?: string): ConfigSources {
  return {
    clouds: { path: CLOUDS, text: clouds },
    ...(secure === undefined ? {} : { secure: { path: SECURE, text: secure } }),
  };
}

/** Runs fn, expects a ConfigError, returns it. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError, got none");
}

const PROD = `
clouds:
  prod:
    auth:
      auth_url: https://keystone.example.com:5000/v3
      username: alice
      password: from-clouds
      project_name: web
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
    interface: internal
  lab:
    auth:
      auth_url: https://lab.example.com/v3
      username: bob
      password: lab-pass
    regions:
      - east
      - name: west
        values:
          interface: admin
          compute_endpoint_override: https://west.example.com/compute
          auth:
            project_name: west-project
`;

describe("upstream fixture clouds files", () => {
  const upstream = (file: string) => files(readFileSync(`${FIXTURES}/${file}`, "utf8"));

  it("loads _test_cloud_ from clouds.yaml with v3 domains", () => {
    const config = loadCloudConfig({ sources: upstream("clouds.yaml"), cloud: "_test_cloud_" });
    expect(config.authType).toBe("password");
    expect(config.auth).toEqual({
      authUrl: "https://identity.example.com",
      username: "admin",
      password: "password",
      projectName: "admin",
      tenantName: "admin",
      userDomainName: "default",
      projectDomainName: "default",
    });
    expect(config.region).toBe("RegionOne");
    expect(config.regions).toEqual(["RegionOne"]);
    expect(config.source).toEqual({ file: CLOUDS, fromEnv: false });
  });

  it("keeps identity_api_version '2.0' as written", () => {
    const config = loadCloudConfig({ sources: upstream("clouds.yaml"), cloud: "_test_cloud_v2_" });
    expect(config.apiVersions).toEqual({ identity: "2.0" });
  });

  it("fails on _bogus_test_'s auth_type naming file, cloud and key", () => {
    const error = configError(() =>
      loadCloudConfig({ sources: upstream("clouds.yaml"), cloud: "_bogus_test_" }),
    );
    expect(error.file).toBe(CLOUDS);
    expect(error.cloud).toBe("_bogus_test_");
    expect(error.key).toBe("auth_type");
    expect(error.message).toBe(
      `clouds.yaml (${CLOUDS}): cloud "_bogus_test_": auth_type: unknown auth_type "bogus" ` +
        "(oaktree supports password, v2password, v3password, token, v3token, v3applicationcredential, " +
        "application_credential, applicationcredential)",
    );
  });

  it("applies the file-level cache of clouds_cache.yaml (max_age is the old expiration_time)", () => {
    const config = loadCloudConfig({ sources: upstream("clouds_cache.yaml"), cloud: "_test_cloud_" });
    expect(config.cache).toEqual({ expirationTime: 90, expiration: { server: 1, port: 1 } });
  });

  it("lists every loadable cloud and reports the broken one", () => {
    const broken: string[] = [];
    const listed = listCloudConfigs({
      sources: upstream("clouds_cache.yaml"),
      onError: (error, cloud) => broken.push(`${cloud}: ${error.key}`),
    });
    expect(listed.map((c) => `${c.name}/${c.region}`)).toEqual([
      "_test_cloud_/RegionOne",
      "_test_cloud_v2_/RegionOne",
    ]);
    expect(broken).toEqual(["_bogus_test_: auth_type"]);
  });
});

describe("precedence: clouds.yaml < secure.yaml < OS_* < arguments", () => {
  const secure = "clouds:\n  prod:\n    auth:\n      password: from-secure\n";

  it("takes clouds.yaml alone", () => {
    expect(loadCloudConfig({ sources: files(PROD), cloud: "prod" }).auth.password).toBe("from-clouds");
  });

  it("secure.yaml wins over clouds.yaml, key by key", () => {
    const config = loadCloudConfig({ sources: files(PROD, secure), cloud: "prod" });
    expect(config.auth.password).toBe("from-secure");
    expect(config.auth.username).toBe("alice");
    expect(config.source).toEqual({ file: CLOUDS, secureFile: SECURE, fromEnv: false });
  });

  it("secure.yaml may hold the only password (and a cloud's top-level keys)", () => {
    const clouds = "clouds:\n  c:\n    auth: {auth_url: 'https://k/v3', username: u}\n";
    const config = loadCloudConfig({
      sources: files(clouds, "clouds:\n  c:\n    auth: {password: s}\n    api_timeout: 5\n"),
    });
    expect(config.auth.password).toBe("s");
    expect(config.apiTimeoutMs).toBe(5000);
  });

  it("OS_* variables win over secure.yaml for the cloud OS_CLOUD names", () => {
    const env = { OS_CLOUD: "prod", OS_PASSWORD: "from-env", OS_INTERFACE: "public" };
    const config = loadCloudConfig({ sources: files(PROD, secure), env });
    expect(config.auth.password).toBe("from-env");
    expect(config.interface).toBe("public");
    expect(config.source.fromEnv).toBe(true);
  });

  it("explicit overrides win over OS_* variables", () => {
    const env = { OS_CLOUD: "prod", OS_PASSWORD: "from-env" };
    const overrides = { auth: { password: "from-args" }, interface: "admin" };
    const config = loadCloudConfig({ sources: files(PROD, secure), env, overrides });
    expect(config.auth.password).toBe("from-args");
    expect(config.auth.username).toBe("alice");
    expect(config.interface).toBe("admin");
  });

  it("the cloud argument wins over OS_CLOUD, and then OS_* variables do not apply to it", () => {
    const env = { OS_CLOUD: "prod", OS_PASSWORD: "for-prod" };
    const config = loadCloudConfig({ sources: files(PROD), env, cloud: "lab" });
    expect(config.name).toBe("lab");
    expect(config.auth.password).toBe("lab-pass");
    expect(config.source.fromEnv).toBe(false);
  });

  it("the region argument wins over OS_REGION_NAME, which wins over the first region", () => {
    const sources = files(PROD);
    expect(loadCloudConfig({ sources, cloud: "lab" }).region).toBe("east");
    expect(loadCloudConfig({ sources, env: { OS_CLOUD: "lab", OS_REGION_NAME: "west" } }).region).toBe(
      "west",
    );
    const both = loadCloudConfig({
      sources,
      env: { OS_CLOUD: "lab", OS_REGION_NAME: "west" },
      region: "east",
    });
    expect(both.region).toBe("east");
  });

  it("a region's values sit between the files and the environment", () => {
    const west = loadCloudConfig({ sources: files(PROD), cloud: "lab", region: "west" });
    expect(west.interface).toBe("admin");
    expect(west.endpointOverrides).toEqual({ compute: "https://west.example.com/compute" });
    expect(west.auth.projectName).toBe("west-project");
    expect(west.auth.username).toBe("bob");
    const env = { OS_CLOUD: "lab", OS_REGION_NAME: "west", OS_INTERFACE: "internal" };
    expect(loadCloudConfig({ sources: files(PROD), env }).interface).toBe("internal");
  });

  it("a vendor profile sits under clouds.yaml, auth merged key by key", () => {
    const clouds = `
clouds:
  city:
    profile: citycloud
    auth: {username: u, password: p, project_name: x}
    image_format: qcow2
`;
    const config = loadCloudConfig({ sources: files(clouds), region: "Sto2" });
    expect(config.profile).toBe("citycloud");
    expect(config.auth.authUrl).toBe("https://Sto2.citycloud.com:5000/v3/");
    expect(config.auth.username).toBe("u");
    expect(config.imageFormat).toBe("qcow2");
    expect(config.apiVersions).toEqual({ "block-storage": "3", identity: "3" });
    expect(config.regions).toEqual(["Buf1", "Fra1", "Sto2", "Kna1", "dx1", "tky1"]);
  });
});

describe("choosing the cloud", () => {
  it("uses the only cloud when none is named", () => {
    const one = "clouds:\n  solo:\n    auth: {auth_url: 'https://k/v3', username: u, password: p}\n";
    expect(loadCloudConfig({ sources: files(one) }).name).toBe("solo");
  });

  it("applies OS_* variables to the only cloud when OS_AUTH_URL is not set", () => {
    const one = "clouds:\n  solo:\n    auth: {auth_url: 'https://k/v3', username: u}\n";
    const config = loadCloudConfig({ sources: files(one), env: { OS_PASSWORD: "pw" } });
    expect(config.name).toBe("solo");
    expect(config.auth.password).toBe("pw");
  });

  it("asks for OS_CLOUD when several clouds exist and none is named", () => {
    const error = configError(() => loadCloudConfig({ sources: files(PROD) }));
    expect(error.file).toBe(CLOUDS);
    expect(error.key).toBe("OS_CLOUD");
    expect(error.message).toContain("several clouds (prod, lab)");
  });

  it("OS_CLOUD naming a cloud no file defines lists the clouds that exist", () => {
    const error = configError(() => loadCloudConfig({ sources: files(PROD), env: { OS_CLOUD: "staging" } }));
    expect(error.message).toBe(
      `clouds.yaml (${CLOUDS}): cloud "staging": OS_CLOUD: no such cloud (the clouds are prod, lab)`,
    );
    expect([error.file, error.cloud, error.key]).toEqual([CLOUDS, "staging", "OS_CLOUD"]);
  });

  it("says where it looked when OS_CLOUD is set and no clouds.yaml exists", () => {
    const sources = { searched: ["/w/clouds.yaml", "/etc/openstack/clouds.yaml"] };
    const error = configError(() => loadCloudConfig({ sources, env: { OS_CLOUD: "prod" } }));
    expect(error.message).toBe(
      'clouds.yaml (none found; looked in /w/clouds.yaml, /etc/openstack/clouds.yaml): cloud "prod": OS_CLOUD: no such cloud (no cloud is defined)',
    );
  });

  it("names the cloud argument as the key when the argument names a missing cloud", () => {
    const error = configError(() => loadCloudConfig({ sources: files(PROD), cloud: "nope" }));
    expect(error.key).toBe("cloud");
    expect(error.cloud).toBe("nope");
  });
});

describe("errors name file, cloud and key", () => {
  it("a missing password", () => {
    const clouds = "clouds:\n  prod:\n    auth: {auth_url: 'https://k/v3', username: u}\n";
    const error = configError(() => loadCloudConfig({ sources: files(clouds) }));
    expect(error.message).toBe(
      `clouds.yaml (${CLOUDS}): cloud "prod": auth.password: missing (set it, or put it in secure.yaml)`,
    );
  });

  it("a missing auth_url and a missing username", () => {
    const noUrl = "clouds:\n  a:\n    auth: {username: u, password: p}\n";
    expect(configError(() => loadCloudConfig({ sources: files(noUrl) })).key).toBe("auth.auth_url");
    const noUser = "clouds:\n  a:\n    auth: {auth_url: 'https://k', password: p}\n";
    const error = configError(() => loadCloudConfig({ sources: files(noUser) }));
    expect([error.file, error.cloud, error.key]).toEqual([CLOUDS, "a", "auth.username"]);
  });

  it("a region not in the cloud's list", () => {
    const error = configError(() =>
      loadCloudConfig({ sources: files(PROD), env: { OS_CLOUD: "lab", OS_REGION_NAME: "West" } }),
    );
    expect(error.message).toBe(
      `clouds.yaml (${CLOUDS}): cloud "lab": regions: no region "West" (asked for by OS_REGION_NAME); ` +
        "the regions are east, west (names are case-sensitive)",
    );
  });

  it("a wrong type names the nested key", () => {
    const clouds = "clouds:\n  a:\n    auth: {auth_url: [1, 2]}\n";
    const error = configError(() => loadCloudConfig({ sources: files(clouds) }));
    expect(error.message).toBe(
      `clouds.yaml (${CLOUDS}): cloud "a": auth.auth_url: expected a string, got a list`,
    );
  });

  it("a wrong type in secure.yaml names secure.yaml", () => {
    const secure = "clouds:\n  prod:\n    verify: maybe-not\n    insecure: perhaps\n";
    const error = configError(() => loadCloudConfig({ sources: files(PROD, secure), cloud: "prod" }));
    expect(error.message).toBe(
      `secure.yaml (${SECURE}): cloud "prod": insecure: expected true or false, got the string "perhaps"`,
    );
  });

  it("a bad value from the environment names the variable", () => {
    const env = { OS_CLOUD: "prod", OS_INTERFACE: "sideways" };
    const error = configError(() => loadCloudConfig({ sources: files(PROD), env }));
    expect(error.message).toBe(
      'environment (OS_* variables): cloud "prod": OS_INTERFACE: unknown interface "sideways" (expected public, internal or admin)',
    );
  });

  it("an unknown profile, and a vendor whose cloud is shut down", () => {
    const unknown = "clouds:\n  a:\n    profile: nimbus\n    auth: {username: u, password: p}\n";
    const error = configError(() => loadCloudConfig({ sources: files(unknown) }));
    expect([error.file, error.cloud, error.key]).toEqual([CLOUDS, "a", "profile"]);
    expect(error.message).toContain('unknown vendor profile "nimbus" (known: auro, betacloud,');
    const shutdown = "clouds:\n  a:\n    cloud: unitedstack\n    auth: {username: u, password: p}\n";
    expect(configError(() => loadCloudConfig({ sources: files(shutdown) })).message).toBe(
      `clouds.yaml (${CLOUDS}): cloud "a": profile: vendor profile "unitedstack" is for a cloud that no longer exists: ` +
        "the API Endpoint is no longer responsive",
    );
  });

  it("a bad region entry", () => {
    const clouds = "clouds:\n  a:\n    regions:\n      - {name: x, value: {}}\n";
    const error = configError(() => loadCloudConfig({ sources: files(clouds) }));
    expect(error.key).toBe("regions.0");
    expect(error.message).toContain("a region mapping has only the keys name and values");
  });

  it("unparseable YAML gives the line", () => {
    const error = configError(() =>
      loadCloudConfig({ sources: files("clouds:\n  a:\n    auth: {x: 1\n  b: 2\n") }),
    );
    expect(error.file).toBe(CLOUDS);
    expect(error.message).toMatch(new RegExp(`^clouds\\.yaml \\(${CLOUDS}\\): line \\d+: not valid YAML: `));
  });
});
