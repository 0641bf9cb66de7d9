import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotFoundError } from "../../../packages/core/src/http/errors.js";
import type { ServiceClient } from "../../../packages/core/src/http/types.js";
import { listFlavors } from "../../../packages/core/src/services/compute/v2/flavors/requests.js";
import {
  createKeypair,
  deleteKeypair,
  getKeypair,
  listKeypairs,
} from "../../../packages/core/src/services/compute/v2/keypairs/requests.js";
import {
  createServer,
  deleteServer,
  getServer,
} from "../../../packages/core/src/services/compute/v2/servers/requests.js";
import {
  createFloatingIp,
  deleteFloatingIp,
} from "../../../packages/core/src/services/network/v2/floating-ips/requests.js";
import {
  createNetwork,
  listNetworks,
} from "../../../packages/core/src/services/network/v2/networks/requests.js";
import { listPorts } from "../../../packages/core/src/services/network/v2/ports/requests.js";
import {
  addRouterInterface,
  createRouter,
  getRouter,
} from "../../../packages/core/src/services/network/v2/routers/requests.js";
import { createSecurityGroup } from "../../../packages/core/src/services/network/v2/security-groups/requests.js";
import { createSubnet } from "../../../packages/core/src/services/network/v2/subnets/requests.js";
import { type CoreClients, collect, coreClients } from "../core-clients.js";
import { Cleanup, runPrefix } from "../harness.js";
import { pollUntil } from "../raw-client.js";
import { rawDelete, waitGone } from "../raw-resources.js";
import type { SuiteContext } from "../suite.js";

/** An OpenSSH public key line for a fresh ed25519 key (nova >= 2.92 only imports keys). */
function sshPublicKey(): string {
  const { publicKey } = generateKeyPairSync("ed25519");
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  const field = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const blob = Buffer.concat([field(Buffer.from("ssh-ed25519")), field(raw)]);
  return `ssh-ed25519 ${blob.toString("base64")} ${runPrefix}key`;
}

/**
 * packages/core's REST bindings (services/) against the real Zed cloud: flavors, keypairs,
 * networks/subnets/routers/security groups, and a server booted on the fake driver with a
 * floating IP through the router. The porcelain's tests (cloud/) come on top of these.
 */
