import { create } from "@bufbuild/protobuf";
import type {
  Capabilities as CapabilitiesModel,
  GetMeANetworkMethod as GmanModel,
  ServiceCapability,
  ImageUploadMethod as UploadModel,
} from "@oaktree/core/models/capabilities.js";
import type { CloudEntry } from "../clouds.js";
import {
  AuthState,
  type Capabilities,
  CapabilitiesSchema,
  type CloudInfo,
  CloudInfoSchema,
  FloatingIpModel,
  GetMeANetworkMethod,
  ImageUploadMethod,
  type ServiceInfo,
  ServiceInfoSchema,
} from "../gen/oaktree/v1/cloud_pb.js";
import { LocationSchema, ProjectSchema } from "../gen/oaktree/v1/location_pb.js";
import { locationToProto } from "./common.js";

const AUTH_STATES: Readonly<Record<CloudEntry["state"], AuthState>> = {
  "not-connected": AuthState.NOT_CONNECTED,
  authenticated: AuthState.AUTHENTICATED,
  failed: AuthState.FAILED,
};

const FLOATING_IP_MODELS: Readonly<Record<CapabilitiesModel["floatingIps"]["model"], FloatingIpModel>> = {
  neutron: FloatingIpModel.NEUTRON,
  nova: FloatingIpModel.NOVA,
  none: FloatingIpModel.NONE,
};

const UPLOAD_METHODS: Readonly<Record<UploadModel, ImageUploadMethod>> = {
  "v2-put": ImageUploadMethod.V2_PUT,
  "v2-import": ImageUploadMethod.V2_IMPORT,
  "v1-post": ImageUploadMethod.V1_POST,
  "task-import": ImageUploadMethod.TASK_IMPORT,
};

const GMAN_METHODS: Readonly<Record<GmanModel, GetMeANetworkMethod>> = {
  "nova-auto": GetMeANetworkMethod.NOVA_AUTO,
  "auto-allocated-topology": GetMeANetworkMethod.AUTO_ALLOCATED_TOPOLOGY,
  build: GetMeANetworkMethod.BUILD,
  none: GetMeANetworkMethod.NONE,
};

/** One configured cloud and region as ListClouds reports it (no secrets: names and the auth URL). */
export function cloudEntryToProto(entry: CloudEntry): CloudInfo {
  const { config } = entry;
  return create(CloudInfoSchema, {
    location: create(LocationSchema, {
      cloud: config.name,
      region: config.region ?? "",
      project: create(ProjectSchema, {
        id: config.auth.projectId ?? "",
        name: config.auth.projectName ?? "",
        domainId: config.auth.projectDomainId ?? config.auth.domainId ?? "",
        domainName: config.auth.projectDomainName ?? config.auth.domainName ?? "",
      }),
    }),
    authState: AUTH_STATES[entry.state],
    error: entry.error ?? "",
    authUrl: config.auth.authUrl,
    isDefault: entry.isDefault,
  });
}

/** core's capabilities as the proto's. */
export function capabilitiesToProto(capabilities: CapabilitiesModel): Capabilities {
  const { floatingIps, images, getMeANetwork, securityGroups } = capabilities;
  return create(CapabilitiesSchema, {
    location: locationToProto(capabilities.location),
    floatingIpModel: FLOATING_IP_MODELS[floatingIps.model],
    floatingIpReason: floatingIps.reason,
    externalNetworkIds: [...floatingIps.externalNetworkIds],
    floatingIpPools: [...floatingIps.novaPools],
    imageUploadMethods: images.uploadMethods.map((method) => UPLOAD_METHODS[method]),
    imageDiskFormats: [...images.diskFormats],
    imageContainerFormats: [...images.containerFormats],
    imageReason: images.reason,
    getMeANetwork: GMAN_METHODS[getMeANetwork.method],
    getMeANetworkReason: getMeANetwork.reason,
    securityGroupModel: securityGroups.model,
    networkExtensions: [...capabilities.networkExtensions],
    services: capabilities.services.map(serviceToProto),
  });
}

function serviceToProto(service: ServiceCapability): ServiceInfo {
  return create(ServiceInfoSchema, {
    serviceType: service.serviceType,
    version: service.version ?? "",
    endpoint: service.endpoint ?? "",
    ...(service.microversions && { microversions: { ...service.microversions } }),
    ...(service.serverMicroversions && { serverMicroversions: { ...service.serverMicroversions } }),
    error: service.error ?? "",
  });
}
