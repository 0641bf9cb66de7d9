/**
 * Python interop (issue 9): clients generated at test time from proto/ with Debian's protoc and
 * gRPC Python plugin (DESIGN.md "Measured facts"), run by /usr/bin/python3 against oaktree's
 * gRPC listener on the simulator. Under CI=true the Debian packages must be installed (.ci/run
 * installs them); by hand without them, the file is skipped with the reason.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { requireComponent } from "../e2e/harness.js";
import { type InteropServer, startInteropServer } from "./interop-server.js";
import { readmeBlock } from "./readme.js";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const PYTHON = "/usr/bin/python3";
const PROTOC = "/usr/bin/protoc";
const GRPC_PYTHON_PLUGIN = "/usr/bin/grpc_python_plugin";
const PACKAGES = "protobuf-compiler protobuf-compiler-grpc libprotobuf-dev python3-grpcio python3-protobuf";

/** What is missing for the Python interop tests, or undefined when everything is there. */
async function missing(): Promise<string | undefined> {
  for (const path of [PYTHON, PROTOC, GRPC_PYTHON_PLUGIN, "/usr/include/google/protobuf/struct.proto"]) {
    if (!existsSync(path)) return `${path} not found`;
  }
  try {
    await run(PYTHON, ["-c", "import grpc, google.protobuf"], { timeout: 20_000 });
  } catch {
    return `${PYTHON} cannot import grpc and google.protobuf`;
  }
  return undefined;
}

const absent = await missing();
const interop = requireComponent(
  "python-interop",
  () => absent === undefined,
  `${absent} (apt-get install ${PACKAGES}; .ci/run installs them)`,
);

/** Python stubs for every .proto under `protoRoot` (relative names, as the imports say), into `out`. */
async function generatePython(protoRoot: string, out: string, extraIncludes: string[] = []): Promise<void> {
  const files = protoFiles(protoRoot);
  mkdirSync(out, { recursive: true });
  await run(
    PROTOC,
    [
      `-I${protoRoot}`,
      ...extraIncludes.map((include) => `-I${include}`),
      `--python_out=${out}`,
      `--grpc_python_out=${out}`,
      `--plugin=protoc-gen-grpc_python=${GRPC_PYTHON_PLUGIN}`,
      ...files,
    ],
    { cwd: protoRoot, timeout: 60_000 },
  );
}

function protoFiles(root: string, under = ""): string[] {
  return readdirSync(join(root, under), { withFileTypes: true }).flatMap((entry) => {
    const path = under ? `${under}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return path === "oaktreemodel" ? [] : protoFiles(root, path);
    return entry.name.endsWith(".proto") ? [path] : [];
  });
}

/** Runs a committed script of test/interop with /usr/bin/python3; its last stdout line is JSON. */
async function python<T>(script: string, ...args: string[]): Promise<T> {
  const { stdout } = await run(PYTHON, [join(ROOT, "test/interop", script), ...args], {
    // Debian's python3, with Debian's grpcio and protobuf (no user site, no pyenv).
    env: { PATH: "/usr/bin:/bin", PYTHONNOUSERSITE: "1", PYTHONDONTWRITEBYTECODE: "1" },
    timeout: 90_000,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "null") as T;
}

interop.describe("Python clients generated from proto/ by Debian's protoc", () => {
  let dir: string;
  let server: InteropServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "oaktree-python-"));
    await Promise.all([
      generatePython(join(ROOT, "proto"), join(dir, "v1"), ["/usr/include"]),
      generatePython(join(ROOT, "proto/oaktreemodel"), join(dir, "legacy")),
    ]);
    server = await startInteropServer();
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("boots a server with wait, reads the events to the ready server, watches its deletion, and gets NOT_FOUND for a missing one", async () => {
    interface Report {
      create_events: { stage: string; cloud_status: string }[];
      server: {
        id: string;
        name: string;
        status: string;
        interface_ip: string;
        floating_ip: string;
        cloud: string;
      };
      delete_events: string[];
      watch_last: string;
      watch_resume_token: boolean;
      missing: { code: string; details?: string };
    }
    const report = await python<Report>(
      "server_lifecycle.py",
      server.grpcAddress,
      join(dir, "v1"),
      server.image,
      server.flavor,
    );
    const stages = report.create_events.map((event) => event.stage);
    expect(stages[0]).toBe("STAGE_ACCEPTED");
    expect(stages).toContain("STAGE_BUILDING");
    expect(stages.at(-1)).toBe("STAGE_DONE");
    expect(report.server).toMatchObject({ name: "py-interop", status: "ACTIVE", cloud: "sim" });
    expect(report.server.interface_ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(report.server.floating_ip).toBe(report.server.interface_ip);
    expect(report.delete_events.at(-1)).toBe("STAGE_DONE");
    expect(report.watch_last).toBe("EVENT_TYPE_DELETED");
    expect(report.watch_resume_token).toBe(true);
    expect(report.missing.code).toBe("NOT_FOUND");
    expect(report.missing.details).toContain("no-such-server");
    // Nothing left behind on the cloud: the server and its floating IP are gone.
    expect(await server.leftovers()).toEqual({ servers: 0, floatingIps: 0 });
  }, 120_000);

  it("a client generated from the 2017 oaktreemodel protos lists flavors and images through the legacy service", async () => {
    interface Report {
      flavors: { name: string; ram: number; vcpus: number; cloud: string }[];
      one_vcpu: string[];
      images: { name: string; status: string; is_public: boolean }[];
      missing_flavor: string;
    }
    const report = await python<Report>("legacy_client.py", server.grpcAddress, join(dir, "legacy"));
    expect(report.flavors).toContainEqual({ name: server.flavor, ram: 512, vcpus: 1, cloud: "sim" });
    expect(report.one_vcpu).toEqual(["m1.micro", "m1.nano", "m1.small", "m1.tiny"]);
    expect(report.images).toContainEqual({ name: server.image, status: "active", is_public: true });
    expect(report.missing_flavor).toBe("NOT_FOUND");
  }, 120_000);

  it("the README's Python example, on stubs made by its protoc line, boots a server and prints the streamed progress", async () => {
    const out = join(dir, "readme");
    mkdirSync(out);
    // The README's protoc line, run from the repository's root, writing into `out`.
    const protoc = readmeBlock("python-stubs").replace(
      "--python_out=. --grpc_python_out=.",
      `--python_out=${out} --grpc_python_out=${out}`,
    );
    expect(protoc).toContain(out);
    await run("bash", ["-c", protoc], { cwd: ROOT, timeout: 60_000 });
    const example = readmeBlock("python");
    expect(example).toContain('"127.0.0.1:50051"');
    const script = join(out, "readme_example.py");
    writeFileSync(script, example.replace('"127.0.0.1:50051"', JSON.stringify(server.grpcAddress)));
    try {
      const { stdout } = await run(PYTHON, [script], {
        cwd: out,
        env: { PATH: "/usr/bin:/bin", PYTHONNOUSERSITE: "1", PYTHONDONTWRITEBYTECODE: "1" },
        timeout: 90_000,
      });
      const lines = stdout.trim().split("\n");
      expect(lines[0]).toMatch(/^STAGE_ACCEPTED /);
      expect(lines).toContainEqual(expect.stringMatching(/^STAGE_BUILDING /));
      expect(lines.at(-1)).toMatch(/^STAGE_DONE ACTIVE \d+\.\d+\.\d+\.\d+$/);
    } finally {
      await server.deleteServer("web-1");
    }
  }, 120_000);
});
