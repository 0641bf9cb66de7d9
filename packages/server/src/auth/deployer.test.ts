import { create } from "@bufbuild/protobuf";
import { Code, type ConnectError } from "@connectrpc/connect";
import type { TokenInfo } from "@oaktree/core";
import { describe, expect, it } from "vitest";
import { type Location, LocationSchema } from "../gen/oaktree/v1/location_pb.js";
import { LocationSchema as LegacyLocationSchema } from "../gen-legacy/common_pb.js";
import { checkProject } from "./deployer.js";

const token = {
  token: "t",
  project: { id: "p1", name: "demo", domainId: "default", domainName: "Default" },
} as TokenInfo;

function verdict(location: unknown): Code | "ok" {
  try {
    checkProject(location as Location, token);
    return "ok";
  } catch (error) {
    return (error as ConnectError).code;
  }
}

describe("checkProject", () => {
  it("lets an empty project or the token's own (by id, name, domain) through; another is PERMISSION_DENIED", () => {
    expect(verdict(create(LocationSchema, {}))).toBe("ok");
    expect(verdict(create(LocationSchema, { project: {} }))).toBe("ok");
    expect(verdict(create(LocationSchema, { project: { id: "p1", domainName: "Default" } }))).toBe("ok");
    expect(verdict(create(LocationSchema, { project: { name: "demo" } }))).toBe("ok");
    expect(verdict(create(LocationSchema, { project: { id: "p2" } }))).toBe(Code.PermissionDenied);
    expect(verdict(create(LocationSchema, { project: { name: "other" } }))).toBe(Code.PermissionDenied);
    expect(verdict(create(LocationSchema, { project: { domainId: "d2" } }))).toBe(Code.PermissionDenied);
  });

  it("reads the 2017 API's oneofs the same way", () => {
    const legacy = (project: object) => create(LegacyLocationSchema, { project });
    expect(verdict(legacy({}))).toBe("ok");
    expect(verdict(legacy({ project: { case: "id", value: "p1" } }))).toBe("ok");
    expect(verdict(legacy({ project: { case: "name", value: "demo" } }))).toBe("ok");
    expect(verdict(legacy({ project: { case: "name", value: "other" } }))).toBe(Code.PermissionDenied);
    expect(verdict(legacy({ domain: { case: "domainId", value: "d2" } }))).toBe(Code.PermissionDenied);
  });
});
