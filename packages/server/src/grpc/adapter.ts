import { once } from "node:events";
import type { Readable } from "node:stream";
import {
  create,
  type DescMessage,
  type DescMethod,
  fromBinary,
  type MessageInitShape,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  createContextValues,
  createHandlerContext,
  type HandlerContext,
} from "@connectrpc/connect";
import type {
  Metadata,
  MethodDefinition,
  ServerDuplexStream,
  ServerReadableStream,
  ServerUnaryCall,
  ServerWritableStream,
  ServiceDefinition,
  sendUnaryData,
  UntypedHandleCall,
  UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { requestIdKey } from "../context.js";
import type { ServiceHandlers } from "../handlers/index.js";
import { requestIdFrom } from "../request-id.js";
import { errorOfCall } from "../shutdown.js";
import { toGrpcStatus, toHeaders, toMetadata } from "./status.js";

/** Options of {@link toGrpcService}. */
export interface GrpcAdapterOptions {
  /**
   * Aborts every call's `context.signal` with its reason (the server's ServerShutdown), for
   * graceful shutdown. Called per method so streams and unary calls can be ended at different
   * times; undefined means "never".
   */
  readonly shutdownSignal?: (method: DescMethod) => AbortSignal | undefined;
  /**
   * Encodes one message (default: protobuf-es `toBinary`, after `create` for init shapes).
   * Tests pass a counting wrapper to see how often a message is encoded.
   */
  readonly encode?: Encode;
}

/** Encodes a message, or an init shape of one, of `schema`. */
export type Encode = (schema: DescMessage, message: unknown) => Uint8Array;

// Handlers return init shapes (plain objects); create() returns a message as it is.
const encodeMessage: Encode = (schema, message) =>
  toBinary(schema, create(schema, message as MessageInitShape<DescMessage>) as MessageShape<DescMessage>);

/** A service as grpc-js takes it: `server.addService(definition, implementation)`. */
export interface GrpcService {
  readonly definition: ServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
}

/** What every kind of grpc-js server call has (grpc-js does not export its SurfaceCall). */
type SurfaceCall =
  | ServerUnaryCall<unknown, unknown>
  | ServerReadableStream<unknown, unknown>
  | ServerWritableStream<unknown, unknown>
  | ServerDuplexStream<unknown, unknown>;

type AnyImpl = (input: unknown, context: HandlerContext) => unknown;

/**
 * Turns one service's Connect-style handlers into a grpc-js service: the path is
 * `/<package.Service>/<Method>`, messages are (de)serialized with protobuf-es, every call gets
 * a connect HandlerContext (signal aborted on client cancel, deadline or shutdown; request
 * metadata as headers; the request id in `context.values`), and errors become a gRPC status
 * with google.rpc details in `grpc-status-details-bin`. Methods without an implementation are
 * left to grpc-js, which answers UNIMPLEMENTED.
 */
export function toGrpcService(handlers: ServiceHandlers, options: GrpcAdapterOptions = {}): GrpcService {
  const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
  const implementation: UntypedServiceImplementation = {};
  const impl = handlers.impl as Record<string, AnyImpl | undefined>;
  for (const method of handlers.service.methods) {
    definition[method.name] = methodDefinition(method, options.encode);
    const fn = impl[method.localName];
    if (typeof fn !== "function") continue;
    const bound: AnyImpl = (input, context) => fn.call(handlers.impl, input, context);
    implementation[method.name] = handlerOf(method, bound, options);
  }
  return { definition: definition as ServiceDefinition, implementation };
}

/**
 * The grpc-js description of one method, with protobuf-es serializers. A server-streaming
 * method's responses are encoded once per message object (see {@link memoized}).
 */
export function methodDefinition(
  method: DescMethod,
  encode: Encode = encodeMessage,
): MethodDefinition<unknown, unknown> {
  const kind = method.methodKind;
  const serializeResponse = serializer(method.output, encode);
  return {
    path: `/${method.parent.typeName}/${method.name}`,
    requestStream: kind === "client_streaming" || kind === "bidi_streaming",
    responseStream: kind === "server_streaming" || kind === "bidi_streaming",
    requestSerialize: serializer(method.input, encode),
    requestDeserialize: (bytes: Buffer) => fromBinary(method.input, bytes),
    responseSerialize: kind === "server_streaming" ? memoized(serializeResponse) : serializeResponse,
    responseDeserialize: (bytes: Buffer) => fromBinary(method.output, bytes),
    originalName: method.localName,
  };
}

function serializer(schema: DescMessage, encode: Encode) {
  return (message: unknown) => {
    const bytes = encode(schema, message);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

/**
 * `serialize`, remembering the bytes of each message object: a watch sends one response object
 * to every stream that shows an event as it is (handlers/watch.ts), and this encodes it once
 * for all of them (grpc-js copies the bytes into each stream's frame, so sharing them is safe).
 * A response must therefore not be changed once yielded. The entry dies with the message.
 */
function memoized(serialize: (message: unknown) => Buffer) {
  const encoded = new WeakMap<object, Buffer>();
  return (message: unknown) => {
    if (typeof message !== "object" || message === null) return serialize(message);
    let bytes = encoded.get(message);
    if (bytes === undefined) {
      bytes = serialize(message);
      encoded.set(message, bytes);
    }
    return bytes;
  };
}

function handlerOf(method: DescMethod, impl: AnyImpl, options: GrpcAdapterOptions): UntypedHandleCall {
  const start = (call: SurfaceCall) => contextOf(call, method, options.shutdownSignal?.(method));
  switch (method.methodKind) {
    case "unary":
      return (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
        const context = start(call);
        respond(call, context, () => impl(call.request, context), callback);
      };
    case "client_streaming":
      return (call: ServerReadableStream<unknown, unknown>, callback: sendUnaryData<unknown>) => {
        const context = start(call);
        respond(call, context, () => impl(requestsOf(call), context), callback);
      };
    case "server_streaming":
      return (call: ServerWritableStream<unknown, unknown>) => {
        const context = start(call);
        void stream(call, context, impl(call.request, context) as AsyncIterable<unknown>);
      };
    case "bidi_streaming":
      return (call: ServerDuplexStream<unknown, unknown>) => {
        const context = start(call);
        void stream(call, context, impl(requestsOf(call), context) as AsyncIterable<unknown>);
      };
  }
}

/** A connect HandlerContext for a grpc-js call. */
function contextOf(call: SurfaceCall, method: DescMethod, shutdownSignal: AbortSignal | undefined) {
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  const requestHeader = toHeaders(call.metadata);
  const cancelled = new AbortController();
  // The client's deadline passes before ours (ours counts from when the call reached us), and
  // its cancel arrives first: a cancel this close to our deadline is the deadline.
  const slack = Number.isFinite(at) ? Math.max(50, Math.min(1000, (at - Date.now()) / 2)) : 0;
  (call as ServerUnaryCall<unknown, unknown>).once("cancelled", () => {
    // grpc-js cancels the call at its deadline too, usually before connect's own timer fires.
    const expired = Number.isFinite(at) && Date.now() >= at - slack;
    cancelled.abort(
      expired
        ? new ConnectError("the call's deadline passed", Code.DeadlineExceeded)
        : new ConnectError("the client cancelled the call", Code.Canceled),
    );
  });
  return createHandlerContext({
    service: method.parent,
    method,
    protocolName: "grpc",
    requestMethod: "POST",
    url: call.getPath(),
    ...(Number.isFinite(at) && { timeoutMs: Math.max(0, at - Date.now()) }),
    requestSignal: cancelled.signal,
    ...(shutdownSignal && { shutdownSignal }),
    requestHeader,
    contextValues: createContextValues().set(requestIdKey, requestIdFrom(requestHeader)),
  });
}

type Context = ReturnType<typeof createHandlerContext>;

/** Runs a unary or client-streaming handler and answers through grpc-js's callback. */
function respond(
  call: SurfaceCall,
  context: Context,
  run: () => unknown,
  callback: sendUnaryData<unknown>,
): void {
  Promise.resolve()
    .then(run)
    .then(
      (response) => {
        sendHeader(call, context);
        callback(null, response, toMetadata(context.responseTrailer));
      },
      (error: unknown) => {
        sendHeader(call, context);
        callback(toGrpcStatus(errorOfCall(error, context.signal), context.responseTrailer));
      },
    )
    .finally(() => context.abort());
}

/** Writes a streaming handler's responses (waiting for the client to keep up), then the status. */
async function stream(
  call: ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>,
  context: Context,
  responses: AsyncIterable<unknown>,
): Promise<void> {
  try {
    for await (const response of responses) {
      sendHeader(call, context);
      if (!call.write(response)) await once(call, "drain", { signal: context.signal });
    }
    sendHeader(call, context);
    call.end(toMetadata(context.responseTrailer));
  } catch (error) {
    sendHeader(call, context);
    call.emit("error", toGrpcStatus(errorOfCall(error, context.signal), context.responseTrailer));
  } finally {
    context.abort();
  }
}

const headerSent = new WeakSet<SurfaceCall>();

/** Sends the handler's response headers once, before the first message or the status. */
function sendHeader(call: SurfaceCall, context: HandlerContext): void {
  if (headerSent.has(call)) return;
  headerSent.add(call);
  const metadata: Metadata = toMetadata(context.responseHeader);
  call.sendMetadata(metadata);
}

/**
 * The client's messages as an AsyncIterable. Ending the iteration early (a handler that has
 * read what it needs) must not destroy the call: for a bidi call that would cut the responses.
 */
function requestsOf(call: ServerReadableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>) {
  return (call as unknown as Readable).iterator({ destroyOnReturn: false }) as AsyncIterable<unknown>;
}
