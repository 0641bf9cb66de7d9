import { describe, expect, it } from "vitest";
import type { AddressWire, ServerWire } from "../services/compute/v2/servers/wire.js";
import { fixture, fixtureFiles } from "../testing/fixtures.js";
import type { NormalizeContext } from "./location.js";
import { normalizeAddresses, normalizeServer, type Server } from "./server.js";
import { isGlobalIPv6, isPublicIPv4, serverIps } from "./server-addresses.js";

const ctx: NormalizeContext = {
  cloud: "mycloud",
  region: "RegionOne",
  project: { id: "6f70656e737461636b20342065766572", name: "demo", domainId: "default" },
};

/** Every server object of every upstream response sample (get, details, update, rebuild, create). */
function upstreamServers(): [string, ServerWire][] {
  const found: [string, ServerWire][] = [];
  for (const path of fixtureFiles(
    "compute/servers",
    /-resp\.json$|\/servers-details-with-changes-before\.json$/,
  )) {
    const body = fixture<{ server?: ServerWire; servers?: ServerWire[] }>(path);
    if (body.server) found.push([path, body.server]);
    for (const server of body.servers ?? []) found.push([path, server]);
  }
  return found;
}

describe("normalizeServer on every upstream sample", () => {
  const samples = upstreamServers();
  it("finds the samples", () => {
    expect(samples.length).toBeGreaterThan(80);
  });
  it.each(samples)("%s", (path, wire) => {
    const server = normalizeServer(wire, ctx);
    expect(server.id).toBe(wire.id);
    expect(server.location.cloud).toBe("mycloud");
    // Nothing is lost: every key is a field or a property.
    for (const key of Object.keys(wire).filter((k) => k.startsWith("OS-EXT-"))) {
      expect(server.properties, `${path} ${key}`).toHaveProperty([key]);
    }
    if (wire.addresses) {
      const count = Object.values(wire.addresses).reduce((n, list) => n + list.length, 0);
      expect(server.addresses).toHaveLength(count);
    }
    if (wire.status) expect(server.status).toBe(wire.status);
    if (wire.flavor?.original_name) expect(server.flavor.name).toBe(wire.flavor.original_name);
    if (wire.flavor?.id) expect(server.flavor.id).toBe(wire.flavor.id);
    if (wire.image === "") expect(server.image).toBeUndefined();
    if (server.interfaceIp !== undefined) {
      expect([server.publicV4, server.publicV6, server.privateV4]).toContain(server.interfaceIp);
    }
  });
});

