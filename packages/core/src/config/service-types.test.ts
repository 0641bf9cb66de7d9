import { describe, expect, it } from "vitest";
import { officialServiceType, SERVICE_TYPES } from "./service-types.js";

describe("officialServiceType", () => {
  it.each([
    ["volume", "block-storage"],
    ["volumev3", "block-storage"],
    ["block_storage", "block-storage"],
    ["Compute", "compute"],
    ["sharev2", "shared-file-system"],
    ["object_store", "object-store"],
    ["ec2", "ec2"],
    ["my_vendor_thing", "my-vendor-thing"],
  ])("%s is %s", (name, official) => {
    expect(officialServiceType(name)).toBe(official);
  });

  it("resolves every alias of the shipped authority data to an official type", () => {
    const official = new Set(SERVICE_TYPES.services.map((s) => s.service_type));
    for (const [alias, type] of Object.entries(SERVICE_TYPES.reverse)) {
      expect(officialServiceType(alias)).toBe(type);
      expect(official.has(type)).toBe(true);
    }
  });
});
