import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  createFileRegistry,
  type DescMethod,
  fromBinary,
  fromJson,
  toBinary,
  toJson,
} from "@bufbuild/protobuf";
import { type FileDescriptorProto, FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";

// What grpcurl does without proto files, with grpc-js: ask the server's reflection service
// (grpc.reflection.v1) for the services and the descriptors of a method, turn the request's
// JSON into bytes with them, call, and turn the answer back into JSON. Used where no grpcurl
// binary is installed (Debian has no package), to run the README's grpcurl line all the same.

const REFLECTION_PROTO = join(
  dirname(dirname(createRequire(import.meta.url).resolve("@grpc/reflection"))),
  "proto/grpc/reflection/v1/reflection.proto",
);

interface ReflectionResponse {
  list_services_response?: { service: { name: string }[] };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  error_response?: { error_code: number; error_message: string };
}

type ReflectionCall = grpc.ClientDuplexStream<object, ReflectionResponse>;

/** A client of a server's reflection service, and of its methods by name (JSON in, JSON out). */
export class ReflectionClient {
  private readonly reflection: grpc.Client & { ServerReflectionInfo(): ReflectionCall };
  private readonly generic: grpc.Client;

  constructor(private readonly address: string) {
    const definition = loadSync(REFLECTION_PROTO, { keepCase: true, longs: String, defaults: false });
    const loaded = grpc.loadPackageDefinition(definition) as unknown as {
      grpc: { reflection: { v1: { ServerReflection: grpc.ServiceClientConstructor } } };
    };
    const credentials = grpc.credentials.createInsecure();
    this.reflection = new loaded.grpc.reflection.v1.ServerReflection(
      address,
      credentials,
    ) as unknown as typeof this.reflection;
    this.generic = new grpc.Client(address, credentials);
  }

  /** The served services' full names (`grpcurl list`). */
  async listServices(): Promise<string[]> {
    const response = await this.ask({ list_services: "" });
    return (response.list_services_response?.service ?? []).map((service) => service.name).sort();
  }

  /**
   * Calls `service/method` (e.g. "oaktree.v1.FlavorService/ListFlavors") with a JSON request,
   * as `grpcurl -d JSON ADDRESS service/method` does; returns the answer as JSON.
   */
  async invoke(fullMethod: string, requestJson: string): Promise<unknown> {
    const [serviceName = "", methodName = ""] = fullMethod.split("/");
    const method = await this.method(serviceName, methodName);
    const registry = await this.registryFor(serviceName);
    const request = fromJson(method.input, JSON.parse(requestJson), { registry });
    const bytes = await new Promise<Buffer>((resolve, reject) =>
      this.generic.makeUnaryRequest(
        `/${serviceName}/${methodName}`,
        (value: Buffer) => value,
        (value: Buffer) => value,
        Buffer.from(toBinary(method.input, request)),
        { deadline: Date.now() + 30_000 },
        (error, response) => (error || !response ? reject(error) : resolve(response)),
      ),
    );
    return toJson(method.output, fromBinary(method.output, bytes), { registry });
  }

  close(): void {
    this.reflection.close();
    this.generic.close();
  }

  private async method(serviceName: string, methodName: string): Promise<DescMethod> {
    const service = (await this.registryFor(serviceName)).getService(serviceName);
    const method = service?.methods.find((candidate) => candidate.name === methodName);
    if (!method) throw new Error(`${this.address} has no method ${serviceName}/${methodName}`);
    return method;
  }

  /** The descriptors of the file defining `symbol` and of everything it imports. */
  private async registryFor(symbol: string) {
    const files = new Map<string, FileDescriptorProto>();
    const add = (response: ReflectionResponse) => {
      if (response.error_response) throw new Error(response.error_response.error_message);
      for (const bytes of response.file_descriptor_response?.file_descriptor_proto ?? []) {
        const file = fromBinary(FileDescriptorProtoSchema, bytes);
        files.set(file.name, file);
      }
    };
    add(await this.ask({ file_containing_symbol: symbol }));
    // Ask for any import the server did not send along.
    for (let missing = missingImports(files); missing.length > 0; missing = missingImports(files)) {
      for (const name of missing) add(await this.ask({ file_by_filename: name }));
    }
    // The reflection answer starts with the file that defines the symbol.
    const [root] = files.values();
    if (!root) throw new Error(`${this.address} sent no descriptor for ${symbol}`);
    return createFileRegistry(root, (name) => files.get(name));
  }

  /** One request on a reflection stream, and its one answer. */
  private ask(request: object): Promise<ReflectionResponse> {
    return new Promise((resolve, reject) => {
      const call = this.reflection.ServerReflectionInfo();
      call.once("data", (response: ReflectionResponse) => {
        resolve(response);
        call.end();
      });
      call.once("error", reject);
      call.write(request);
    });
  }
}

function missingImports(files: ReadonlyMap<string, FileDescriptorProto>): string[] {
  return [...files.values()].flatMap((file) => file.dependency.filter((name) => !files.has(name)));
}
