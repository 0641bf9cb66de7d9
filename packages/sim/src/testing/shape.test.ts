import { describe, expect, it } from "vitest";
import { shapeDiff } from "./shape.js";

const sample = {
  server: { id: "a", name: "n", tags: ["t"], volumes: [{ id: "v" }], metadata: { k: "v" } },
};
/** The sample's metadata is a free-form map (its keys are data): checked only as an object. */
const MAP = ["server.metadata.*", "servers[].metadata.*"];

describe("shapeDiff", () => {
  it("passes an answer with the sample's keys and types", () => {
    const answer = { server: { id: "b", name: "m", tags: ["x", "y"], volumes: [{ id: "w" }], metadata: {} } };
    expect(shapeDiff(sample, answer, MAP)).toEqual([]);
  });

  it("reports keys the sample lacks, and keys the answer lacks", () => {
    const answer = {
      server: { id: "b", tags: ["x"], volumes: [{ id: "w", extra: 1 }], metadata: {}, more: 2 },
    };
    expect(shapeDiff(sample, answer, MAP)).toEqual([
      "server.name: missing",
      "server.volumes[].extra: not in the sample",
      "server.more: not in the sample",
    ]);
  });

  it("reports an empty array where the sample has items (their shape would go unchecked)", () => {
    const answer = { server: { id: "b", name: "m", tags: [], volumes: [], metadata: {} } };
    expect(shapeDiff(sample, answer, MAP)).toEqual([
      "server.tags: empty, the sample has items",
      "server.volumes: empty, the sample has items",
    ]);
  });

  it("counts an array inside list items as empty only when every item has it empty", () => {
    const list = { servers: [sample.server] };
    const item = (tags: string[]) => ({ id: "b", name: "m", tags, volumes: [{ id: "w" }], metadata: {} });
    expect(shapeDiff(list, { servers: [item([]), item(["x"])] }, MAP)).toEqual([]);
    expect(shapeDiff(list, { servers: [item([]), item([])] }, MAP)).toEqual([
      "servers[].tags: empty, the sample has items",
    ]);
  });

  it("skips ignored paths and checks free-form maps only as objects", () => {
    const answer = { server: { id: "b", name: "m", tags: [], volumes: [{ id: "w" }], metadata: { any: 1 } } };
    expect(shapeDiff(sample, answer, ["server.tags", "server.metadata.*"])).toEqual([]);
  });
});
