// Pure: no DOM. Reads the few series of oaktree's /metrics the console charts.

/** One reading of the server's counters. */
export interface Sample {
  /** Milliseconds since the epoch, when it was read. */
  readonly at: number;
  /** Calls clients made to oaktree (oaktree_rpc_requests_total, every listener and method). */
  readonly clientRequests: number;
  /** Requests oaktree made to each cloud (oaktree_cloud_requests_total by `cloud`). */
  readonly cloudRequests: Readonly<Record<string, number>>;
  /** Watch streams open now (oaktree_rpc_active_streams of Watch* methods). */
  readonly activeWatches: number;
  /** Shared watches polling the clouds for them (oaktree_shared_watches). */
  readonly sharedWatches: number;
}

interface Series {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The samples of a Prometheus text exposition (comments and malformed lines skipped). */
export function parsePrometheusText(text: string): Series[] {
  const series: Series[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = LINE.exec(line);
    if (!match) continue;
    const value = Number(match[3]);
    if (Number.isNaN(value)) continue;
    const labels: Record<string, string> = {};
    for (const [, key, quoted] of (match[2] ?? "").matchAll(LABEL)) {
      labels[key as string] = (quoted as string).replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    }
    series.push({ name: match[1] as string, labels, value });
  }
  return series;
}

/** The console's sample out of a /metrics answer. */
export function sampleOf(text: string, at: number): Sample {
  let clientRequests = 0;
  let activeWatches = 0;
  let sharedWatches = 0;
  const cloudRequests: Record<string, number> = {};
  for (const { name, labels, value } of parsePrometheusText(text)) {
    if (name === "oaktree_rpc_requests_total") clientRequests += value;
    else if (name === "oaktree_cloud_requests_total") {
      const cloud = labels.cloud ?? "";
      cloudRequests[cloud] = (cloudRequests[cloud] ?? 0) + value;
    } else if (name === "oaktree_rpc_active_streams" && labels.method?.startsWith("Watch")) {
      activeWatches += value;
    } else if (name === "oaktree_shared_watches") sharedWatches += value;
  }
  return { at, clientRequests, cloudRequests, activeWatches, sharedWatches };
}

/** One line of the chart: requests per second between consecutive samples. */
export interface Rate {
  readonly label: string;
  /** Requests per second, one per interval (samples.length - 1 values). */
  readonly perSecond: readonly number[];
  /** Requests over the whole window. */
  readonly total: number;
}

/** Rates of the clients' requests and of each cloud's, over a window of samples. */
export function ratesOf(samples: readonly Sample[]): Rate[] {
  const clouds = [...new Set(samples.flatMap((sample) => Object.keys(sample.cloudRequests)))].sort();
  const rate = (label: string, read: (sample: Sample) => number): Rate => {
    const perSecond: number[] = [];
    for (let i = 1; i < samples.length; i += 1) {
      const [before, after] = [samples[i - 1] as Sample, samples[i] as Sample];
      const seconds = Math.max((after.at - before.at) / 1000, 0.001);
      // A counter that went down is a restarted server: count from zero.
      const delta = read(after) >= read(before) ? read(after) - read(before) : read(after);
      perSecond.push(delta / seconds);
    }
    const first = samples[0];
    const last = samples.at(-1);
    const total = first && last ? Math.max(read(last) - read(first), 0) : 0;
    return { label, perSecond, total };
  };
  return [
    rate("clients → oaktree", (sample) => sample.clientRequests),
    ...clouds.map((cloud) => rate(`oaktree → ${cloud}`, (sample) => sample.cloudRequests[cloud] ?? 0)),
  ];
}
