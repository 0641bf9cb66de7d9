import { describe, expect, it } from "vitest";
import { waitForLease } from "./lease.js";
import { createMemoryBackend } from "./memory-backend.js";

describe("waitForLease", () => {
  it("takes a free lease at once and gives it back on release", async () => {
    const { leases } = createMemoryBackend();
    const release = await waitForLease(leases, "l", "a", {
      ttlMs: 1000,
      intervalMs: 5,
      deadline: Date.now() + 1000,
      onTimeout: () => new Error("timeout"),
    });
    expect(await leases.acquire("l", "b", 1000)).toBe(false);
    await release();
    expect(await leases.acquire("l", "b", 1000)).toBe(true);
  });

  it("waits while another owner holds it, then takes it", async () => {
    const { leases } = createMemoryBackend();
    await leases.acquire("l", "other", 1000);
    setTimeout(() => void leases.release("l", "other"), 30);
    const release = await waitForLease(leases, "l", "me", {
      ttlMs: 1000,
      intervalMs: 5,
      deadline: Date.now() + 2000,
      onTimeout: () => new Error("timeout"),
    });
    expect(await leases.acquire("l", "other", 1000)).toBe(false);
    await release();
  });

  it("throws the caller's error at the deadline and the signal's reason on abort", async () => {
    const { leases } = createMemoryBackend();
    await leases.acquire("l", "other", 10_000);
    const options = { ttlMs: 1000, intervalMs: 5, onTimeout: () => new Error("still locked") };
    await expect(waitForLease(leases, "l", "me", { ...options, deadline: Date.now() + 30 })).rejects.toThrow(
      "still locked",
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stop")), 20);
    await expect(
      waitForLease(leases, "l", "me", { ...options, deadline: Date.now() + 5000, signal: controller.signal }),
    ).rejects.toThrow("stop");
  });
});
