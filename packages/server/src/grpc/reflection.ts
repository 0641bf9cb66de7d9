import { type DescFile, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type { Server } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";
import { protoPath as healthProtoPath } from "grpc-health-check";
import type { ServiceHandlers } from "../handlers/index.js";

/**
 * Server reflection (grpc.reflection.v1 and v1alpha) for the served services, so that
 * `grpcurl -plaintext HOST:PORT list` and `describe` work without proto files. The file
 * descriptors come from protobuf-es's generated code (each service's file and, recursively,
 * its imports, google/protobuf's included), plus grpc.health.v1's; `extraFiles` adds files
 * of services served another way.
 */
export function addReflection(
  server: Pick<Server, "addService">,
  services: readonly ServiceHandlers[],
  extraFiles: readonly DescFile[] = [],
): void {
  const files = new Map<string, DescFile>();
  const visit = (file: DescFile) => {
    if (files.has(file.proto.name)) return;
    files.set(file.proto.name, file);
    for (const dependency of file.dependencies) visit(dependency);
  };
  for (const { service } of services) visit(service.file);
  for (const file of extraFiles) visit(file);
  // @grpc/reflection reads proto-loader package definitions; it only looks at each entry's
  // fileDescriptorProtos, so one entry per file carrying its serialized descriptor is enough.
  const definition = {
    ...Object.fromEntries(
      [...files.values()].map((file) => [
        file.proto.name,
        { fileDescriptorProtos: [Buffer.from(toBinary(FileDescriptorProtoSchema, file.proto))] },
      ]),
    ),
    // grpc.health.v1, served beside (grpc-health-check ships its proto).
    ...loadSync(healthProtoPath),
  };
  new ReflectionService(
    definition as unknown as ConstructorParameters<typeof ReflectionService>[0],
  ).addToServer(server);
}
