import { describe, expect, it } from "vitest";
import {
  aliasesOf,
  aliasMajorVersion,
  candidateTypes,
  isOfficialType,
  officialType,
} from "./service-types.js";

describe("service types authority data", () => {
  it.each([
    ["volumev3", "block-storage"],
    ["volumev2", "block-storage"],
    ["volume", "block-storage"],
    ["block-store", "block-storage"],
    ["block_storage", "block-storage"],
    ["compute", "compute"],
    ["image", "image"],
    ["network", "network"],
    ["object-store", "object-store"],
    ["identity", "identity"],
    ["placement", "placement"],
    ["sharev2", "shared-file-system"],
    ["ec2", "ec2"],
  ])("%s is %s", (alias, official) => {
    expect(officialType(alias)).toBe(official);
  });

  it("lists block-storage's aliases newest first, as the data does", () => {
    expect(aliasesOf("block-storage")).toEqual(["volumev3", "volumev2", "volume", "block-store"]);
    expect(aliasesOf("volume")).toEqual(["volumev3", "volumev2", "volume", "block-store"]);
    expect(aliasesOf("compute")).toEqual([]);
    expect(isOfficialType("compute")).toBe(true);
    expect(isOfficialType("volumev3")).toBe(false);
  });

  it("reads the major version an alias names", () => {
    expect(aliasMajorVersion("volumev3")).toBe(3);
    expect(aliasMajorVersion("workflowv2")).toBe(2);
    expect(aliasMajorVersion("volume")).toBeUndefined();
    expect(aliasMajorVersion("compute")).toBeUndefined();
  });

  it("orders candidate types: official, aliases of the wanted version, the rest", () => {
    expect(candidateTypes("block-storage")).toEqual([
      "block-storage",
      "volumev3",
      "volumev2",
      "volume",
      "block-store",
    ]);
    expect(candidateTypes("block-storage", 2)).toEqual([
      "block-storage",
      "volumev2",
      "volumev3",
      "volume",
      "block-store",
    ]);
    expect(candidateTypes("volume", 3)[0]).toBe("block-storage");
    expect(candidateTypes("compute")).toEqual(["compute"]);
    expect(candidateTypes("ec2")).toEqual(["ec2"]);
  });
});
