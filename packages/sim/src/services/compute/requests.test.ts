import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../simulator.js";
import { login, type TestClient } from "../../testing/client.js";
import { MAX_USER_DATA_LENGTH } from "./request-schemas.js";

// biome-ignore lint/suspicious/noExplicitAny: loosely typed access to response JSON in assertions
type J = Record<string, any>;

let sim: Simulator;
let demo: TestClient;
let image: string;

beforeAll(async () => {
  sim = await startSimulator({ profile: "kilo", buildDelayMs: 0, deleteDelayMs: 0 });
  demo = await login(sim);
  image = sim.admin.state.world.images.all()[0]!.id;
});
afterAll(() => sim.stop());

const create = (server: J, mv?: string, base = "/compute/v2.1") =>
  demo.call(
    "POST",
    `${base}/servers`,
    { server: { name: "ok", imageRef: image, flavorRef: "1", ...server } },
    mv ? { "OpenStack-API-Version": `compute ${mv}` } : {},
  );

/** The status and nova's `badRequest.message` of an answer. */
async function answer(res: Promise<{ status: number; body: unknown }>): Promise<[number, string]> {
  const r = await res;
  return [r.status, (r.body as J).badRequest?.message ?? ""];
}

describe("nova's request schemas", () => {
  it("a 300-character server name is 400 as in nova; 255 characters are accepted", async () => {
    const [status, message] = await answer(create({ name: "x".repeat(300) }));
    expect(status).toBe(400);
    expect(message).toMatch(/^Invalid input for field\/attribute name\. .* is too long$/);
    expect((await create({ name: "y".repeat(255) })).status).toBe(202);
  });

  it("a name with leading white space is 400 on v2.1 and accepted on the legacy v2 endpoint", async () => {
    expect((await answer(create({ name: " padded" })))[0]).toBe(400);
    expect((await answer(create({ name: "" })))[0]).toBe(400);
    expect((await answer(create({ name: 42 })))[1]).toContain("42 is not of type 'string'");
    const legacy = await create({ name: " padded" }, undefined, `/compute/v2/${demo.projectId}`);
    expect(legacy.status).toBe(202);
  });

  it("a renamed server follows the same name rules", async () => {
    const id = ((await create({})).body as J).server.id as string;
    const put = (name: unknown) => demo.call("PUT", `/compute/v2.1/servers/${id}`, { server: { name } });
    expect((await put("z".repeat(256))).status).toBe(400);
    expect((await put("renamed")).status).toBe(200);
  });

  it("non-string metadata values are 400 naming the key, as in nova", async () => {
    const [status, message] = await answer(create({ metadata: { size: 3 } }));
    expect(status).toBe(400);
    expect(message).toBe("Invalid input for field/attribute size. Value: 3. 3 is not of type 'string'");
    expect((await answer(create({ metadata: { flag: true } })))[0]).toBe(400);
    expect((await answer(create({ metadata: { nested: { a: "b" } } })))[0]).toBe(400);
  });

  it("metadata keys and values longer than 255 characters, or keys outside nova's pattern, are 400", async () => {
    expect((await answer(create({ metadata: { k: "v".repeat(256) } })))[0]).toBe(400);
    expect((await answer(create({ metadata: { ["k".repeat(256)]: "v" } })))[0]).toBe(400);
    const [status, message] = await answer(create({ metadata: { "bad/key": "v" } }));
    expect(status).toBe(400);
    expect(message).toContain("'bad/key' does not match any of the regexes");
    expect((await create({ metadata: { "a-b_c:d. e": "v".repeat(255) } })).status).toBe(202);
  });

  it("the metadata routes and rebuild apply the same metadata rules", async () => {
    const id = ((await create({})).body as J).server.id as string;
    const md = (method: string, metadata: unknown) =>
      demo.call(method, `/compute/v2.1/servers/${id}/metadata`, { metadata });
    expect((await md("PUT", { n: 1 })).status).toBe(400);
    expect((await md("POST", { n: null })).status).toBe(400);
    expect((await md("POST", { n: "1" })).status).toBe(200);
    const one = await demo.call("PUT", `/compute/v2.1/servers/${id}/metadata/n`, { meta: { n: 2 } });
    expect(one.status).toBe(400);
    const rebuild = await demo.call("POST", `/compute/v2.1/servers/${id}/action`, {
      rebuild: { imageRef: image, metadata: { n: 2 } },
    });
    expect(rebuild.status).toBe(400);
  });

  it("user_data over 65535 characters is 400; null is 400 on v2.1 and accepted on legacy v2", async () => {
    const big = "A".repeat(MAX_USER_DATA_LENGTH + 4);
    const [status, message] = await answer(create({ user_data: big }));
    expect(status).toBe(400);
    expect(message).toContain("user_data");
    expect((await create({ user_data: "A".repeat(MAX_USER_DATA_LENGTH - 3) })).status).toBe(202);
    expect((await create({ user_data: null })).status).toBe(400);
    expect((await create({ user_data: null }, undefined, `/compute/v2/${demo.projectId}`)).status).toBe(202);
  });

  it("description is unknown before 2.19 and limited to 255 characters from 2.19", async () => {
    const [status, message] = await answer(create({ description: "d" }, "2.12"));
    expect(status).toBe(400);
    expect(message).toContain("'description' was unexpected");
    const modern = await startSimulator({ profile: "modern", buildDelayMs: 0, deleteDelayMs: 0 });
    try {
      const m = await login(modern);
      const img = modern.admin.state.world.images.all()[0]!.id;
      const post = (description: unknown) =>
        m.call(
          "POST",
          "/compute/v2.1/servers",
          { server: { name: "d", imageRef: img, flavorRef: "1", description } },
          { "OpenStack-API-Version": "compute 2.19" },
        );
      expect((await post("d".repeat(256))).status).toBe(400);
      expect((await post(7)).status).toBe(400);
      const ok = await post("a description");
      expect(ok.status).toBe(202);
    } finally {
      await modern.stop();
    }
  });
});

