import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startSimulator } from "@oaktree/sim";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** The TypeScript block that follows `<!-- example: boot -->` in the README. */
function readmeExample(): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const match = /<!-- example: boot -->\s*```ts\n([\s\S]*?)```/.exec(readme);
  if (!match?.[1]) throw new Error("README.md has no `<!-- example: boot -->` TypeScript block");
  return match[1];
}

describe("the README's example", () => {
  it("is at most ten lines and boots a reachable server on the simulator", async () => {
    const code = readmeExample();
    expect(code.trim().split("\n").length).toBeLessThanOrEqual(10);
    const sim = await startSimulator({ profile: "modern", buildDelayMs: 50 });
    const dir = mkdtempSync(join(tmpdir(), "oaktree-readme-"));
    // The example file sits inside the repository so that "@oaktree/core" resolves as for a user.
    const script = join(root, "test", "readme", ".example.generated.ts");
    try {
      writeFileSync(script, code);
      const cloudsYaml = await sim.writeCloudsYaml(join(dir, "clouds.yaml"));
      const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script], {
        cwd: root,
        env: { ...process.env, OS_CLIENT_CONFIG_FILE: cloudsYaml, OS_CLOUD: "sim" },
        timeout: 60_000,
      });
      // It printed the server's status and the floating IP it got, from the external network.
      expect(stdout).toMatch(/^ACTIVE \d+\.\d+\.\d+\.\d+ floating IP attached$/m);
      expect(sim.admin.count("network", "POST /floatingips")).toBe(1);
      expect(sim.admin.count("compute", "DELETE /servers/{server_id}")).toBe(1);
    } finally {
      rmSync(script, { force: true });
      rmSync(dir, { recursive: true, force: true });
      await sim.stop();
    }
  }, 90_000);
});
