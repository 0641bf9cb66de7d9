import { useEffect, useState } from "preact/hooks";
import { ratesOf, type Sample, sampleOf } from "./metrics.js";

const INTERVAL_MS = 2000;
const WINDOW = 60; // samples: two minutes
const WIDTH = 560;
const HEIGHT = 140;
const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2"];

/**
 * What oaktree saves the cloud: calls clients made to oaktree against requests oaktree made
 * to each cloud, per second, from the server's own counters (/metrics, same origin), and the
 * watches open now.
 */
export function SavingsPanel() {
  const [samples, setSamples] = useState<readonly Sample[]>([]);
  const [failed, setFailed] = useState<string>();

  useEffect(() => {
    const abort = new AbortController();
    const read = async () => {
      try {
        const answer = await fetch(new URL("/metrics", location.origin), { signal: abort.signal });
        if (!answer.ok) throw new Error(`/metrics answered ${answer.status}`);
        const sample = sampleOf(await answer.text(), Date.now());
        setSamples((all) => [...all, sample].slice(-WINDOW));
        setFailed(undefined);
      } catch (caught) {
        if (!abort.signal.aborted) setFailed(String(caught));
      }
    };
    void read();
    const timer = setInterval(read, INTERVAL_MS);
    return () => {
      clearInterval(timer);
      abort.abort();
    };
  }, []);

  const last = samples.at(-1);
  const rates = ratesOf(samples);
  const top = Math.max(1, ...rates.flatMap((rate) => rate.perSecond));
  const x = (i: number) => (i / Math.max(WINDOW - 2, 1)) * WIDTH;
  const y = (value: number) => HEIGHT - (value / top) * (HEIGHT - 4);
  const cloudTotal = last ? Object.values(last.cloudRequests).reduce((a, b) => a + b, 0) : 0;
  return (
    <section aria-labelledby="savings-title" class="savings">
      <h2 id="savings-title">What oaktree saves the cloud</h2>
      {failed && <p class="error">Reading /metrics failed: {failed}</p>}
      {last && (
        <p class="totals" aria-live="off">
          Since oaktree started, clients made <strong data-total="clients">{last.clientRequests}</strong>{" "}
          calls to oaktree and oaktree made <strong data-total="clouds">{cloudTotal}</strong> requests to the
          clouds
          {Object.keys(last.cloudRequests).length > 0 && (
            <>
              {" ("}
              {Object.entries(last.cloudRequests)
                .map(([cloud, count]) => `${cloud}: ${count}`)
                .join(", ")}
              {")"}
            </>
          )}
          . Watches open now: <strong data-total="watches">{last.activeWatches}</strong>, served by{" "}
          <strong data-total="shared-watches">{last.sharedWatches}</strong> shared watch
          {last.sharedWatches === 1 ? "" : "es"} polling the clouds.
        </p>
      )}
      <figure>
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          width={WIDTH}
          height={HEIGHT}
          role="img"
          aria-labelledby="savings-caption"
          class="chart"
        >
          <title>Requests per second: clients to oaktree, and oaktree to each cloud</title>
          <line x1="0" y1={HEIGHT} x2={WIDTH} y2={HEIGHT} class="axis" />
          <text x="4" y="12" class="scale">
            {top.toFixed(1)}/s
          </text>
          {rates.map((rate, i) => (
            <polyline
              key={rate.label}
              data-series={rate.label}
              fill="none"
              stroke={COLORS[i % COLORS.length]}
              stroke-width="2"
              points={rate.perSecond.map((value, j) => `${x(j).toFixed(1)},${y(value).toFixed(1)}`).join(" ")}
            />
          ))}
        </svg>
        <figcaption id="savings-caption">
          Requests per second over the last {Math.round((WINDOW * INTERVAL_MS) / 60_000)} minutes:{" "}
          <ul class="legend">
            {rates.map((rate, i) => (
              <li key={rate.label}>
                <span class="swatch" data-color={i % COLORS.length} aria-hidden="true" />
                {rate.label}: {rate.total} in the window
              </li>
            ))}
          </ul>
        </figcaption>
      </figure>
    </section>
  );
}
