import { type ChildProcess, execFile, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { offlineLock, type PackedPackage } from "./offline-lock.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);
/** The workspace packages a user installs, in dependency order. */
const WORKSPACES = ["packages/core", "packages/sim", "packages/server", "packages/cli"];

// What a user's shell has: no tsx, none of the repository's "oaktree-source" condition
// (vitest.config.ts puts it in NODE_OPTIONS for the tests' child processes), and none of the
// npm_* variables `npm test` sets (npm_config_local_prefix would point npm at the repository).
const userEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_")),
  ),
  NODE_OPTIONS: "",
};

/** The TypeScript block that follows `<!-- example: boot -->` in the README. */
function readmeExample(): string {
  const match = /<!-- example: boot -->\s*```ts\n([\s\S]*?)```/.exec(
    readFileSync(join(root, "README.md"), "utf8"),
  );
  if (!match?.[1]) throw new Error("README.md has no `<!-- example: boot -->` TypeScript block");
  return match[1];
}

/** Resolves with the first stdout line matching `pattern`; rejects if the process exits first. */
function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`no line matching ${pattern} in ${timeoutMs} ms: ${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split("\n").find((l) => pattern.test(l));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve(line);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing ${pattern}: ${output}`));
    });
  });
}

describe("the packed packages, installed from their tarballs", () => {
  it("install offline, type-check and run the README example, and give a working `oaktree`", async () => {
    const dir = mkdtempSync(join(tmpdir(), "oaktree-pack-"));
    const tarballs = join(dir, "tarballs");
    const project = join(dir, "project");
    mkdirSync(tarballs);
    mkdirSync(project);
    let sim: ChildProcess | undefined;
    try {
      // `npm pack` runs each package's prepack: a clean tsc build into dist/.
      await run(
        "npm",
        ["pack", "--silent", ...WORKSPACES.flatMap((w) => ["-w", w]), "--pack-destination", tarballs],
        {
          cwd: root,
          env: userEnv,
          timeout: 240_000,
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      const packed = WORKSPACES.map((workspace) => {
        const manifest = JSON.parse(readFileSync(join(root, workspace, "package.json"), "utf8"));
        const tarball = join(
          tarballs,
          `${manifest.name.replace("@", "").replace("/", "-")}-${manifest.version}.tgz`,
        );
        expect(existsSync(tarball), `${workspace} packed to ${tarball}`).toBe(true);
        return { dir: workspace, packed: { manifest, tarball } satisfies PackedPackage };
      });
      expect(readdirSync(tarballs)).toHaveLength(WORKSPACES.length);

      // The tarballs hold the build, the data files and the license, and no tests or sources.
      const { stdout: coreFiles } = await run("tar", ["tzf", packed[0]!.packed.tarball]);
      expect(coreFiles).toContain("package/dist/index.d.ts");
      expect(coreFiles).toContain("package/dist/config/data/defaults.json");
      expect(coreFiles).toContain("package/dist/config/data/vendor-limestonenetworks.yaml");
      expect(coreFiles).toContain("package/LICENSE");
      expect(coreFiles).toContain("package/README.md");
      expect(coreFiles).not.toMatch(/\.test\.|package\/src\//);
      const { stdout: cliFiles } = await run("tar", ["tzf", packed[3]!.packed.tarball]);
      expect(cliFiles.split("\n").filter((f) => !f.startsWith("package/dist/"))).toEqual(
        expect.arrayContaining(["package/bin/oaktree.js", "package/README.md", "package/LICENSE"]),
      );
      expect(cliFiles).not.toMatch(/source-condition|\.test\.|package\/src\//);

      // Installed with no network: third-party packages come from the npm cache `npm ci` filled.
      const repoLock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
      const { packageJson, lock } = offlineLock(repoLock, packed, tarballs);
      writeFileSync(join(project, "package.json"), JSON.stringify(packageJson, null, 2));
      writeFileSync(join(project, "package-lock.json"), JSON.stringify(lock, null, 2));
      await run("npm", ["ci", "--offline", "--no-audit", "--no-fund"], {
        cwd: project,
        env: userEnv,
        timeout: 60_000,
      });
      expect(existsSync(join(project, "node_modules", "tsx"))).toBe(false);

      // The README's example type-checks against the installed declarations (their own imports
      // checked too: skipLibCheck off) and runs as plain JavaScript.
      writeFileSync(join(project, "example.ts"), readmeExample());
      writeFileSync(
        join(project, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            target: "ES2022",
            module: "NodeNext",
            moduleResolution: "NodeNext",
            strict: true,
            skipLibCheck: false,
            outDir: "out",
            typeRoots: [join(root, "node_modules", "@types")],
            types: ["node"],
          },
          files: ["example.ts"],
        }),
      );
      await run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", project], {
        cwd: project,
        env: userEnv,
        timeout: 60_000,
      }).catch((error: { stdout?: string }) => {
        throw new Error(`tsc in the installed project failed:\n${error.stdout}`);
      });

      const bin = join(project, "node_modules", ".bin", "oaktree");
      const cliVersion = packed[3]!.packed.manifest.version;
      const { stdout: version } = await run("npx", ["--offline", "oaktree", "--version"], {
        cwd: project,
        env: userEnv,
        timeout: 30_000,
      });
      expect(version.trim()).toBe(cliVersion);

      // `oaktree sim` from the install serves the simulator the example then runs against.
      const cloudsYaml = join(dir, "clouds.yaml");
      sim = spawn(bin, ["sim", "--listen", "127.0.0.1:0", "--clouds-yaml", cloudsYaml], {
        cwd: project,
        env: userEnv,
        stdio: ["ignore", "pipe", "pipe"],
      });
      await waitForLine(sim, /listening on http:\/\/127\.0\.0\.1:\d+/, 30_000);
      const { stdout } = await run(process.execPath, [join(project, "out", "example.js")], {
        cwd: project,
        env: { ...userEnv, OS_CLIENT_CONFIG_FILE: cloudsYaml, OS_CLOUD: "sim" },
        timeout: 60_000,
      });
      expect(stdout).toMatch(/^ACTIVE \d+\.\d+\.\d+\.\d+ floating IP attached$/m);

      const exited = new Promise<number | null>((resolve) => sim?.once("exit", resolve));
      sim.kill("SIGTERM");
      expect(await exited).toBe(0);
      sim = undefined;
    } finally {
      sim?.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  }, 360_000);
});
