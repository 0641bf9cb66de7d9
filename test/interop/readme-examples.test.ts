/**
 * The README's grpcurl and curl lines, run against `serve()` on the simulator (the gRPC and the
 * HTTP listener of `oaktree serve`, on free ports of 127.0.0.1). Its Python example runs in
 * python.test.ts (it needs the generated stubs).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimServe, startSimServe } from "../../packages/server/src/testing/sim-serve.js";
import { readmeBlock } from "./readme.js";
import { ReflectionClient } from "./reflection-client.js";

const run = promisify(execFile);
const GRPCURL = ["/usr/local/bin/grpcurl", "/usr/bin/grpcurl"].find((path) => existsSync(path));

/** m1.small, m1.medium and m1.large: the simulator's flavors with more than 1024 MiB. */
const BIG_FLAVORS = ["m1.large", "m1.medium", "m1.small"];

let s: SimServe;
beforeAll(async () => {
  s = await startSimServe({ flags: { logLevel: "warn" } });
});
afterAll(async () => s?.close());

/** A README line with the documented default address replaced by the test server's. */
function onTestServer(line: string, documented: string, actual: string): string {
  expect(line).toContain(documented);
  return line.replaceAll(documented, actual);
}

describe("the README's command lines", () => {
  it("curl: ListFlavors as JSON over HTTP", async () => {
    const url = s.server.httpUrl;
    if (!url) throw new Error("serve() started no HTTP listener");
    const line = onTestServer(readmeBlock("curl"), "http://127.0.0.1:50052", url.replace(/\/$/, ""));
    const { stdout } = await run("bash", ["-c", line], { timeout: 30_000 });
    const answer = JSON.parse(stdout) as { flavors: { name: string; location: { cloud: string } }[] };
    expect(answer.flavors.map((flavor) => flavor.name)).toEqual(
      expect.arrayContaining(["m1.nano", "m1.tiny", ...BIG_FLAVORS]),
    );
    expect(answer.flavors[0]?.location.cloud).toBe("sim");
  });

  it(`grpcurl: ListFlavors with a JMESPath filter, through server reflection${GRPCURL ? "" : " (no grpcurl binary: the same call made through the reflection service with grpc-js)"}`, async () => {
    const line = onTestServer(readmeBlock("grpcurl"), "127.0.0.1:50051", s.server.grpcAddress);
    let answer: unknown;
    if (GRPCURL) {
      const { stdout } = await run("bash", ["-c", line.replace(/^grpcurl/, GRPCURL)], { timeout: 30_000 });
      answer = JSON.parse(stdout);
    } else {
      // grpcurl -plaintext -d 'JSON' HOST:PORT package.Service/Method
      const parsed = /-d '([^']*)'[\s\\]*(\S+:\d+)\s+(\S+\/\S+)\s*$/.exec(line.trim());
      if (!parsed) throw new Error(`cannot read the README's grpcurl line: ${line}`);
      const [, json = "", address = "", method = ""] = parsed;
      expect(address).toBe(s.server.grpcAddress);
      const client = new ReflectionClient(address);
      try {
        // `grpcurl list` sees oaktree.v1 and the 2017 service, without proto files.
        expect(await client.listServices()).toEqual(
          expect.arrayContaining(["oaktree.v1.FlavorService", "oaktree.v1.ServerService", "oaktree.Oaktree"]),
        );
        answer = await client.invoke(method, json);
      } finally {
        client.close();
      }
    }
    const flavors = (answer as { flavors: { name: string }[] }).flavors;
    expect(flavors.map((flavor) => flavor.name).sort()).toEqual(BIG_FLAVORS);
  });
});
