import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import {
  bootMapping,
  CLIENT_TOKEN_METADATA_KEY,
  type CreateServerOptions,
  toWireOptions,
  validateCreateServerOptions,
} from "./create-server-options.js";

const base: CreateServerOptions = { name: "web", flavor: "m1.small", image: "cirros" };

describe("validateCreateServerOptions", () => {
  it.each([
    [{ name: " " }, "name"],
    [{ flavor: "" }, "flavor"],
    [{ image: undefined }, "image"],
    [{ bootFromVolume: true, volumeSize: 0 }, "volumeSize"],
    [{ bootFromVolume: true, volumeSize: 10, bootVolume: "v" }, "bootVolume"],
    [{ volumeSize: 10 }, "volumeSize"],
    [{ ips: ["203.0.113.5"], ipPool: "public" }, "ips"],
    [{ network: "private", nics: [{ port: "p" }] }, "nics"],
    [{ clientToken: "has space" }, "clientToken"],
    [{ timeoutMs: 0 }, "timeoutMs"],
  ] as const)("rejects %o naming %s", (change, field) => {
    const options = { ...base, ...change } as CreateServerOptions;
    expect(() => validateCreateServerOptions(options)).toThrow(ValidationError);
    expect(() => validateCreateServerOptions(options)).toThrow(new RegExp(`^${field}\\b`));
  });

  it("accepts a plain boot, a boot from a new volume and one from an existing volume", () => {
    expect(() => validateCreateServerOptions(base)).not.toThrow();
    expect(() => validateCreateServerOptions({ ...base, bootFromVolume: true, volumeSize: 8 })).not.toThrow();
    expect(() =>
      validateCreateServerOptions({ name: "web", flavor: "m1.small", bootVolume: "vol" }),
    ).not.toThrow();
  });
});

describe("toWireOptions", () => {
  it("puts the client token in metadata, the group in the hints and base64-encodes user data", () => {
    const wire = toWireOptions(
      {
        ...base,
        metadata: { role: "web" },
        clientToken: "tok-1",
        userData: "#!/bin/sh\necho hi\n",
        schedulerHints: { same_host: ["a"] },
        keyName: "k",
      },
      { flavorRef: "f1", imageRef: "i1", networks: [{ uuid: "n1" }], groupId: "g1" },
    );
    expect(wire).toEqual({
      name: "web",
      flavorRef: "f1",
      imageRef: "i1",
      networks: [{ uuid: "n1" }],
      keyName: "k",
      userData: Buffer.from("#!/bin/sh\necho hi\n").toString("base64"),
      metadata: { role: "web", [CLIENT_TOKEN_METADATA_KEY]: "tok-1" },
      schedulerHints: { same_host: ["a"], group: "g1" },
    });
  });

  it("leaves out what was not given and boots from a volume mapping", () => {
    const mapping = bootMapping("vol-1", true);
    expect(toWireOptions(base, { flavorRef: "f1", blockDeviceMappings: [mapping] })).toEqual({
      name: "web",
      flavorRef: "f1",
      blockDeviceMappings: [
        {
          bootIndex: 0,
          uuid: "vol-1",
          sourceType: "volume",
          destinationType: "volume",
          deleteOnTermination: true,
        },
      ],
    });
  });
});
