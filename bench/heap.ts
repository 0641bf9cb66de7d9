/**
 * Summarizes a V8 heap snapshot (BENCH_HEAP_SNAPSHOT=DIR makes the memory benchmark write one of
 * `oaktree serve` while it holds its servers): self size by constructor/kind, biggest first, to
 * see what the memory is, not guess it.
 *
 *   npx tsx bench/heap.ts FILE.heapsnapshot [TOP]
 */
import { readFileSync } from "node:fs";

interface HeapSnapshot {
  readonly snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  readonly nodes: number[];
  readonly strings: string[];
}

/** Self size and count per `type name` (objects by constructor; strings, arrays, code by kind). */
export function summarizeHeap(heap: HeapSnapshot): {
  totalBytes: number;
  rows: { name: string; count: number; bytes: number }[];
} {
  const fields = heap.snapshot.meta.node_fields;
  const types = heap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const rows = new Map<string, { count: number; bytes: number }>();
  let totalBytes = 0;
  for (let i = 0; i < heap.nodes.length; i += width) {
    const type = types[heap.nodes[i + typeAt]!]!;
    const size = heap.nodes[i + sizeAt]!;
    const name =
      type === "object" || type === "closure" ? `${type} ${heap.strings[heap.nodes[i + nameAt]!]}` : type;
    const row = rows.get(name) ?? { count: 0, bytes: 0 };
    row.count += 1;
    row.bytes += size;
    rows.set(name, row);
    totalBytes += size;
  }
  return {
    totalBytes,
    rows: [...rows.entries()].map(([name, r]) => ({ name, ...r })).sort((a, b) => b.bytes - a.bytes),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: npx tsx bench/heap.ts FILE.heapsnapshot [TOP]");
    process.exit(2);
  }
  const { totalBytes, rows } = summarizeHeap(JSON.parse(readFileSync(file, "utf8")) as HeapSnapshot);
  const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
  console.log(`heap: ${mb(totalBytes)} MB in ${rows.reduce((a, r) => a + r.count, 0)} objects`);
  for (const r of rows.slice(0, Number(process.argv[3] ?? 25))) {
    console.log(`  ${mb(r.bytes).padStart(8)} MB  ${String(r.count).padStart(9)}  ${r.name}`);
  }
}
