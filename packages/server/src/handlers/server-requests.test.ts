import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { CreateServerRequestSchema } from "../gen/oaktree/v1/server_pb.js";
import { timeoutOf, toCreateServerOptions } from "./server-requests.js";

const base = { name: "web", image: "cirros", flavor: "m1.tiny" };

describe("toCreateServerOptions", () => {
  it("leaves unset optional fields unset, so that core's defaults apply", () => {
    const options = toCreateServerOptions(create(CreateServerRequestSchema, base));
    expect(options).toEqual({ name: "web", image: "cirros", flavor: "m1.tiny" });
    expect("autoIp" in options || "wait" in options || "reuseIps" in options).toBe(false);
  });

  it("passes an explicit false through", () => {
    const options = toCreateServerOptions(
      create(CreateServerRequestSchema, { ...base, autoIp: false, wait: false, reuseIps: false }),
    );
    expect(options).toMatchObject({ autoIp: false, wait: false, reuseIps: false });
  });

  it.each([
    [["auto"], "auto"],
    [["none"], "none"],
    [
      ["private", "storage"],
      ["private", "storage"],
    ],
  ])("networks %j -> network %j", (networks, network) => {
    expect(toCreateServerOptions(create(CreateServerRequestSchema, { ...base, networks })).network).toEqual(
      network,
    );
  });

  it("maps boot from volume, nics, user data and the client token", () => {
    const userData = new TextEncoder().encode("#cloud-config");
    const options = toCreateServerOptions(
      create(CreateServerRequestSchema, {
        ...base,
        bootFromVolume: true,
        volumeSize: 10,
        nics: [{ port: "p1" }, { network: "n", fixedIp: "10.0.0.5" }],
        userData,
        clientToken: "tok",
      }),
    );
    expect(options).toMatchObject({
      bootFromVolume: true,
      volumeSize: 10,
      nics: [{ port: "p1" }, { network: "n", fixedIp: "10.0.0.5" }],
      userData,
      clientToken: "tok",
    });
  });
});

describe("timeoutOf", () => {
  it("is timeout_seconds, bounded by the call's deadline", () => {
    expect(timeoutOf(0, undefined)).toBeUndefined();
    expect(timeoutOf(30, undefined)).toBe(30_000);
    expect(timeoutOf(0, 5000)).toBe(5000);
    expect(timeoutOf(30, 5000)).toBe(5000);
    expect(timeoutOf(3, 5000)).toBe(3000);
    expect(timeoutOf(3, -10)).toBe(1);
  });
});
