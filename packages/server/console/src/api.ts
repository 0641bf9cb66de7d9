import type { MessageInitShape } from "@bufbuild/protobuf";
import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import type { CloudInfo } from "../../src/gen/oaktree/v1/cloud_pb.js";
import { CloudService } from "../../src/gen/oaktree/v1/cloud_pb.js";
import { FlavorService } from "../../src/gen/oaktree/v1/flavor_pb.js";
import { ImageService } from "../../src/gen/oaktree/v1/image_pb.js";
import type { LocationSchema } from "../../src/gen/oaktree/v1/location_pb.js";
import { NetworkService } from "../../src/gen/oaktree/v1/network_pb.js";
import { ServerService } from "../../src/gen/oaktree/v1/server_pb.js";

/** What a deployer-mode oaktree needs from the caller: a keystone token or an application credential. */
export type Credentials =
  | { readonly kind: "token"; readonly token: string }
  | { readonly kind: "application-credential"; readonly id: string; readonly secret: string };

// Held in this module only: never written to localStorage, sessionStorage or a cookie, so it
// is gone when the tab closes (or reloads).
let credentials: Credentials | undefined;

/** Sets (or, with undefined, forgets) the credentials every later call sends as metadata. */
export function setCredentials(value: Credentials | undefined): void {
  credentials = value;
}

/** The kind of the credentials set, if any (never the secret itself). */
export function credentialsKind(): Credentials["kind"] | undefined {
  return credentials?.kind;
}

const sendCredentials: Interceptor = (next) => (request) => {
  if (credentials?.kind === "token") request.header.set("x-auth-token", credentials.token);
  if (credentials?.kind === "application-credential") {
    request.header.set("x-application-credential-id", credentials.id);
    request.header.set("x-application-credential-secret", credentials.secret);
  }
  return next(request);
};

// Same origin as the page: the HTTP listener serves both (Connect's JSON protocol; its server
// streams work over fetch on HTTP/1.1).
const transport = createConnectTransport({ baseUrl: location.origin, interceptors: [sendCredentials] });

/** oaktree's API as the console uses it. */
export const api: {
  readonly clouds: Client<typeof CloudService>;
  readonly servers: Client<typeof ServerService>;
  readonly flavors: Client<typeof FlavorService>;
  readonly images: Client<typeof ImageService>;
  readonly networks: Client<typeof NetworkService>;
} = {
  clouds: createClient(CloudService, transport),
  servers: createClient(ServerService, transport),
  flavors: createClient(FlavorService, transport),
  images: createClient(ImageService, transport),
  networks: createClient(NetworkService, transport),
};

/** A cloud and region the console shows. */
export interface Place {
  readonly cloud: string;
  readonly region: string;
}

/** The request location of a place (the project is the cloud's own). */
export function locationOf(place: Place): MessageInitShape<typeof LocationSchema> {
  return { cloud: place.cloud, region: place.region };
}

/** The place of a listed cloud. */
export function placeOfCloud(cloud: CloudInfo): Place {
  return { cloud: cloud.location?.cloud ?? "", region: cloud.location?.region ?? "" };
}

/** `cloud/region`, as the console names a place. */
export function placeKey(place: Place): string {
  return `${place.cloud}/${place.region}`;
}
