/**
 * The server's reclaimer: every interval, for every configured cloud and region it holds
 * credentials for, core's reclaimAbandoned deletes what creates that died before handing
 * their server to a client left behind (after a grace), and counts the oaktree-marked objects
 * no record vouches for. See docs/decisions/0024 and docs/deployment.md, "Restart recovery".
 */
import { create } from "@bufbuild/protobuf";
import { type Cloud, reclaimAbandoned, tokenHash } from "@oaktree/core";
import type { Logger } from "pino";
import { Counter, Gauge } from "prom-client";
import type { CloudRegistry } from "../clouds.js";
import { LocationSchema } from "../gen/oaktree/v1/location_pb.js";
import type { ServerMetrics } from "../metrics.js";

/** The `recovery:` settings. */
export interface RecoverySettings {
  /** A pending create untouched this long (and nobody working on its token) is abandoned. */
  readonly graceMs: number;
  /** How often to look; 0 turns the reclaimer off. */
  readonly intervalMs: number;
}

/** Defaults of the `recovery:` key: ten minutes of grace, a look every minute. */
export const DEFAULT_RECOVERY: RecoverySettings = { graceMs: 600_000, intervalMs: 60_000 };

/** A running reclaimer. */
export interface Reclaimer {
  /** One pass over every cloud now (tests; the timer calls it too). Never throws. */
  runOnce(): Promise<void>;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

/**
 * Starts the reclaimer (its first pass one interval after the start, so that a restarted
 * server first lets its clients reissue). Personal mode only: in deployer mode oaktree holds no
 * credentials of its own to act with.
 */
export function startReclaimer(options: {
  readonly clouds: CloudRegistry;
  readonly settings: RecoverySettings;
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
  /** Deployer mode: no pass runs (oaktree holds no credentials of its own there). */
  readonly deployer?: boolean;
}): Reclaimer {
  const { clouds, settings, logger } = options;
  const gauges = reclaimMetrics(options.metrics);
  let running: Promise<void> | undefined;
  const pass = async () => {
    for (const entry of clouds.entries()) {
      const { name, region } = entry.config;
      const labels = { cloud: name, region: region ?? "" };
      let cloud: Cloud;
      try {
        cloud = await clouds.resolve(create(LocationSchema, { cloud: name, region: region ?? "" }));
      } catch (error) {
        logger.warn({ cloud: name, region, err: error }, "reclaimer: cannot open the cloud; next pass");
        continue;
      }
      try {
        const report = await reclaimAbandoned(cloud.context, { graceMs: settings.graceMs });
        for (const { token, deleted } of report.reclaimed) {
          gauges.reclaimed.inc(labels);
          logger.warn(
            {
              cloud: name,
              region, // A caller may treat its token as a secret: logs name its hash, as the marks do.
              tokenHash: tokenHash(token),
              deleted,
            },
            "reclaimed what a create that never reached its client left behind",
          );
        }
        for (const failure of report.failures) {
          logger.warn(
            { cloud: name, region, what: failure.what, err: failure.error },
            "reclaimer: could not delete; next pass",
          );
        }
        for (const [kind, count] of Object.entries(report.unvouched)) {
          gauges.unvouched.set({ ...labels, kind }, count);
        }
        const unvouched = report.unvouched.servers + report.unvouched.floatingIps + report.unvouched.volumes;
        if (unvouched > 0) {
          logger.info(
            { cloud: name, region, ...report.unvouched },
            "oaktree-marked objects with no record: left alone (oaktree cannot tell whether a client has them)",
          );
        }
      } catch (error) {
        logger.warn({ cloud: name, region, err: error }, "reclaimer: pass failed; next pass");
      }
    }
  };
  const runOnce = () => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer =
    settings.intervalMs > 0 && !options.deployer
      ? setInterval(() => void runOnce(), settings.intervalMs)
      : undefined;
  timer?.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

function reclaimMetrics(metrics: ServerMetrics) {
  const existing = metrics.registry.getSingleMetric("oaktree_reclaimed_creates_total");
  if (existing) {
    return {
      reclaimed: existing as Counter<"cloud" | "region">,
      unvouched: metrics.registry.getSingleMetric("oaktree_unvouched_objects") as Gauge<
        "cloud" | "region" | "kind"
      >,
    };
  }
  return {
    reclaimed: new Counter({
      name: "oaktree_reclaimed_creates_total",
      help: "Abandoned creates (pending past the grace, nobody on the token) whose objects were deleted",
      labelNames: ["cloud", "region"] as const,
      registers: [metrics.registry],
    }),
    unvouched: new Gauge({
      name: "oaktree_unvouched_objects",
      help: "oaktree-marked objects no record vouches for, by kind, at the last pass (never deleted)",
      labelNames: ["cloud", "region", "kind"] as const,
      registers: [metrics.registry],
    }),
  };
}
