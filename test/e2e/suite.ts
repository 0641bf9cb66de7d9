import { afterAll, beforeAll } from "vitest";
import { type E2eCloud, e2eCloud, loginE2e } from "./harness.js";
import { type Snapshot, snapshotProject } from "./leak-check.js";
import type { RawSession } from "./raw-client.js";

/** What every end-to-end case gets: the cloud, raw sessions and the baseline of the member project. */
export interface SuiteContext {
  readonly e2e: E2eCloud;
  /** The member cloud, through the suite's own raw client (setup, cleanup, checks). */
  readonly member: RawSession;
  /** The admin cloud, when configured. */
  readonly admin: RawSession | undefined;
  /** What the member project held before the suite ran (for the leak check). */
  readonly baseline: Snapshot;
  /** Milliseconds since the suite started, for timing notes. */
  elapsed(): number;
}

/**
 * Registers the suite's beforeAll (login, baseline) and returns a getter for the context,
 * valid inside tests and hooks of the same describe block.
 */
export function useSuite(): () => SuiteContext {
  let ctx: SuiteContext | undefined;
  beforeAll(async () => {
    const e2e = e2eCloud();
    if (!e2e) throw new Error("e2e cloud vanished between collection and run");
    const t0 = Date.now();
    const member = await loginE2e("member");
    const admin = e2e.adminCloud ? await loginE2e("admin") : undefined;
    ctx = { e2e, member, admin, baseline: await snapshotProject(member), elapsed: () => Date.now() - t0 };
  });
  afterAll(() => {
    ctx = undefined;
  });
  return () => {
    if (!ctx) throw new Error("suite context used outside the e2e suite (or its beforeAll failed)");
    return ctx;
  };
}
