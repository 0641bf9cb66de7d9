import { create } from "@bufbuild/protobuf";
import type { Keypair as KeypairModel } from "@oaktree/core/models/keypair.js";
import { type Keypair, KeypairSchema } from "../gen/oaktree/v1/keypair_pb.js";
import { locationToProto, propertiesOf, timestampOf } from "./common.js";

/** Core's Keypair model as the proto's Keypair (the private key only when just generated). */
export function keypairToProto(keypair: KeypairModel): Keypair {
  return create(KeypairSchema, {
    location: locationToProto(keypair.location),
    id: keypair.id,
    name: keypair.name,
    fingerprint: keypair.fingerprint,
    publicKey: keypair.publicKey,
    privateKey: keypair.privateKey ?? "",
    type: keypair.type,
    userId: keypair.userId ?? "",
    createdAt: timestampOf(keypair.createdAt),
    properties: propertiesOf(keypair.properties),
  });
}
