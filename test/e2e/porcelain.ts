import { readFileSync } from "node:fs";
import { Cloud } from "../../packages/core/src/cloud/cloud.js";
import { type CloudContext, createCloudContext } from "../../packages/core/src/cloud/context.js";
import { loadCloudConfig } from "../../packages/core/src/config/load.js";
import { type CloudConnection, connect } from "../../packages/core/src/connection/connect.js";
import { createTransport } from "../../packages/core/src/http/transport.js";
import type { Handler } from "../../packages/core/src/http/types.js";
import type { E2eCloud } from "./harness.js";

/** A porcelain context on the suite's member cloud, with a count of the HTTP requests it sent. */
export interface Porcelain {
  /** The porcelain's public API (the Cloud facade) on this context. */
  readonly cloud: Cloud;
  readonly ctx: CloudContext;
  readonly connection: CloudConnection;
  /** Requests sent through the connection so far (auth, discovery and API calls). */
  requests(): number;
  /** Stops the watches and closes the sockets. */
  close(): Promise<void>;
}

/** Options of {@link openPorcelain}. */
export interface OpenPorcelainOptions {
  /** Scope the member's credentials to this project instead (one the suite made). */
  readonly projectName?: string;
  /** Shared watch interval; 1 s by default to keep the suite quick. */
  readonly pollIntervalMs?: number;
}

/**
 * Loads the member cloud's config through the core's loader, connects, and builds a
 * CloudContext on it.
 */
export async function openPorcelain(e2e: E2eCloud, options: OpenPorcelainOptions = {}): Promise<Porcelain> {
  const config = loadCloudConfig({
    cloud: e2e.cloud,
    env: {},
    sources: { clouds: { path: e2e.configFile, text: readFileSync(e2e.configFile, "utf8") } },
    ...(options.projectName !== undefined && {
      overrides: { auth: { project_name: options.projectName } },
    }),
  });
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const transport = createTransport({ tls: config.tls });
  let count = 0;
  const counting: Handler = (request) => {
    count++;
    return transport.handle(request);
  };
  const connection = await connect(config, { transport: counting });
  const ctx = createCloudContext(connection, { pollIntervalMs });
  return {
    cloud: new Cloud(ctx),
    ctx,
    connection,
    requests: () => count,
    async close() {
      try {
        await ctx.watches.close();
      } finally {
        await connection.close();
        await transport.close();
      }
    },
  };
}
