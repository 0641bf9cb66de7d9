// Loaded into the soak's `oaktree serve` child with `node --expose-gc --import` (never in production):
// on SIGUSR2 it runs two full garbage collections and prints the process's memory on stderr as one
// line, `OAKTREE_SOAK_MEMORY {"heapUsed":...,"rss":...}`, so the soak compares heaps after a GC.
process.on("SIGUSR2", () => {
  globalThis.gc?.();
  globalThis.gc?.();
  const { heapUsed, heapTotal, rss, external } = process.memoryUsage();
  process.stderr.write(`OAKTREE_SOAK_MEMORY ${JSON.stringify({ heapUsed, heapTotal, rss, external })}\n`);
});
