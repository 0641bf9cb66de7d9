import { create } from "@bufbuild/protobuf";
import type { CreateServerProgress, CreateServerResult, Server as ServerModel } from "@oaktree/core";
import { Stage } from "../gen/oaktree/v1/common_pb.js";
import {
  type CreateServerResponse,
  CreateServerResponseSchema,
  PowerState,
  type Server,
  ServerAddressSchema,
  ServerFaultSchema,
  ServerFlavorSchema,
  ServerSchema,
} from "../gen/oaktree/v1/server_pb.js";
import { locationToProto, propertiesOf, timestampOf } from "./common.js";

const POWER_STATES: Readonly<Record<ServerModel["powerState"], PowerState>> = {
  NOSTATE: PowerState.NO_STATE,
  RUNNING: PowerState.RUNNING,
  PAUSED: PowerState.PAUSED,
  SHUTDOWN: PowerState.SHUTDOWN,
  CRASHED: PowerState.CRASHED,
  SUSPENDED: PowerState.SUSPENDED,
};

/** Core's Server model as the proto's Server (absent optional fields are empty). */
export function serverToProto(server: ServerModel): Server {
  const fault = server.fault;
  return create(ServerSchema, {
    location: locationToProto(server.location),
    id: server.id,
    name: server.name,
    status: server.status,
    interfaceIp: server.interfaceIp ?? "",
    publicV4: server.publicV4 ?? "",
    publicV6: server.publicV6 ?? "",
    privateV4: server.privateV4 ?? "",
    addresses: server.addresses.map((address) =>
      create(ServerAddressSchema, {
        network: address.network,
        address: address.address,
        version: address.version,
        type: address.type,
        mac: address.mac ?? "",
      }),
    ),
    flavor: create(ServerFlavorSchema, {
      id: server.flavor.id ?? "",
      name: server.flavor.name ?? "",
      vcpus: server.flavor.vcpus ?? 0,
      ram: server.flavor.ram ?? 0,
      disk: server.flavor.disk ?? 0,
      ephemeral: server.flavor.ephemeral ?? 0,
      swap: server.flavor.swap ?? 0,
      extraSpecs: { ...server.flavor.extraSpecs },
    }),
    imageId: server.image?.id ?? "",
    volumeIds: [...server.volumes],
    metadata: { ...server.metadata },
    securityGroups: [...server.securityGroups],
    powerState: POWER_STATES[server.powerState] ?? PowerState.UNSPECIFIED,
    taskState: server.taskState ?? "",
    vmState: server.vmState ?? "",
    keyName: server.keyName ?? "",
    hostId: server.hostId ?? "",
    configDrive: server.configDrive,
    userId: server.userId ?? "",
    tags: [...server.tags],
    description: server.description ?? "",
    createdAt: timestampOf(server.createdAt),
    updatedAt: timestampOf(server.updatedAt),
    launchedAt: timestampOf(server.launchedAt),
    fault:
      fault &&
      create(ServerFaultSchema, {
        code: fault.code,
        message: fault.message,
        createdAt: timestampOf(fault.created),
        details: fault.details ?? "",
      }),
    locked: server.locked,
    accessIpv4: server.accessIPv4 ?? "",
    accessIpv6: server.accessIPv6 ?? "",
    properties: propertiesOf(server.properties),
  });
}

/**
 * One step of core's createServer as a streamed response; undefined for a step the stream
 * does not show (the POST about to be sent, and "ready", which the final event replaces).
 */
export function createProgressToProto(
  event: CreateServerProgress,
  elapsedMs: number,
): CreateServerResponse | undefined {
  const progress = (stage: Stage, extra: { cloudStatus?: string; message?: string } = {}) => ({
    stage,
    elapsedMs: BigInt(Math.round(elapsedMs)),
    ...extra,
  });
  switch (event.stage) {
    case "resolving":
      return create(CreateServerResponseSchema, { progress: progress(Stage.ACCEPTED) });
    case "creating-volume":
      return create(CreateServerResponseSchema, { progress: progress(Stage.CREATING_VOLUME) });
    case "creating":
      if (event.serverId === undefined) return undefined;
      return create(CreateServerResponseSchema, {
        progress: progress(Stage.BUILDING, { message: `the cloud accepted server ${event.serverId}` }),
      });
    case "building":
    case "attaching-volumes":
    case "attaching-ip": {
      const stage =
        event.stage === "building"
          ? Stage.BUILDING
          : event.stage === "attaching-volumes"
            ? Stage.ATTACHING_VOLUMES
            : Stage.ATTACHING_IP;
      return create(CreateServerResponseSchema, {
        progress: progress(stage, { cloudStatus: event.server.status }),
        server: serverToProto(event.server),
      });
    }
    case "rolling-back":
      return create(CreateServerResponseSchema, {
        progress: progress(Stage.ROLLING_BACK, { message: event.reason }),
      });
    case "ready":
      return undefined;
  }
}

/** The last event of a create: STAGE_DONE with the server and how to reach it. */
export function createResultToProto(result: CreateServerResult, elapsedMs: number): CreateServerResponse {
  return create(CreateServerResponseSchema, {
    progress: {
      stage: Stage.DONE,
      cloudStatus: result.server.status,
      elapsedMs: BigInt(Math.round(elapsedMs)),
    },
    server: serverToProto(result.server),
    reachability: {
      address: result.reachability.address ?? "",
      reason: result.reachability.reason,
    },
    floatingIp: result.floatingIp?.floatingIpAddress ?? "",
    existing: result.existing,
  });
}
