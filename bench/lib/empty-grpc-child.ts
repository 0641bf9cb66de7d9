/**
 * The overhead benchmark's baseline: a bare grpc-js server whose handlers answer every method
 * named on the command line with an empty message at once (no parsing, no work). Listens on a
 * free port of 127.0.0.1, prints `{"address":"127.0.0.1:PORT"}`, serves until stdin closes (at
 * most 30 minutes).
 */
import * as grpc from "@grpc/grpc-js";

const methods = process.argv.slice(2);
const server = new grpc.Server();
const EMPTY = Buffer.alloc(0);
for (const path of methods) {
  const definition: grpc.ServiceDefinition = {
    [path]: {
      path,
      requestStream: false,
      responseStream: false,
      requestSerialize: (value: Buffer) => value,
      requestDeserialize: (bytes: Buffer) => bytes,
      responseSerialize: (value: Buffer) => value,
      responseDeserialize: (bytes: Buffer) => bytes,
    },
  };
  server.addService(definition, {
    [path]: (_call: unknown, callback: grpc.sendUnaryData<Buffer>) => callback(null, EMPTY),
  });
}
const port = await new Promise<number>((resolve, reject) =>
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
    error ? reject(error) : resolve(bound),
  ),
);
process.stdout.write(`${JSON.stringify({ address: `127.0.0.1:${port}` })}\n`);
const stop = () => server.tryShutdown(() => process.exit(0));
process.stdin.on("end", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
setTimeout(stop, 30 * 60_000).unref();