describe("normalizeServer: expected models", () => {
  it("base server-get-resp (2.1)", () => {
    const wire = fixture<{ server: ServerWire }>("compute/servers/server-get-resp.json").server;
    const expected: Server = {
      location: { cloud: "mycloud", region: "RegionOne", zone: "us-west", project: ctx.project },
      id: "0e44cc9c-e052-415d-afbf-469b0d384170",
      name: "new-server-test",
      status: "ACTIVE",
      powerState: "RUNNING",
      vmState: "active",
      flavor: { id: "1" },
      image: { id: "70a599e0-31e7-49b7-b260-868f441e862b" },
      addresses: [
        { network: "private", address: "192.168.1.30", version: 4, type: "fixed", mac: "00:0c:29:0d:11:74" },
      ],
      // accessIPv4/6 win, as in shade.
      publicV4: "1.2.3.4",
      privateV4: "192.168.1.30",
      publicV6: "80fe::",
      interfaceIp: "1.2.3.4",
      accessIPv4: "1.2.3.4",
      accessIPv6: "80fe::",
      metadata: { "My Server Name": "Apache1" },
      securityGroups: ["default"],
      volumes: ["volume_id1", "volume_id2"],
      hostId: "92154fab69d5883ba2c8622b7e65f745dd33257221c07af363c51b29",
      configDrive: false,
      userId: "admin",
      tags: [],
      createdAt: "2013-09-03T04:01:32Z",
      updatedAt: "2013-09-03T04:01:33Z",
      launchedAt: "2013-09-23T13:37:00.880302Z",
      locked: false,
      properties: {
        "OS-DCF:diskConfig": "AUTO",
        "OS-EXT-AZ:availability_zone": "us-west",
        "OS-EXT-SRV-ATTR:host": "b8b357f7100d4391828f2177c922ef93",
        "OS-EXT-SRV-ATTR:hypervisor_hostname": "fake-mini",
        "OS-EXT-SRV-ATTR:instance_name": "instance-00000001",
        "OS-EXT-STS:power_state": 1,
        "OS-EXT-STS:task_state": null,
        "OS-EXT-STS:vm_state": "active",
        "OS-SRV-USG:terminated_at": null,
        progress: 0,
      },
    };
    expect(normalizeServer(wire, ctx)).toEqual(expected);
  });

  it("v2.100 server-get-resp: embedded flavor, image properties, tags, locked, description", () => {
    const wire = fixture<{ server: ServerWire }>("compute/servers/v2.100/server-get-resp.json").server;
    const server = normalizeServer(wire, ctx);
    expect(server.flavor).toEqual({
      name: "m1.tiny",
      vcpus: 1,
      ram: 512,
      disk: 1,
      ephemeral: 0,
      swap: 0,
      extraSpecs: {},
    });
    expect(server.image).toEqual({
      id: "70a599e0-31e7-49b7-b260-868f441e862b",
      properties: { architecture: "x86_64", auto_disk_config: "True" },
    });
    expect(server.userId).toBe("fake");
    expect(server.description).toBeUndefined();
    expect(server.properties).toMatchObject({
      locked_reason: null,
      pinned_availability_zone: "us-west",
      scheduler_hints: { same_host: ["48e6a9f6-30af-47e0-bc04-acaed113bb4e"] },
      server_groups: [],
      "OS-EXT-SRV-ATTR:hostname": "new-server-test",
    });
    expect(server.properties).not.toHaveProperty("links");
    expect(server.properties).not.toHaveProperty("tags");
  });

  it("down-cell server (2.69): partial, status UNKNOWN, power NOSTATE", () => {
    const wire = fixture<{ server: ServerWire }>("compute/servers/v2.69/server-get-resp.json").server;
    const server = normalizeServer(wire, ctx);
    expect([server.status, server.powerState, server.name, server.addresses]).toEqual([
      "UNKNOWN",
      "NOSTATE",
      "",
      [],
    ]);
    expect(server.location.zone).toBe("UNKNOWN");
  });

  it("an ERROR server booted from volume, with a fault and a floating IP, owned by another project", () => {
    const wire: ServerWire = {
      id: "s1",
      name: "web",
      status: "ERROR",
      tenant_id: "other",
      image: "",
      flavor: { id: "2" },
      config_drive: "True",
      "OS-EXT-STS:power_state": 4,
      addresses: {
        private: [
          {
            addr: "10.0.0.5",
            version: 4,
            "OS-EXT-IPS:type": "fixed",
            "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:01",
          },
          {
            addr: "172.24.4.10",
            version: 4,
            "OS-EXT-IPS:type": "floating",
            "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:01",
          },
          { addr: "fd00::5", version: 6, "OS-EXT-IPS:type": "fixed" },
        ],
      },
      fault: { code: 500, message: "No valid host was found.", created: "2024-01-01T00:00:00Z" },
      security_groups: [{ name: "default" }, { name: "default" }],
      vendor_extra: { a: 1 },
    };
    const server = normalizeServer(wire, ctx);
    expect(server).toMatchObject({
      location: { project: { id: "other" } },
      status: "ERROR",
      powerState: "SHUTDOWN",
      configDrive: true,
      publicV4: "172.24.4.10",
      privateV4: "10.0.0.5",
      interfaceIp: "172.24.4.10",
      securityGroups: ["default"],
      fault: { code: 500, message: "No valid host was found.", created: "2024-01-01T00:00:00Z" },
      properties: { vendor_extra: { a: 1 }, "OS-EXT-STS:power_state": 4 },
    });
    expect(server.image).toBeUndefined();
    expect(server.publicV6).toBeUndefined();
    expect(server.location.zone).toBeUndefined();
  });
});

