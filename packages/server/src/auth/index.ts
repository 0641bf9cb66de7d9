import {
  type ConnectOptions,
  createHttpStack,
  createTokenValidator,
  createTransport,
  type Transport,
} from "@oaktree/core";
import type { Logger } from "pino";
import type { CloudRegistry } from "../clouds.js";
import { CallerAuthenticator } from "./caller-auth.js";
import { type Authorize, deployerAuthorizer } from "./deployer.js";

export { CallerAuthenticator, DEFAULT_VALIDATION_TTL_MS } from "./caller-auth.js";
export {
  APP_CREDENTIAL_ID_HEADER,
  APP_CREDENTIAL_SECRET_HEADER,
  AUTH_TOKEN_HEADER,
  CREDENTIAL_HEADERS,
} from "./credentials.js";
export { type Authorize, type Caller, currentCaller } from "./deployer.js";

/** Deployer mode's pieces, as serve() wires them. */
export interface DeployerAuth {
  /** For instrument(): every call's credentials, checked first. */
  readonly authorize: Authorize;
  readonly authenticator: CallerAuthenticator;
  /** Closes the keystone connections the validators opened. */
  close(): Promise<void>;
}

/** Options of {@link createDeployerAuth}. */
export interface DeployerAuthOptions {
  readonly clouds: CloudRegistry;
  /** How long a validation is trusted (ms). */
  readonly validationTtlMs: number;
  readonly logger?: Logger;
  /** The clouds' connection options (tests: a recording transport; metrics: the observer). */
  readonly connect?: ConnectOptions;
}

/**
 * Deployer mode: an authenticator asking each cloud's keystone (through its own keep-alive
 * transport, with the cloud's TLS settings and timeout, without credentials of oaktree's),
 * and the instrument hook that runs every call as its caller.
 */
export function createDeployerAuth(options: DeployerAuthOptions): DeployerAuth {
  const transports: Transport[] = [];
  const { connect, logger } = options;
  const authenticator = new CallerAuthenticator({
    ttlMs: options.validationTtlMs,
    ...(logger && { logger }),
    validatorFor(config) {
      let transport = connect?.transport;
      if (!transport) {
        const owned = createTransport({ tls: config.tls });
        transports.push(owned);
        transport = owned.handle;
      }
      const send = createHttpStack({
        transport,
        cloud: config.name,
        tls: config.tls,
        ...(config.apiTimeoutMs !== undefined && { timeoutMs: config.apiTimeoutMs }),
        ...(connect?.observer && { observer: connect.observer }),
        ...(logger && { logger }),
      });
      return createTokenValidator(config, { send, ...(logger && { logger }) });
    },
  });
  return {
    authorize: deployerAuthorizer(options.clouds, authenticator),
    authenticator,
    async close() {
      await Promise.all(transports.splice(0).map((transport) => transport.close()));
    },
  };
}
