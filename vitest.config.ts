import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// The workspace packages export their src/*.ts under the "oaktree-source" condition and their
// built dist/ otherwise (docs/decisions/0019): tests run the sources, with no build step. Child
// processes that tests start with `node --import tsx` get the condition through NODE_OPTIONS.
const SOURCE_CONDITION = "oaktree-source";
if (!process.env.NODE_OPTIONS?.includes(`--conditions=${SOURCE_CONDITION}`)) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --conditions=${SOURCE_CONDITION}`.trim();
}

export default defineConfig({
  resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "test/**/*.test.ts", "packages/*/test/**/*.test.ts"],
    // The end-to-end suite shares one real cloud: its files run one after another (see test/e2e).
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
