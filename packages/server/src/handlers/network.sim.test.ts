import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorInfoSchema } from "../gen/google/rpc/error_details_pb.js";
import { NetworkService } from "../gen/oaktree/v1/network_pb.js";
import { PortService } from "../gen/oaktree/v1/port_pb.js";
import { RouterService } from "../gen/oaktree/v1/router_pb.js";
import { SubnetService } from "../gen/oaktree/v1/subnet_pb.js";
import { failure, violatedField } from "../testing/calls.js";
import { type SimServer, startSimServer } from "../testing/sim-server.js";

describe.each(["modern", "kilo"] as const)(
  "NetworkService, SubnetService, RouterService, PortService on %s",
  (profile) => {
    let s: SimServer;
    beforeAll(async () => {
      s = await startSimServer(profile);
    });
    afterAll(async () => {
      await s.close();
    });

    it("create, get by name, list with filters, update and delete a network with a subnet, router and port", async () => {
      const networks = s.client(NetworkService);
      const subnets = s.client(SubnetService);
      const routers = s.client(RouterService);
      const ports = s.client(PortService);

      const { network } = await networks.createNetwork({ name: "app-net", description: "the app's" });
      expect(network?.name).toBe("app-net");
      expect(network?.description).toBe("the app's");
      expect(network?.location?.cloud).toBe("sim");
      expect((await networks.getNetwork({ nameOrId: "app-net" })).network?.id).toBe(network?.id);
      const byName = await networks.listNetworks({ filter: { fields: { name: "app-net" } } });
      expect(byName.networks.map((n) => n.id)).toEqual([network?.id]);
      const external = await networks.listNetworks({ filter: { jmespath: "[?is_router_external]" } });
      expect(external.networks.length).toBeGreaterThan(0);
      expect(external.networks.every((n) => n.isRouterExternal)).toBe(true);

      const { subnet } = await subnets.createSubnet({
        network: "app-net",
        name: "app-sub",
        cidr: "10.20.0.0/24",
      });
      expect(subnet).toMatchObject({ networkId: network?.id, cidr: "10.20.0.0/24", ipVersion: 4 });
      expect((await subnets.getSubnet({ nameOrId: "app-sub" })).subnet?.id).toBe(subnet?.id);
      const updatedSubnet = await subnets.updateSubnet({
        nameOrId: "app-sub",
        setDnsNameservers: true,
        dnsNameservers: ["192.0.2.53"],
      });
      expect(updatedSubnet.subnet?.dnsNameservers).toEqual(["192.0.2.53"]);

      const { router } = await routers.createRouter({ name: "app-router", externalNetwork: "public" });
      expect(router?.externalGateway?.networkId).toBeTruthy();
      const plugged = await routers.addRouterInterface({ router: "app-router", subnet: "app-sub" });
      expect(plugged.portId).toBeTruthy();
      const filtered = await ports.listPorts({ filter: { fields: { device_id: router?.id ?? "" } } });
      expect(filtered.ports.map((p) => p.id)).toContain(plugged.portId);

      const { port } = await ports.createPort({ network: "app-net", name: "app-port" });
      expect(port?.networkId).toBe(network?.id);
      expect(port?.fixedIps[0]?.subnetId).toBe(subnet?.id);
      const renamedPort = await ports.updatePort({ nameOrId: "app-port", name: "app-port-2" });
      expect(renamedPort.port?.name).toBe("app-port-2");

      const renamed = await networks.updateNetwork({ nameOrId: "app-net", name: "app-net-2" });
      expect(renamed.network?.name).toBe("app-net-2");
      const unchanged = await networks.updateNetwork({ nameOrId: "app-net-2" });
      expect(unchanged.network?.name).toBe("app-net-2");

      await ports.deletePort({ nameOrId: "app-port-2" });
      await routers.removeRouterInterface({ router: "app-router", subnet: "app-sub" });
      await routers.deleteRouter({ nameOrId: "app-router" });
      await subnets.deleteSubnet({ nameOrId: "app-sub" });
      await networks.deleteNetwork({ nameOrId: "app-net-2" });
      for (const missing of [
        () => networks.getNetwork({ nameOrId: "app-net-2" }),
        () => subnets.getSubnet({ nameOrId: "app-sub" }),
        () => routers.getRouter({ nameOrId: "app-router" }),
        () => ports.getPort({ nameOrId: "app-port-2" }),
        () => networks.deleteNetwork({ nameOrId: "app-net-2" }),
      ]) {
        expect((await failure(missing)).code).toBe(Code.NotFound);
      }
    });

    it("deleting a network in use is FAILED_PRECONDITION with neutron's message and request id", async () => {
      const networks = s.client(NetworkService);
      const ports = s.client(PortService);
      await networks.createNetwork({ name: "busy" });
      const { port } = await ports.createPort({ network: "busy" });
      const error = await failure(() => networks.deleteNetwork({ nameOrId: "busy" }));
      expect(error.code).toBe(Code.FailedPrecondition);
      expect(error.rawMessage).toMatch(/in use|InUse|ports/i);
      expect(error.findDetails(ErrorInfoSchema)[0]?.metadata).toMatchObject({ cloud_status: "409" });
      await ports.deletePort({ nameOrId: port?.id ?? "" });
      await networks.deleteNetwork({ nameOrId: "busy" });
    });

    it("two networks of one name: a get by that name is FAILED_PRECONDITION", async () => {
      const networks = s.client(NetworkService);
      const a = await networks.createNetwork({ name: "twin" });
      const b = await networks.createNetwork({ name: "twin" });
      const error = await failure(() => networks.getNetwork({ nameOrId: "twin" }));
      expect(error.code).toBe(Code.FailedPrecondition);
      await networks.deleteNetwork({ nameOrId: a.network?.id ?? "" });
      await networks.deleteNetwork({ nameOrId: b.network?.id ?? "" });
    });

    it.each([
      ["CreateNetwork without name", () => s.client(NetworkService).createNetwork({}), "name"],
      [
        "CreateNetwork with a negative mtu",
        () => s.client(NetworkService).createNetwork({ name: "n", mtu: -1 }),
        "mtu",
      ],
      ["GetNetwork without name_or_id", () => s.client(NetworkService).getNetwork({}), "name_or_id"],
      [
        "a bad JMESPath",
        () => s.client(NetworkService).listNetworks({ filter: { jmespath: "[?" } }),
        "filter.jmespath",
      ],
      [
        "CreateSubnet without network",
        () => s.client(SubnetService).createSubnet({ cidr: "10.0.0.0/24" }),
        "network",
      ],
      [
        "CreateSubnet without cidr",
        () => s.client(SubnetService).createSubnet({ network: "private" }),
        "cidr",
      ],
      [
        "CreateSubnet with ip_version 5",
        () => s.client(SubnetService).createSubnet({ network: "private", cidr: "10.0.0.0/24", ipVersion: 5 }),
        "ip_version",
      ],
      [
        "CreateRouter with enable_snat and no external_network",
        () => s.client(RouterService).createRouter({ name: "r", enableSnat: true }),
        "enable_snat",
      ],
      [
        "AddRouterInterface without subnet",
        () => s.client(RouterService).addRouterInterface({ router: "r" }),
        "subnet",
      ],
      [
        "CreatePort with an empty fixed IP",
        () => s.client(PortService).createPort({ network: "private", fixedIps: [{}] }),
        "fixed_ips[0]",
      ],
      [
        "UpdatePort with security groups but no set flag",
        () => s.client(PortService).updatePort({ nameOrId: "p", securityGroupIds: ["x"] }),
        "set_security_group_ids",
      ],
    ] as const)("%s is INVALID_ARGUMENT naming its field, with no cloud call", async (_, call, field) => {
      s.sim.admin.reset();
      const error = await failure(call);
      expect(error.code).toBe(Code.InvalidArgument);
      expect(violatedField(error)).toBe(field);
      expect(s.sim.admin.log()).toEqual([]);
    });
  },
);
