/**
 * A line chart as hand-written SVG (no dependency): log-scale axes (the scaling benchmarks span
 * decades), ticks at powers of ten, labelled axes, a title and a legend, readable without the text
 * around it.
 */

/** One line of the chart. */
export interface Series {
  readonly name: string;
  readonly ys: readonly number[];
}

/** What {@link lineChart} draws. */
export interface ChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xs: readonly number[];
  readonly series: readonly Series[];
}

const COLORS = ["#1b7837", "#b2182b", "#2166ac", "#e08214", "#762a83"];
const xmlText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Powers of ten from below `min` to above `max`. */
function decades(min: number, max: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) out.push(10 ** e);
  return out;
}

/** An SVG line chart with log-scale axes; values ≤ 0 are drawn at the axis' bottom decade. */
export function lineChart(spec: ChartSpec): string {
  const width = 720;
  const height = 440;
  const left = 80;
  const right = 250;
  const top = 50;
  const bottom = 60;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const allY = spec.series.flatMap((s) => s.ys).filter((y) => y > 0);
  const xTicks = decades(Math.min(...spec.xs), Math.max(...spec.xs));
  const yTicks = decades(Math.min(1, ...allY), Math.max(...allY));
  const lx = (x: number) => Math.log10(x);
  const [x0, x1] = [lx(xTicks[0]!), lx(xTicks.at(-1)!)];
  const [y0, y1] = [lx(yTicks[0]!), lx(yTicks.at(-1)!)];
  const px = (x: number) => left + ((lx(x) - x0) / (x1 - x0 || 1)) * plotW;
  const py = (y: number) => top + plotH - ((lx(Math.max(y, yTicks[0]!)) - y0) / (y1 - y0 || 1)) * plotH;
  const label = (v: number) => v.toLocaleString("en-US");
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${xmlText(spec.title)}</text>`,
  ];
  for (const t of xTicks) {
    parts.push(
      `<line x1="${px(t)}" y1="${top}" x2="${px(t)}" y2="${top + plotH}" stroke="#ddd"/>`,
      `<text x="${px(t)}" y="${top + plotH + 18}" text-anchor="middle">${label(t)}</text>`,
    );
  }
  for (const t of yTicks) {
    parts.push(
      `<line x1="${left}" y1="${py(t)}" x2="${left + plotW}" y2="${py(t)}" stroke="#ddd"/>`,
      `<text x="${left - 8}" y="${py(t) + 4}" text-anchor="end">${label(t)}</text>`,
    );
  }
  parts.push(
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
    `<text x="${left + plotW / 2}" y="${height - 18}" text-anchor="middle">${xmlText(spec.xLabel)}</text>`,
    `<text transform="translate(22 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">${xmlText(spec.yLabel)}</text>`,
  );
  spec.series.forEach((series, i) => {
    const color = COLORS[i % COLORS.length]!;
    const points = spec.xs.map((x, k) => `${px(x).toFixed(1)},${py(series.ys[k]!).toFixed(1)}`);
    parts.push(`<polyline points="${points.join(" ")}" fill="none" stroke="${color}" stroke-width="2.5"/>`);
    for (const [k, x] of spec.xs.entries()) {
      const y = series.ys[k]!;
      parts.push(
        `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="4" fill="${color}"><title>${xmlText(series.name)}: N=${label(x)}, ${label(y)}</title></circle>`,
      );
    }
    const ly = top + 10 + i * 22;
    parts.push(
      `<line x1="${left + plotW + 15}" y1="${ly}" x2="${left + plotW + 40}" y2="${ly}" stroke="${color}" stroke-width="2.5"/>`,
      `<text x="${left + plotW + 46}" y="${ly + 4}">${xmlText(series.name)}</text>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