export function bindingsCases(suite: () => SuiteContext): void {
  describe("bindings (packages/core services/) on the real cloud", () => {
    const cleanup = new Cleanup();
    // Ids the network test hands to the server test (tests of a block run in order).
    const ids: { network?: string; externalNetwork?: string } = {};
    let core: CoreClients;
    let compute: ServiceClient;
    let network: ServiceClient;
    beforeAll(async () => {
      core = coreClients(suite().member);
      compute = await core.client("compute");
      network = await core.client("network");
    });
    afterAll(async () => {
      try {
        await cleanup.run();
      } finally {
        await core?.close();
      }
    });

    it("negotiates compute up to Zed's 2.93", () => {
      expect(compute.microversion).toBe("2.93");
    });

    it("lists the recipe's flavors", async () => {
      const flavors = await collect(listFlavors(compute));
      const byName = new Map(flavors.map((f) => [f.name, f]));
      expect(byName.get("m1.nano")).toMatchObject({ ram: 64, vcpus: 1, disk: 1 });
      expect(byName.get("m1.tiny")).toMatchObject({ ram: 512 });
      expect(byName.get("m1.small")).toMatchObject({ ram: 2048, disk: 20 });
    });

    it("imports, finds and deletes a keypair", async () => {
      const name = `${runPrefix}key`;
      const publicKey = sshPublicKey();
      const created = await createKeypair(compute, { name, publicKey });
      cleanup.push(`keypair ${name}`, () => rawDelete(suite().member, "compute", `/os-keypairs/${name}`));
      expect(created).toMatchObject({ name, type: "ssh" });
      expect((await getKeypair(compute, name)).public_key).toBe(publicKey);
      expect((await collect(listKeypairs(compute))).map((k) => k.name)).toContain(name);
      await deleteKeypair(compute, name);
      await expect(getKeypair(compute, name)).rejects.toBeInstanceOf(NotFoundError);
    });

    it("builds a network, subnet, router to the external network and a security group", async () => {
      const s = suite().member;
      const [pub] = await collect(listNetworks(network, { routerExternal: true, name: "public" }));
      expect(pub, "external network 'public'").toBeDefined();
      const net = await createNetwork(network, { name: `${runPrefix}net` });
      cleanup.push(`network ${net.id}`, () => rawDelete(s, "network", `/v2.0/networks/${net.id}`));
      const subnet = await createSubnet(network, {
        networkId: net.id,
        ipVersion: 4,
        cidr: "192.168.91.0/24",
        name: `${runPrefix}subnet`,
      });
      cleanup.push(`subnet ${subnet.id}`, () => rawDelete(s, "network", `/v2.0/subnets/${subnet.id}`));
      const router = await createRouter(network, {
        name: `${runPrefix}router`,
        externalGateway: { networkId: pub!.id },
      });
      cleanup.push(`router ${router.id}`, () => rawDelete(s, "network", `/v2.0/routers/${router.id}`));
      await addRouterInterface(network, router.id, { subnetId: subnet.id });
      cleanup.push(`router interface ${router.id}`, () =>
        s.request("network", "PUT", `/v2.0/routers/${router.id}/remove_router_interface`, {
          body: { subnet_id: subnet.id },
          ok: [200, 404],
        }),
      );
      expect((await getRouter(network, router.id)).external_gateway_info?.network_id).toBe(pub!.id);
      const sg = await createSecurityGroup(network, { name: `${runPrefix}sg` });
      cleanup.push(`security group ${sg.id}`, () =>
        rawDelete(s, "network", `/v2.0/security-groups/${sg.id}`),
      );
      expect(sg.name).toBe(`${runPrefix}sg`);
      ids.network = net.id;
      ids.externalNetwork = pub!.id;
    });

    it("boots a server to ACTIVE and gives it a floating IP through the router", {
      timeout: 150_000,
    }, async () => {
      const s = suite().member;
      if (!ids.network || !ids.externalNetwork) throw new Error("needs the network of the previous test");
      const flavor = (await collect(listFlavors(compute))).find((f) => f.name === "m1.nano")!;
      const images = await s.request<{ images: { id: string }[] }>(
        "image",
        "GET",
        "/v2/images?name=cirros-fake",
      );
      const created = await createServer(compute, {
        name: `${runPrefix}vm-bindings`,
        flavorRef: flavor.id,
        imageRef: images.images[0]!.id,
        networks: [{ uuid: ids.network }],
      });
      cleanup.push(`server ${created.id}`, async () => {
        await rawDelete(s, "compute", `/servers/${created.id}`);
        await waitGone(s, "compute", `/servers/${created.id}`);
      });
      const t0 = Date.now();
      const server = await pollUntil(
        "the server to leave BUILD",
        async () => {
          const sv = await getServer(compute, created.id);
          return sv.status === "BUILD" ? undefined : sv;
        },
        90_000,
      );
      expect(server.status, server.fault?.message ?? "").toBe("ACTIVE");
      expect(Date.now() - t0).toBeLessThan(60_000);
      expect(Object.keys(server.addresses ?? {})).toEqual([`${runPrefix}net`]);

      const [port] = await collect(listPorts(network, { deviceId: created.id }));
      expect(port, "the server's port").toBeDefined();
      const fip = await createFloatingIp(network, {
        floatingNetworkId: ids.externalNetwork,
        portId: port!.id,
      });
      cleanup.push(`floating ip ${fip.id}`, () => rawDelete(s, "network", `/v2.0/floatingips/${fip.id}`));
      expect(fip.port_id).toBe(port!.id);
      expect(fip.fixed_ip_address).toBe(port!.fixed_ips[0]!.ip_address);
      expect(fip.floating_ip_address).toMatch(/^203\.0\.113\./);
      await deleteFloatingIp(network, fip.id);
      await deleteServer(compute, created.id);
      await waitGone(s, "compute", `/servers/${created.id}`);
      await expect(getServer(compute, created.id)).rejects.toBeInstanceOf(NotFoundError);
    });
  });
}
