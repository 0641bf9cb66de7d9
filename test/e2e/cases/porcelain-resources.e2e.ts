import { createPrivateKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCapabilities } from "../../../packages/core/src/cloud/capabilities.js";
import { ResourceNotFoundError } from "../../../packages/core/src/cloud/find.js";
import { findFlavor, getFlavor } from "../../../packages/core/src/cloud/flavors.js";
import { createKeypair, deleteKeypair, findKeypair } from "../../../packages/core/src/cloud/keypairs.js";
import { Cleanup, runPrefix } from "../harness.js";
import { openPorcelain, type Porcelain } from "../porcelain.js";
import { rawDelete } from "../raw-resources.js";
import type { SuiteContext } from "../suite.js";

/** The porcelain on the real cloud: capabilities, flavors, networks/routers/security groups, keypairs. */
export function porcelainResourceCases(suite: () => SuiteContext): void {
  describe("porcelain: capabilities, flavors, networks, security groups, keypairs", () => {
    const cleanup = new Cleanup();
    let p: Porcelain;
    beforeAll(async () => {
      p = await openPorcelain(suite().e2e);
      cleanup.push("porcelain connection", () => p.close());
    });
    afterAll(async () => {
      await cleanup.run();
    });

    it("probes the capabilities of a Zed cloud with neutron and glance v2", async () => {
      const { member } = suite();
      const caps = await getCapabilities(p.ctx);
      const pub = await member.request<{ networks: { id: string }[] }>(
        "network",
        "GET",
        "/v2.0/networks?router:external=true&name=public",
      );
      expect(caps.floatingIps.model).toBe("neutron");
      expect(caps.floatingIps.externalNetworkIds).toContain(pub.networks[0]!.id);
      expect(caps.securityGroups.model).toBe("neutron");
      expect(caps.images.apiVersion).toBe("2");
      expect(caps.images.diskFormats).toEqual(expect.arrayContaining(["raw", "qcow2"]));
      expect(caps.images.containerFormats).toContain("bare");
      expect(caps.images.importMethods).toEqual(expect.arrayContaining(["glance-direct", "web-download"]));
      expect(caps.images.uploadMethods[0]).toMatch(/^v2-(put|import)$/);
      // nova 2.93 > 2.37 and neutron has auto-allocated-topology plus a default external network and subnetpool.
      expect(caps.getMeANetwork.method).toBe("nova-auto");
      expect(caps.networkExtensions).toEqual(expect.arrayContaining(["auto-allocated-topology", "router"]));
      expect(caps.services.find((s) => s.serviceType === "compute")?.version).toBe("2.1");
      expect(caps.location.project.id).toBe(member.projectId);
    });

    it("finds flavors by name and the smallest that fits", async () => {
      expect((await getFlavor(p.ctx, "m1.nano")).ram).toBe(64);
      expect((await findFlavor(p.ctx, { minRamMb: 100 }))?.name).toBe("m1.tiny");
      expect((await findFlavor(p.ctx, { minRamMb: 1024 }))?.name).toBe("m1.small");
      expect(await findFlavor(p.ctx, { minRamMb: 1_000_000 })).toBeUndefined();
      await expect(getFlavor(p.ctx, `${runPrefix}no-such-flavor`)).rejects.toBeInstanceOf(
        ResourceNotFoundError,
      );
    });

    it("builds a network, subnet and router to the external network, and a security group with a rule", async () => {
      const s = suite().member;
      const c = p.cloud;
      const net = await c.createNetwork({ name: `${runPrefix}pc-net` });
      cleanup.push(`network ${net.id}`, () => rawDelete(s, "network", `/v2.0/networks/${net.id}`));
      const subnet = await c.createSubnet({
        network: net.name,
        cidr: "192.168.94.0/24",
        name: `${runPrefix}pc-subnet`,
      });
      expect(subnet.networkId).toBe(net.id);
      const router = await c.createRouter({ name: `${runPrefix}pc-router`, externalNetwork: "public" });
      cleanup.push(`router ${router.id}`, () => rawDelete(s, "network", `/v2.0/routers/${router.id}`));
      await c.addRouterInterface(router.id, { subnet: subnet.name });
      cleanup.push(`router interface ${router.id}`, () =>
        s.request("network", "PUT", `/v2.0/routers/${router.id}/remove_router_interface`, {
          body: { subnet_id: subnet.id },
          ok: [200, 404],
        }),
      );
      // Read back with the raw client: the gateway and the interface port really exist.
      const raw = await s.request<{ router: { external_gateway_info: { network_id: string } | null } }>(
        "network",
        "GET",
        `/v2.0/routers/${router.id}`,
      );
      const pub = await s.request<{ networks: { id: string }[] }>(
        "network",
        "GET",
        "/v2.0/networks?name=public",
      );
      expect(raw.router.external_gateway_info?.network_id).toBe(pub.networks[0]!.id);
      const ports = await s.request<{ ports: { device_owner: string }[] }>(
        "network",
        "GET",
        `/v2.0/ports?device_id=${router.id}&network_id=${net.id}`,
      );
      expect(ports.ports.map((x) => x.device_owner)).toEqual(["network:router_interface"]);

      const sg = await c.createSecurityGroup({ name: `${runPrefix}pc-sg`, description: "oaktree e2e" });
      cleanup.push(`security group ${sg.id}`, () =>
        rawDelete(s, "network", `/v2.0/security-groups/${sg.id}`),
      );
      const rule = await c.addSecurityGroupRule({
        securityGroup: sg.name,
        protocol: "tcp",
        portRangeMin: 22,
        portRangeMax: 22,
        remoteIpPrefix: "0.0.0.0/0",
      });
      expect(rule).toMatchObject({
        securityGroupId: sg.id,
        direction: "ingress",
        protocol: "tcp",
        portRangeMin: 22,
      });

      await c.removeRouterInterface(router.id, { subnet: subnet.id });
      expect(await c.deleteRouter(router.id)).toBe(true);
      expect(await c.deleteSubnet(subnet.id)).toBe(true);
      expect(await c.deleteNetwork(net.id)).toBe(true);
      expect(await c.deleteNetwork(net.id)).toBe(false);
      expect(await c.deleteSecurityGroup(sg.id)).toBe(true);
    });

    it("creates a keypair without a public key (generated locally on nova >= 2.92) and deletes it", async () => {
      const s = suite().member;
      const name = `${runPrefix}porcelain-key`;
      const kp = await createKeypair(p.ctx, { name });
      cleanup.push(`keypair ${name}`, () => rawDelete(s, "compute", `/os-keypairs/${name}`));
      expect(kp.name).toBe(name);
      expect(kp.publicKey).toMatch(/^ssh-rsa /);
      expect(() => createPrivateKey(kp.privateKey!)).not.toThrow();
      expect((await findKeypair(p.ctx, name))?.fingerprint).toBe(kp.fingerprint);
      expect(await deleteKeypair(p.ctx, name)).toBe(true);
      expect(await deleteKeypair(p.ctx, name)).toBe(false);
      expect(await findKeypair(p.ctx, name)).toBeUndefined();
    });
  });
}
