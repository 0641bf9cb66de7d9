import type { Cloud, ObservedRequest } from "@oaktree/core";
import type { CacheObserver, CacheResult } from "@oaktree/core/state/cache.js";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { WatchHubs } from "./handlers/watch-hub.js";

/** Which listener served a call: native gRPC, or the HTTP one (Connect JSON, gRPC-Web, gRPC over TLS). */
export type ListenerName = "grpc" | "http";

/**
 * The server's Prometheus metrics (served at `/metrics` on the HTTP listener), in their own
 * registry so that two servers in one process (tests) do not share counters. docs/server.md
 * lists every metric.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly clouds = new Set<Cloud>();
  private readonly hubs = new Set<WatchHubs>();

  /** Calls received, by listener and outcome: the "client requests" side of the console's plot. */
  readonly rpcRequests = new Counter({
    name: "oaktree_rpc_requests_total",
    help: "RPCs served, by listener, service, method and gRPC code.",
    labelNames: ["listener", "service", "method", "code"] as const,
    registers: [this.registry],
  });

  readonly rpcDuration = new Histogram({
    name: "oaktree_rpc_duration_seconds",
    help: "RPC latency (streams: until the stream ended), by service, method and gRPC code.",
    labelNames: ["service", "method", "code"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  readonly activeStreams = new Gauge({
    name: "oaktree_rpc_active_streams",
    help: "Streaming RPCs open now (Watch* streams are the active watches of clients), by service and method.",
    labelNames: ["service", "method"] as const,
    registers: [this.registry],
  });

  /** Cloud requests, the "cloud requests" side: one per call to OpenStack after its retries. */
  readonly cloudRequests = new Counter({
    name: "oaktree_cloud_requests_total",
    help: "Requests to the clouds, by cloud, service type, HTTP method and status (error: no response).",
    labelNames: ["cloud", "service", "method", "status"] as const,
    registers: [this.registry],
  });

  readonly cloudDuration = new Histogram({
    name: "oaktree_cloud_request_duration_seconds",
    help: "Latency of requests to the clouds (with retries), by cloud and service type.",
    labelNames: ["cloud", "service"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  /** Cache reads and loads of core's ResourceCache: hits against misses, and the loads misses cost. */
  readonly cacheRequests = new Counter({
    name: "oaktree_cache_requests_total",
    help: "Cache reads by cloud and resource kind: hit (served cached), miss (waited for a load), load (a listing read from the cloud).",
    labelNames: ["cloud", "kind", "result"] as const,
    registers: [this.registry],
  });

  /** Per cloud and kind, the cache counter's children bound once, so that a hit only bumps a number. */
  private readonly cacheChildren = new Map<string, Map<string, Record<CacheResult, { inc(): void }>>>();

  constructor(options: { readonly processMetrics?: boolean } = {}) {
    const { clouds, hubs } = this;
    new Gauge({
      name: "oaktree_shared_watches",
      help: "Shared watches polling the clouds (one per cloud, region, project and resource kind, whatever the number of watchers).",
      registers: [this.registry],
      collect() {
        let n = 0;
        for (const cloud of clouds) n += cloud.sharedWatchCount();
        this.set(n);
      },
    });
    new Gauge({
      name: "oaktree_watch_hubs",
      help: "Watch hubs open now: one per cloud, region, project and kind that Watch* streams follow (or lately followed).",
      registers: [this.registry],
      collect() {
        let n = 0;
        for (const set of hubs) n += set.size;
        this.set(n);
      },
    });
    new Counter({
      name: "oaktree_watch_hubs_created_total",
      help: "Watch hubs created: each one subscription to a shared watch, however many streams it served.",
      registers: [this.registry],
      collect() {
        let n = 0;
        for (const set of hubs) n += set.subscriptionsMade;
        this.reset();
        this.inc(n);
      },
    });
    if (options.processMetrics !== false)
      collectDefaultMetrics({ register: this.registry, prefix: "oaktree_" });
  }

  /** The HttpObserver given to every cloud's connection. */
  readonly observeCloudRequest = (request: ObservedRequest): void => {
    this.cloudRequests.inc({
      cloud: request.cloud,
      service: request.service,
      method: request.method,
      status: String(request.status),
    });
    this.cloudDuration.observe({ cloud: request.cloud, service: request.service }, request.durationMs / 1000);
  };

  /** The CacheObserver given to the clouds named `cloud` (CloudOptions.cacheObserver). */
  cacheObserverFor(cloud: string): CacheObserver {
    let byKind = this.cacheChildren.get(cloud);
    if (!byKind) {
      byKind = new Map();
      this.cacheChildren.set(cloud, byKind);
    }
    const kinds = byKind;
    return (kind, result) => {
      let children = kinds.get(kind);
      if (!children) {
        children = {
          hit: this.cacheRequests.labels(cloud, kind, "hit"),
          miss: this.cacheRequests.labels(cloud, kind, "miss"),
          load: this.cacheRequests.labels(cloud, kind, "load"),
        };
        kinds.set(kind, children);
      }
      children[result].inc();
    };
  }

  /** Counts the watch hubs of a server's handlers from now on. */
  addWatchHubs(hubs: WatchHubs): void {
    this.hubs.add(hubs);
  }

  /** Counts a cloud's shared watches from now on. */
  addCloud(cloud: Cloud): void {
    this.clouds.add(cloud);
  }

  /** Stops counting a Cloud's watches (deployer mode closed an idle project's Cloud). */
  removeCloud(cloud: Cloud): void {
    this.clouds.delete(cloud);
  }

  /** The metrics in Prometheus text format. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