describe("normalizeAddresses", () => {
  it("reads GET /servers/{id}/ips and /ips/{network} samples (no type: fixed)", () => {
    const all = fixture<{ addresses: ServerWire["addresses"] }>(
      "compute/server-ips/server-ips-resp.json",
    ).addresses;
    expect(normalizeAddresses(all)).toEqual([
      { network: "private", address: "192.168.1.30", version: 4, type: "fixed" },
    ]);
    const one = fixture<Record<string, AddressWire[]>>("compute/server-ips/server-ips-network-resp.json");
    expect(normalizeAddresses(one).map((a) => a.address)).toEqual(["192.168.1.30"]);
  });
});

const addr = (network: string, address: string, extra: Partial<AddressWire> = {}) => ({
  network,
  address,
  version: (address.includes(":") ? 6 : 4) as 4 | 6,
  type: extra["OS-EXT-IPS:type"] === "floating" ? ("floating" as const) : ("fixed" as const),
  ...(extra["OS-EXT-IPS-MAC:mac_addr"] && { mac: extra["OS-EXT-IPS-MAC:mac_addr"] }),
});

describe("serverIps decision table", () => {
  it("rackspace: public network with a public fixed IPv4 and IPv6, no floating IPs", () => {
    const ips = serverIps(
      [addr("public", "23.253.1.10"), addr("public", "2001:4800:7817::10"), addr("private", "10.208.1.10")],
      {},
    );
    expect(ips).toEqual({
      publicV4: "23.253.1.10",
      publicV6: "2001:4800:7817::10",
      privateV4: "10.208.1.10",
      interfaceIp: "23.253.1.10",
    });
  });

  it("provider network marked external by the context: an RFC 1918 fixed IP is public", () => {
    const ips = serverIps(
      [addr("ext-net", "192.168.50.4"), addr("tenant", "10.1.0.4")],
      {},
      new Set(["ext-net"]),
    );
    expect(ips).toEqual({ publicV4: "192.168.50.4", privateV4: "10.1.0.4", interfaceIp: "192.168.50.4" });
  });

  it("private network only: no public address, interfaceIp is the private one", () => {
    expect(serverIps([addr("tenant", "10.1.0.4"), addr("tenant", "fe80::1")], {})).toEqual({
      privateV4: "10.1.0.4",
      interfaceIp: "10.1.0.4",
    });
  });

  it("CGNAT fixed addresses are private; a global IPv6 becomes the interface address", () => {
    expect(serverIps([addr("n", "100.64.3.4"), addr("n", "2001:db8::4")], {})).toEqual({
      privateV4: "100.64.3.4",
      publicV6: "2001:db8::4",
      interfaceIp: "2001:db8::4",
    });
  });

  it("private IP behind the floating IP is preferred (same MAC)", () => {
    const mac = { "OS-EXT-IPS-MAC:mac_addr": "m2" };
    const ips = serverIps(
      [
        addr("a", "10.0.0.1", { "OS-EXT-IPS-MAC:mac_addr": "m1" }),
        addr("b", "10.0.1.1", mac),
        addr("b", "203.0.113.9", { ...mac, "OS-EXT-IPS:type": "floating" }),
      ],
      {},
    );
    expect(ips).toEqual({ publicV4: "203.0.113.9", privateV4: "10.0.1.1", interfaceIp: "203.0.113.9" });
  });

  it("classifies address ranges", () => {
    expect(
      [
        "10.1.1.1",
        "172.16.0.1",
        "172.31.255.1",
        "192.168.0.1",
        "100.64.0.1",
        "100.127.0.1",
        "127.0.0.1",
        "169.254.1.1",
        "224.0.0.1",
        "x",
      ].map(isPublicIPv4),
    ).toEqual([false, false, false, false, false, false, false, false, false, false]);
    expect(["8.8.8.8", "172.32.0.1", "100.128.0.1", "203.0.113.5"].map(isPublicIPv4)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(["::1", "fe80::1", "fd12::1", "fc00::1", "ff02::1", "10.0.0.1"].map(isGlobalIPv6)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(["2001:db8::1", "2a00:1450::1", "::ffff:8.8.8.8"].map(isGlobalIPv6)).toEqual([true, true, true]);
  });
});
