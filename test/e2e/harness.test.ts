import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Cleanup, e2eCloud, gateMode, requireComponent } from "./harness.js";

const dir = mkdtempSync(join(tmpdir(), "oaktree-harness-"));
const clouds = join(dir, "clouds.yaml");
writeFileSync(clouds, "clouds: {}\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("e2eCloud", () => {
  it("needs an explicit cloud name: OAKTREE_E2E_CLOUD, or OS_CLOUD with OAKTREE_E2E=1", () => {
    expect(e2eCloud({ OS_CLIENT_CONFIG_FILE: clouds, OS_CLOUD: "mine" })).toBeUndefined();
    expect(e2eCloud({ OS_CLIENT_CONFIG_FILE: clouds, OS_CLOUD: "mine", OAKTREE_E2E: "1" })).toEqual({
      configFile: clouds,
      cloud: "mine",
      adminCloud: undefined,
    });
    expect(
      e2eCloud({
        OS_CLIENT_CONFIG_FILE: clouds,
        OAKTREE_E2E_CLOUD: "devstack",
        OAKTREE_E2E_ADMIN_CLOUD: "adm",
      }),
    ).toEqual({ configFile: clouds, cloud: "devstack", adminCloud: "adm" });
  });

  it("is absent when OS_CLIENT_CONFIG_FILE names a file that does not exist", () => {
    expect(
      e2eCloud({ OS_CLIENT_CONFIG_FILE: join(dir, "nope.yaml"), OAKTREE_E2E_CLOUD: "x" }),
    ).toBeUndefined();
  });
});

describe("gateMode", () => {
  it("runs when available, skips by hand, fails under CI=true", () => {
    expect(gateMode(true, { CI: "true" })).toBe("run");
    expect(gateMode(false, {})).toBe("skip");
    expect(gateMode(false, { CI: "false" })).toBe("skip");
    expect(gateMode(false, { CI: "true" })).toBe("fail");
  });

  it("requireComponent treats a throwing check as missing", () => {
    const gate = requireComponent(
      "thing",
      () => {
        throw new Error("no");
      },
      "not here",
      {},
    );
    expect(gate.available).toBe(false);
  });
});

describe("Cleanup", () => {
  it("undoes newest first, runs every step, and reports all failures", async () => {
    const done: string[] = [];
    const c = new Cleanup();
    c.push("a", async () => done.push("a"));
    c.push("b", async () => {
      throw new Error("boom");
    });
    c.push("c", async () => done.push("c"));
    await expect(c.run()).rejects.toThrow(/cleanup failed:\nb: boom/);
    expect(done).toEqual(["c", "a"]);
    await c.run(); // nothing left to undo
  });
});