describe("nova's additionalProperties: False", () => {
  it("an unknown key in a server create is 400 naming it on v2.1, and dropped on the legacy v2 endpoint", async () => {
    const [status, message] = await answer(create({ flavourRef: "1" }));
    expect(status).toBe(400);
    expect(message).toBe("Additional properties are not allowed ('flavourRef' was unexpected)");
    expect((await create({ flavourRef: "1" }, undefined, `/compute/v2/${demo.projectId}`)).status).toBe(202);
  });

  it("keys come and go with the microversion: tags from 2.52, personality until 2.57", async () => {
    expect((await answer(create({ tags: ["a"] }, "2.12")))[1]).toContain("'tags' was unexpected");
    const modern = await startSimulator({ profile: "modern", buildDelayMs: 0, deleteDelayMs: 0 });
    try {
      const m = await login(modern);
      const img = modern.admin.state.world.images.all()[0]!.id;
      const post = (server: J, mv: string) =>
        m.call(
          "POST",
          "/compute/v2.1/servers",
          { server: { name: "k", imageRef: img, flavorRef: "1", networks: "none", ...server } },
          { "OpenStack-API-Version": `compute ${mv}` },
        );
      expect((await post({ tags: ["a"] }, "2.52")).status).toBe(202);
      expect((await post({ personality: [] }, "2.56")).status).toBe(202);
      expect((await post({ personality: [] }, "2.57")).status).toBe(400);
    } finally {
      await modern.stop();
    }
  });

  it('a key beside "server" other than the scheduler hints is 400; nova\'s boolean strings are taken', async () => {
    const top = await demo.call("POST", "/compute/v2.1/servers", {
      server: { name: "t", imageRef: image, flavorRef: "1" },
      return_reservation_id: true,
    });
    expect(top.status).toBe(400);
    const inside = await create({ return_reservation_id: "True" });
    expect(inside.status).toBe(202);
    expect((inside.body as J).reservation_id).toMatch(/^r-/);
  });

  it("server update and rebuild refuse keys their schemas lack", async () => {
    const id = ((await create({})).body as J).server.id as string;
    const put = await demo.call("PUT", `/compute/v2.1/servers/${id}`, { server: { metadata: { a: "b" } } });
    expect(put.status).toBe(400);
    const rebuild = await demo.call("POST", `/compute/v2.1/servers/${id}/action`, {
      rebuild: { imageRef: image, flavorRef: "2" },
    });
    expect(rebuild.status).toBe(400);
  });
});

describe("nova's GET /extensions", () => {
  it("the legacy v2 endpoint lists the v2.1 extensions plus OS-EXT-VIF-NET, sorted by alias", async () => {
    const v21 = ((await demo.call("GET", "/compute/v2.1/extensions")).body as J).extensions as J[];
    const res = await demo.call("GET", `/compute/v2/${demo.projectId}/extensions`);
    expect(res.status).toBe(200);
    const legacy = ((res.body as J).extensions as J[]).map((e) => e.alias as string);
    expect(legacy).toHaveLength(v21.length + 1);
    expect(legacy).toContain("OS-EXT-VIF-NET");
    expect(legacy).toEqual([...legacy].sort((a, b) => (a < b ? -1 : 1)));
    expect(legacy.indexOf("OS-EXT-VIF-NET")).toBe(legacy.indexOf("OS-EXT-STS") + 1);
    expect(v21.map((e) => e.alias)).not.toContain("OS-EXT-VIF-NET");
  });
});
