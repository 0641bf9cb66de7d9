import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../packages/cli/src/main.js";
import type { SuiteContext } from "../suite.js";

/** Runs `oaktree ...` in process and captures what it writes. */
async function oaktree(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const capture = (sink: (s: string) => void) => (chunk: string | Uint8Array) => {
    sink(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(capture((s) => (out += s)));
  vi.spyOn(process.stderr, "write").mockImplementation(capture((s) => (err += s)));
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    vi.restoreAllMocks();
  }
}

/** The `oaktree` command line (packages/cli main()) against the real cloud. */
export function cliCases(suite: () => SuiteContext): void {
  describe("oaktree CLI on the real cloud", () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it("oaktree catalog --cloud <cloud> --json lists every service with its version", async () => {
      const { e2e, member } = suite();
      const r = await oaktree(["catalog", "--cloud", e2e.cloud, "--json"]);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      const catalog = JSON.parse(r.out) as {
        cloud: string;
        project?: { id?: string };
        services: { serviceType: string; version?: string; endpoint?: string; error?: string }[];
      };
      expect(catalog.cloud).toBe(e2e.cloud);
      expect(catalog.project?.id).toBe(member.projectId);
      const byType = new Map(catalog.services.map((s) => [s.serviceType, s]));
      expect(byType.get("compute")).toMatchObject({ version: "2.1" });
      expect(byType.get("network")).toMatchObject({ version: "2.0" });
      expect(byType.get("block-storage")?.endpoint).toContain(member.projectId);
      for (const type of ["identity", "image", "placement"]) expect(byType.has(type), type).toBe(true);
      expect(catalog.services.filter((s) => s.error !== undefined)).toEqual([]);
    });

    it("oaktree catalog prints one row per service", async () => {
      const { e2e } = suite();
      const r = await oaktree(["catalog", "--cloud", e2e.cloud]);
      expect(r.code).toBe(0);
      const lines = r.out.trimEnd().split("\n");
      expect(lines[0]).toContain(`cloud ${e2e.cloud}`);
      expect(lines[1]).toMatch(/^SERVICE\s+CATALOG TYPE\s+VERSION\s+MICROVERSIONS\s+ENDPOINT/);
      expect(lines.find((l) => l.startsWith("compute "))).toMatch(/2\.1-2\.\d+/);
    });

    it("an unknown cloud is one line on stderr and exit code 1", async () => {
      const r = await oaktree(["catalog", "--cloud", "no-such-cloud-oaktree-e2e"]);
      expect(r.code).toBe(1);
      expect(r.err.trimEnd().split("\n")).toHaveLength(1);
      expect(r.err).toContain("no-such-cloud-oaktree-e2e");
    });
  });
}
