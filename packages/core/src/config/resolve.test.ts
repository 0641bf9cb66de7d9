import { describe, expect, it } from "vitest";
import { ConfigError } from "./errors.js";
import { loadCloudConfig } from "./load.js";

const PATH = "/etc/openstack/clouds.yaml";

/** Loads cloud "c" defined by the YAML body under `clouds: c:` (indented by the caller). */
function load(body: string, env: Record<string, string> = {}) {
  return loadCloudConfig({ sources: { clouds: { path: PATH, text: `clouds:\n  c:\n${body}` } }, env });
}

function fails(body: string): ConfigError {
  try {
    load(body);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const AUTH = "    auth: {auth_url: 'https://k/v3', username: u, password: p}\n";

describe("the OS_* cloud", () => {
  it("is named envvars and maps every variable openstacksdk maps", () => {
    const config = loadCloudConfig({
      env: {
        OS_AUTH_URL: "https://keystone.example.com/v3",
        OS_USERNAME: "alice",
        OS_PASSWORD: "secret",
        OS_PROJECT_ID: "p-1",
        OS_USER_DOMAIN_NAME: "Default",
        OS_PROJECT_DOMAIN_NAME: "Default",
        OS_REGION_NAME: "RegionTwo",
        OS_INTERFACE: "internal",
        OS_IDENTITY_API_VERSION: "3",
        OS_VOLUME_API_VERSION: "3",
        OS_CACERT: "/etc/ssl/ca.pem",
        OS_CERT: "/etc/ssl/me.pem",
        OS_KEY: "/etc/ssl/me.key",
        OS_API_TIMEOUT: "12.5",
        OS_TEST_PATH: "./ignored",
        PATH: "/usr/bin",
      },
    });
    expect(config.name).toBe("envvars");
    expect(config.source).toEqual({ fromEnv: true });
    expect(config.auth).toEqual({
      authUrl: "https://keystone.example.com/v3",
      username: "alice",
      password: "secret",
      projectId: "p-1",
      tenantId: "p-1",
      userDomainName: "Default",
      projectDomainName: "Default",
    });
    expect(config.region).toBe("RegionTwo");
    expect(config.regions).toEqual(["RegionTwo"]);
    expect(config.interface).toBe("internal");
    expect(config.apiVersions).toEqual({ identity: "3", "block-storage": "3" });
    expect(config.tls).toEqual({
      verify: true,
      cacert: "/etc/ssl/ca.pem",
      cert: "/etc/ssl/me.pem",
      key: "/etc/ssl/me.key",
    });
    expect(config.apiTimeoutMs).toBe(12_500);
    expect(config.extra).toEqual({});
  });

  it("maps legacy OS_TENANT_NAME, OS_ENDPOINT_TYPE and OS_INSECURE", () => {
    const config = loadCloudConfig({
      env: {
        OS_AUTH_URL: "https://k/v2.0",
        OS_USERNAME: "u",
        OS_PASSWORD: "p",
        OS_TENANT_NAME: "t",
        OS_ENDPOINT_TYPE: "internalURL",
        OS_INSECURE: "True",
      },
    });
    expect(config.auth.projectName).toBe("t");
    expect(config.auth.tenantName).toBe("t");
    expect(config.interface).toBe("internal");
    expect(config.tls.verify).toBe(false);
  });

  it("takes OS_CLOUD_NAME as its name, and OS_AUTH_TYPE / application credentials", () => {
    const config = loadCloudConfig({
      env: {
        OS_CLOUD_NAME: "ci",
        OS_AUTH_URL: "https://k/v3",
        OS_AUTH_TYPE: "v3applicationcredential",
        OS_APPLICATION_CREDENTIAL_ID: "ac-1",
        OS_APPLICATION_CREDENTIAL_SECRET: "s3",
      },
    });
    expect(config.name).toBe("ci");
    expect(config.authType).toBe("v3applicationcredential");
    expect(config.auth.applicationCredentialId).toBe("ac-1");
  });

  it("is not a cloud without OS_AUTH_URL", () => {
    expect(() => loadCloudConfig({ env: { OS_USERNAME: "u", OS_PASSWORD: "p" } })).toThrow(
      "OS_CLOUD: no cloud is configured",
    );
  });

  it("names the variable when a variable is wrong", () => {
    expect(() =>
      loadCloudConfig({
        env: { OS_AUTH_URL: "https://k", OS_USERNAME: "u", OS_PASSWORD: "p", OS_API_TIMEOUT: "soon" },
      }),
    ).toThrow(
      'environment (OS_* variables): cloud "envvars": OS_API_TIMEOUT: expected a number, got the string "soon"',
    );
    expect(() => loadCloudConfig({ env: { OS_AUTH_URL: "https://k", OS_PASSWORD: "p" } })).toThrow(
      'environment (OS_* variables): cloud "envvars": auth.username: missing (set username or user_id)',
    );
  });
});

describe("auth_type", () => {
  it.each([
    ["v3password", "v3password"],
    ["v2password", "v2password"],
    ["password", "password"],
  ])("accepts %s", (written, type) => {
    expect(load(`    auth_type: ${written}\n${AUTH}`).authType).toBe(type);
  });

  it("accepts the application credential spellings, by id or by name + user", () => {
    for (const spelling of ["v3applicationcredential", "application_credential"]) {
      const byId = load(
        `    auth_type: ${spelling}\n    auth: {auth_url: 'https://k', application_credential_id: i, application_credential_secret: s}\n`,
      );
      expect(byId.authType).toBe("v3applicationcredential");
    }
    const byName = load(
      "    auth_type: v3applicationcredential\n    auth: {auth_url: 'https://k', application_credential_name: n, username: u, user_domain_name: D, application_credential_secret: s}\n",
    );
    expect(byName.auth.applicationCredentialName).toBe("n");
    const noUser = fails(
      "    auth_type: v3applicationcredential\n    auth: {auth_url: 'https://k', application_credential_name: n, application_credential_secret: s}\n",
    );
    expect(noUser.key).toBe("auth.username");
    const noSecret = fails(
      "    auth_type: v3applicationcredential\n    auth: {auth_url: 'https://k', application_credential_id: i}\n",
    );
    expect(noSecret.message).toBe(
      `clouds.yaml (${PATH}): cloud "c": auth.application_credential_secret: missing (set it, or put it in secure.yaml)`,
    );
  });

  it("accepts token and v3token, and requires the token", () => {
    expect(
      load("    auth_type: v3token\n    auth: {auth_url: 'https://k', token: abc, project_id: p}\n").auth
        .token,
    ).toBe("abc");
    expect(fails("    auth_type: token\n    auth: {auth_url: 'https://k'}\n").key).toBe("auth.token");
  });

  it("is inferred from the fields present when absent", () => {
    expect(
      load(
        "    auth: {auth_url: 'https://k', application_credential_id: i, application_credential_secret: s}\n",
      ).authType,
    ).toBe("v3applicationcredential");
    expect(load("    auth: {auth_url: 'https://k', token: t}\n").authType).toBe("token");
    expect(load("    auth: {auth_url: 'https://k', auth_token: t}\n").auth.token).toBe("t");
    expect(load(AUTH).authType).toBe("password");
  });

  it("takes the legacy auth_plugin key", () => {
    expect(load(`    auth_plugin: v3password\n${AUTH}`).authType).toBe("v3password");
  });

  it("rejects what oaktree cannot do", () => {
    expect(fails(`    auth_type: v3oidcpassword\n${AUTH}`).message).toContain(
      'auth_type: unknown auth_type "v3oidcpassword"',
    );
  });
});

describe("auth settings", () => {
  it("moves top-level auth keys into auth (auth wins) and uses domain_name as the default domain", () => {
    const config = load(
      "    username: top\n    project_name: p\n    domain_name: D\n    auth: {auth_url: 'https://k', username: inner, password: pw, user_domain_name: U}\n",
    );
    expect(config.auth.username).toBe("inner");
    expect(config.auth.userDomainName).toBe("U");
    expect(config.auth.projectDomainName).toBe("D");
    expect(config.auth.domainName).toBeUndefined();
  });

  it("keeps domain_id for a domain-scoped token", () => {
    const config = load("    auth: {auth_url: 'https://k', username: u, password: p, domain_id: d1}\n");
    expect(config.auth.domainId).toBe("d1");
    expect(config.auth.userDomainId).toBeUndefined();
  });

  it("accepts hyphenated and numeric values as os-client-config did", () => {
    const config = load(
      "    auth:\n      auth-url: 'https://k'\n      username: u\n      password: 1234\n      project-id: 42\n",
    );
    expect(config.auth.password).toBe("1234");
    expect(config.auth.projectId).toBe("42");
  });
});

describe("service settings", () => {
  it("maps *_api_version, *_endpoint_override and *_endpoint to official service types", () => {
    const config = load(
      `${AUTH}    volume_api_version: 3\n    compute_api_version: '2.95'\n    object_store_api_version: v1\n` +
        "    block_storage_endpoint_override: https://cinder/v3\n    image_endpoint: https://glance\n" +
        "    network_endpoint: https://old\n    network_endpoint_override: https://new\n",
    );
    expect(config.apiVersions).toEqual({ "block-storage": "3", compute: "2.95", "object-store": "1" });
    expect(config.endpointOverrides).toEqual({
      "block-storage": "https://cinder/v3",
      image: "https://glance",
      network: "https://new",
    });
  });

  it("ignores an api_version of latest with a warning, and rejects nonsense", () => {
    expect(load(`${AUTH}    compute_api_version: latest\n`).warnings).toEqual([
      'compute_api_version: "latest" ignored (oaktree negotiates the newest version itself)',
    ]);
    expect(fails(`${AUTH}    compute_api_version: two\n`).message).toBe(
      `clouds.yaml (${PATH}): cloud "c": compute_api_version: expected a version like "3" or "2.1", got "two"`,
    );
  });

  it("reads interface, legacy endpoint_type, and rejects unknown ones", () => {
    expect(load(`${AUTH}    endpoint_type: admin\n`).interface).toBe("admin");
    expect(load(AUTH).interface).toBe("public");
    expect(fails(`${AUTH}    interface: private\n`).key).toBe("interface");
  });

  it("reads TLS settings: verify, insecure (YAML 1.1 words), cacert, verify as a CA path", () => {
    expect(load(`${AUTH}    verify: no\n`).tls.verify).toBe(false);
    expect(load(`${AUTH}    insecure: true\n    verify: true\n`).tls.verify).toBe(false);
    expect(load(`${AUTH}    verify: /etc/ca.pem\n`).tls).toEqual({ verify: true, cacert: "/etc/ca.pem" });
    expect(load(AUTH).tls).toEqual({ verify: true });
  });

  it("reads api_timeout (and legacy <service>_timeout) in seconds", () => {
    expect(load(`${AUTH}    api_timeout: 30\n`).apiTimeoutMs).toBe(30_000);
    expect(load(`${AUTH}    compute_timeout: 2\n`).apiTimeoutMs).toBe(2000);
    expect(fails(`${AUTH}    api_timeout: 0\n`).key).toBe("api_timeout");
  });

  it("reads floating_ip_source and image_format", () => {
    const config = load(`${AUTH}    floating_ip_source: None\n    image_format: raw\n`);
    expect(config.floatingIpSource).toBe("none");
    expect(config.imageFormat).toBe("raw");
    expect(load(AUTH).floatingIpSource).toBeUndefined();
    expect(fails(`${AUTH}    floating_ip_source: magic\n`).key).toBe("floating_ip_source");
  });

  it("reads cache settings from the file, overridden per cloud", () => {
    const text = `cache:\n  expiration_time: 10\n  expiration: {server: 5, image: 600}\nclouds:\n  c:\n${AUTH}    cache:\n      expiration: {server: 2}\n`;
    const config = loadCloudConfig({ sources: { clouds: { path: PATH, text } } });
    expect(config.cache).toEqual({ expirationTime: 10, expiration: { server: 2, image: 600 } });
    expect(load(AUTH).cache).toEqual({ expirationTime: 0, expiration: {} });
  });

  it("reads rate limits: one number, or per service with aliases; concurrency alike", () => {
    expect(load(`${AUTH}    rate_limit: 5\n    max_concurrency: 10\n`).rateLimits).toEqual({
      "*": { requestsPerSecond: 5, maxConcurrency: 10 },
    });
    const perService = load(
      `${AUTH}    rate_limits: {compute: 2, volumev3: 0.5, '*': 20}\n    concurrency: {compute: 4}\n`,
    );
    expect(perService.rateLimits).toEqual({
      compute: { requestsPerSecond: 2, maxConcurrency: 4 },
      "block-storage": { requestsPerSecond: 0.5 },
      "*": { requestsPerSecond: 20 },
    });
  });

  it("rejects bad rate limits", () => {
    expect(fails(`${AUTH}    rate_limit: -1\n`).message).toBe(
      `clouds.yaml (${PATH}): cloud "c": rate_limit: expected a positive number of requests per second, got -1`,
    );
    expect(fails(`${AUTH}    concurrency: {compute: 1.5}\n`).message).toContain(
      "concurrency.compute: expected a positive whole number, got 1.5",
    );
    expect(fails(`${AUTH}    rate_limit: 1\n    rate_limits: 2\n`).key).toBe("rate_limits");
    expect(fails(`${AUTH}    rate_limit: fast\n`).key).toBe("rate_limit");
  });

  it("reads networks, and legacy external_network / internal_network", () => {
    const config = load(
      `${AUTH}    networks:\n      - {name: public, routes_externally: true, default_interface: true}\n      - {name: private, nat_destination: true}\n`,
    );
    expect(config.networks).toEqual([
      {
        name: "public",
        routesExternally: true,
        routesIpv4Externally: true,
        routesIpv6Externally: true,
        natSource: false,
        natDestination: false,
        defaultInterface: true,
      },
      {
        name: "private",
        routesExternally: false,
        routesIpv4Externally: false,
        routesIpv6Externally: false,
        natSource: false,
        natDestination: true,
        defaultInterface: false,
      },
    ]);
    const legacy = load(`${AUTH}    external_network: ext\n`);
    expect(legacy.networks?.[0]).toMatchObject({
      name: "ext",
      routesExternally: true,
      defaultInterface: true,
    });
    expect(
      fails(
        `${AUTH}    networks:\n      - {name: a, nat_destination: true}\n      - {name: b, nat_destination: true}\n`,
      ).key,
    ).toBe("networks");
    expect(fails(`${AUTH}    networks:\n      - {routes_externally: true}\n`).message).toContain(
      "networks.0.name: missing",
    );
  });

  it("treats empty values as not set", () => {
    const config = load(
      "    auth:\n      auth_url: 'https://k'\n      username: u\n      password: p\n      project_name:\n    regions:\n    cache:\n",
    );
    expect(config.auth.projectName).toBeUndefined();
    expect(config.regions).toEqual([]);
    expect(fails("    auth:\n    region_name: R\n").key).toBe("auth.auth_url");
  });

  it("keeps unknown keys in extra", () => {
    expect(load(`${AUTH}    image_api_use_tasks: true\n    secgroup_source: nova\n`).extra).toEqual({
      image_api_use_tasks: true,
      secgroup_source: "nova",
    });
  });
});

describe("regions", () => {
  it("takes a comma-separated region_name as a list (deprecated os-client-config form)", () => {
    expect(load(`${AUTH}    region_name: a,b\n`).regions).toEqual(["a", "b"]);
  });

  it("accepts a region the cloud does not list when it lists none", () => {
    const config = loadCloudConfig({
      sources: { clouds: { path: PATH, text: `clouds:\n  c:\n${AUTH}` } },
      region: "R9",
    });
    expect(config.region).toBe("R9");
    expect(config.regions).toEqual(["R9"]);
    expect(load(AUTH).region).toBeUndefined();
  });

  it("lets the user's region_name narrow a vendor profile's regions", () => {
    const config = load(
      "    profile: citycloud\n    region_name: Kna1\n    auth: {username: u, password: p}\n",
    );
    expect(config.regions).toEqual(["Kna1"]);
    expect(config.auth.authUrl).toBe("https://Kna1.citycloud.com:5000/v3/");
  });
});
