import { describe, expect, it } from "vitest";
import { Rollback } from "./rollback.js";

describe("Rollback", () => {
  it("undoes in reverse order and reports what it could not undo", async () => {
    const order: string[] = [];
    const rollback = new Rollback();
    rollback.add("volume v1", async () => void order.push("volume"));
    rollback.add("port p1", async () => {
      order.push("port");
      throw new Error("boom");
    });
    rollback.add("floating IP f1", async () => void order.push("fip"));
    const failures = await rollback.run();
    expect(order).toEqual(["fip", "port", "volume"]);
    expect(failures.map((failure) => failure.what)).toEqual(["port p1"]);
  });

  it("with timeoutMs returns in time, naming the undo still running and the ones after it", async () => {
    const rollback = new Rollback();
    let aborted = false;
    rollback.add("server s1", async () => {});
    rollback.add("floating IP f1", (signal) => {
      signal.addEventListener("abort", () => {
        aborted = true;
      });
      return new Promise(() => {});
    });
    const started = Date.now();
    const failures = await rollback.run({ timeoutMs: 50 });
    expect(Date.now() - started).toBeLessThan(500);
    expect(failures.map((failure) => failure.what)).toEqual(["floating IP f1", "server s1"]);
    expect(String(failures[0]!.error)).toMatch(/may still exist/);
    expect(aborted).toBe(true);
  });

  it("keeps everything after commit", async () => {
    const rollback = new Rollback();
    let undone = false;
    rollback.add("server s1", async () => {
      undone = true;
    });
    rollback.commit();
    expect(await rollback.run()).toEqual([]);
    expect(undone).toBe(false);
    expect(() => rollback.add("late", async () => {})).toThrow("rollback already finished");
  });
});
