import { subnetToProto } from "../convert/subnet.js";
import { invalidArgument } from "../errors.js";
import { SubnetSchema, SubnetService } from "../gen/oaktree/v1/subnet_pb.js";
import { callOf, deleted, given, required } from "./calls.js";
import { compileFilter } from "./filter.js";
import { type HandlerDeps, handlersOf, type ServiceHandlers } from "./index.js";
import { changesOf } from "./updates.js";

/** SubnetService (neutron). Subnets made here are the caller's (not marked as oaktree's). */
export function subnetHandlers({ clouds }: HandlerDeps): ServiceHandlers {
  return handlersOf(SubnetService, {
    async getSubnet(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      const cloud = await clouds.resolve(request.location);
      return { subnet: subnetToProto(await cloud.getSubnet(nameOrId, callOf(context))) };
    },
    async listSubnets(request, context) {
      const filter = compileFilter(SubnetSchema, request.filter);
      const cloud = await clouds.resolve(request.location);
      return { subnets: filter.apply((await cloud.listSubnets(callOf(context))).map(subnetToProto)) };
    },
    async createSubnet(request, context) {
      const network = required("network", request.network);
      const cidr = required("cidr", request.cidr);
      const ipVersion = request.ipVersion === 0 ? 4 : request.ipVersion;
      if (ipVersion !== 4 && ipVersion !== 6) throw invalidArgument("ip_version", "must be 4 or 6");
      if (request.disableGateway && request.gatewayIp !== "") {
        throw invalidArgument("gateway_ip", "cannot be combined with disable_gateway");
      }
      const cloud = await clouds.resolve(request.location);
      const subnet = await cloud.createSubnet({
        network,
        cidr,
        ipVersion,
        managed: false,
        ...(given(request.name) !== undefined && { name: request.name }),
        ...(given(request.description) !== undefined && { description: request.description }),
        ...(request.disableGateway
          ? { gatewayIp: null }
          : given(request.gatewayIp) !== undefined && { gatewayIp: request.gatewayIp }),
        ...(request.enableDhcp !== undefined && { enableDhcp: request.enableDhcp }),
        ...(request.dnsNameservers.length > 0 && { dnsNameservers: request.dnsNameservers }),
        ...callOf(context),
      });
      return { subnet: subnetToProto(subnet) };
    },
    async updateSubnet(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      if (request.dnsNameservers.length > 0 && !request.setDnsNameservers) {
        throw invalidArgument("set_dns_nameservers", "must be true to change dns_nameservers");
      }
      const changes = changesOf({
        name: request.name,
        description: request.description,
        enableDhcp: request.enableDhcp,
        dnsNameservers: request.setDnsNameservers ? request.dnsNameservers : undefined,
      });
      const cloud = await clouds.resolve(request.location);
      const subnet = changes
        ? await cloud.updateSubnet(nameOrId, changes, callOf(context))
        : await cloud.getSubnet(nameOrId, callOf(context));
      return { subnet: subnetToProto(subnet) };
    },
    async deleteSubnet(request, context) {
      const nameOrId = required("name_or_id", request.nameOrId);
      const cloud = await clouds.resolve(request.location);
      deleted("subnet", nameOrId, await cloud.deleteSubnet(nameOrId, callOf(context)));
      return {};
    },
  });
}
