import {
  type DestinationStream,
  destination,
  type Logger,
  type LoggerOptions,
  pino,
  stdTimeFunctions,
} from "pino";

/** pino's log levels, as the server config and `--log-level` take them. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Header and metadata names whose values are credentials. */
const SECRET_METADATA = [
  "x-auth-token",
  "x-subject-token",
  "authorization",
  "x-application-credential-id",
  "x-application-credential-secret",
];

/**
 * Paths of secrets that must never reach a log line, whatever logs them: tokens, passwords,
 * application credential secrets, auth headers. Core redacts its own HTTP logs; this is the
 * server's net for everything else (a config or a request logged whole by mistake).
 */
export const REDACTED_PATHS = [
  "password",
  "*.password",
  "*.*.password",
  "token",
  "*.token",
  "*.*.token",
  "secret",
  "*.secret",
  "application_credential_secret",
  "*.application_credential_secret",
  "*.*.application_credential_secret",
  "applicationCredentialSecret",
  "*.applicationCredentialSecret",
  "*.*.applicationCredentialSecret",
  // Headers and gRPC metadata, whatever the object holding them is called (deployer mode's
  // callers send their token or application credential in every call's metadata).
  ...["headers", "metadata", "requestHeader", "header"].flatMap((holder) =>
    SECRET_METADATA.flatMap((name) => [`${holder}["${name}"]`, `*.${holder}["${name}"]`]),
  ),
  ...SECRET_METADATA.flatMap((name) => [`["${name}"]`, `*["${name}"]`]),
];

/**
 * The server's logger: one JSON object per line (pino), secrets censored, written to `stream`
 * (default stderr, so that stdout carries only what `oaktree serve` prints for people).
 */
export function createLogger(level: LogLevel = "info", stream?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: "oaktree" },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    timestamp: stdTimeFunctions.isoTime,
  };
  return pino(options, stream ?? destination({ fd: 2, sync: false }));
}
