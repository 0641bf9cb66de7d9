import { describe, expect, it } from "vitest";
import { OaktreeError } from "../errors.js";
import { parseV2Access } from "./v2.js";

describe("parseV2Access", () => {
  it("reads the token, its zone-less UTC expiry and the tenant", () => {
    const info = parseV2Access(
      {
        access: {
          token: { id: "tok", expires: "2014-01-31T15:30:58", tenant: { id: "t1", name: "demo" } },
          user: { id: "u1", name: "alice", roles: [{ name: "member" }] },
          serviceCatalog: [],
        },
      },
      "https://keystone.example/v2.0",
      new Date("2014-01-31T14:30:58Z"),
    );
    expect(info.token).toBe("tok");
    expect(info.expiresAt?.toISOString()).toBe("2014-01-31T15:30:58.000Z");
    expect(info.project).toEqual({ id: "t1", name: "demo" });
  });

  it("fails as the cloud's fault (an OaktreeError) when keystone sends no token id", () => {
    const parse = () => parseV2Access({ access: {} }, "https://keystone.example/v2.0", new Date());
    expect(parse).toThrow(OaktreeError);
    expect(parse).toThrow("no access.token.id");
  });
});
