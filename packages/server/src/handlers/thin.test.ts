import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// STYLE.md point 9: a handler makes one `cloud.*` call. Reaching into the cloud's context or
// calling a core module's function directly bypasses the facade (and its invalidations).

const dir = import.meta.dirname;
const handlerFiles = readdirSync(dir).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"));

describe("handlers reach core only through the Cloud facade", () => {
  it.each(handlerFiles)("%s uses no cloud.context", (name) => {
    const source = readFileSync(join(dir, name), "utf8");
    expect(source).not.toMatch(/\.context\s*[.,)]/);
  });

  it.each(handlerFiles)("%s imports no core porcelain module's functions", (name) => {
    const source = readFileSync(join(dir, name), "utf8");
    const valueImports = [
      ...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+"(@oaktree\/core\/cloud\/[^"]+)"/gms),
    ];
    expect(valueImports.map((match) => match[1])).toEqual([]);
  });
});
