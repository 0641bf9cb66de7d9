import { keypairToProto } from "../convert/keypair.js";
import { invalidArgument } from "../errors.js";
import { KeypairSchema, KeypairService } from "../gen/oaktree/v1/keypair_pb.js";
import { callOf, deleted, given, required } from "./calls.js";
import { compileFilter } from "./filter.js";
import { type HandlerDeps, handlersOf, type ServiceHandlers } from "./index.js";

/** KeypairService: the caller's keypairs (a keypair's name is its id). */
export function keypairHandlers({ clouds }: HandlerDeps): ServiceHandlers {
  return handlersOf(KeypairService, {
    async getKeypair(request, context) {
      const name = required("name_or_id", request.nameOrId);
      const cloud = await clouds.resolve(request.location);
      return { keypair: keypairToProto(await cloud.getKeypair(name, callOf(context))) };
    },
    async listKeypairs(request, context) {
      const filter = compileFilter(KeypairSchema, request.filter);
      const cloud = await clouds.resolve(request.location);
      return { keypairs: filter.apply((await cloud.listKeypairs(callOf(context))).map(keypairToProto)) };
    },
    async createKeypair(request, context) {
      const name = required("name", request.name);
      const publicKey = given(request.publicKey.trim());
      if (publicKey !== undefined && !/^(ssh-|ecdsa-|sk-)\S+ \S+/.test(publicKey)) {
        throw invalidArgument("public_key", 'must be an OpenSSH public key ("ssh-ed25519 AAAA...")');
      }
      const cloud = await clouds.resolve(request.location);
      const keypair = await cloud.createKeypair({
        name,
        ...(publicKey && { publicKey }),
        ...callOf(context),
      });
      return { keypair: keypairToProto(keypair) };
    },
    async deleteKeypair(request, context) {
      const name = required("name_or_id", request.nameOrId);
      const cloud = await clouds.resolve(request.location);
      deleted("keypair", name, await cloud.deleteKeypair(name, callOf(context)));
      return {};
    },
  });
}
