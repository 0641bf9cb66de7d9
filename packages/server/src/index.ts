/**
 * @oaktree/server: the oaktree service. `serve()` starts the native gRPC listener (grpc-js,
 * with health checking and reflection) and the HTTP one (Connect JSON, gRPC-Web, /metrics,
 * /healthz) over one set of handlers on packages/core. docs/server.md describes it.
 */
export { CloudRegistry, type CloudRegistryOptions } from "./clouds.js";
export {
  DEFAULT_GRPC_LISTEN,
  DEFAULT_HTTP_LISTEN,
  DEFAULT_SHUTDOWN_GRACE_MS,
  formatHostPort,
  type ListenAddress,
  parseHostPort,
  parseServerConfig,
  readServerConfigFile,
  resolveServerSettings,
  ServerConfigError,
  type ServerConfigFile,
  type ServerFlags,
  type ServerSettings,
} from "./config.js";
export { requestIdKey } from "./context.js";
export { toGrpcService } from "./grpc/adapter.js";
export { createHandlers, type HandlerDeps, handlersOf, type ServiceHandlers } from "./handlers/index.js";
export { createLogger, LOG_LEVELS, type LogLevel } from "./logging.js";
export { ServerMetrics } from "./metrics.js";
export { type RunningServer, type ServeOptions, serve, stopOnSignals } from "./serve.js";
export { isServerShutdown, ServerShutdown } from "./shutdown.js";
