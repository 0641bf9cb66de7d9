import type { FloatingIp } from "@oaktree/core/models/floating-ip.js";
import type { Image } from "@oaktree/core/models/image.js";
import { describe, expect, it } from "vitest";
import { FloatingIP_Status } from "../gen-legacy/floating_ip_pb.js";
import {
  ContainerFormat_ContainerFormatChoice,
  DiskFormat_DiskFormatChoice,
  Image_Status,
} from "../gen-legacy/image_pb.js";
import { legacyFloatingIp, legacyImage, legacyLocation } from "./convert.js";

const location = { cloud: "c", region: "r", project: { name: "demo", domainId: "default" } };

const image: Image = {
  location,
  id: "i1",
  name: "img",
  status: "active",
  visibility: "public",
  diskFormat: "raw",
  containerFormat: "bare",
  size: 5_000_000_000,
  minDisk: 1,
  minRam: 64,
  protected: false,
  tags: ["a"],
  properties: {
    locations: [{ url: "file:///x", metadata: {} }],
    direct_url: "file:///x",
    os_distro: "cirros",
  },
};

describe("the 2017 messages", () => {
  it("fill Location's oneofs with whatever the model knows (id wins over name)", () => {
    const legacy = legacyLocation(location);
    expect(legacy.project?.project).toEqual({ case: "name", value: "demo" });
    expect(legacy.project?.domain).toEqual({ case: "domainId", value: "default" });
    const byId = legacyLocation({ ...location, project: { id: "p1", name: "demo" } });
    expect(byId.project?.project).toEqual({ case: "id", value: "p1" });
    expect(byId.project?.domain.case).toBeUndefined();
  });

  it("map an image's formats and status to the 2017 enums, sizes as 64-bit, locations as URLs", () => {
    const legacy = legacyImage(image);
    expect(legacy.diskFormat).toBe(DiskFormat_DiskFormatChoice.raw);
    expect(legacy.containerFormat).toBe(ContainerFormat_ContainerFormatChoice.bare);
    expect(legacy.status).toBe(Image_Status.active);
    expect(legacy.size).toBe(5_000_000_000n);
    expect(legacy.isPublic).toBe(true);
    expect(legacy.locations).toEqual(["file:///x"]);
    expect(legacy.directUrl).toBe("file:///x");
    expect(legacy.properties).toEqual({ os_distro: "cirros", visibility: "public" });
  });

  it("keep in properties what an enum cannot name (its zero value is a real value)", () => {
    const legacy = legacyImage({
      ...image,
      status: "importing",
      diskFormat: "ploop",
      containerFormat: "compressed",
    });
    expect(legacy.status).toBe(Image_Status.saving);
    expect(legacy.properties.status).toBe("importing");
    expect(legacy.diskFormat).toBe(DiskFormat_DiskFormatChoice.qcow2);
    expect(legacy.properties.disk_format).toBe("ploop");
    expect(legacy.properties.container_format).toBe("compressed");
  });

  it("give nova-network's status-less floating IPs neutron's: active when attached, else down", () => {
    const ip: FloatingIp = {
      location,
      id: "f1",
      floatingIpAddress: "203.0.113.5",
      networkId: "public",
      status: "UNKNOWN",
      attached: true,
      tags: [],
      properties: {},
    };
    expect(legacyFloatingIp(ip).status).toBe(FloatingIP_Status.active);
    expect(legacyFloatingIp({ ...ip, attached: false }).status).toBe(FloatingIP_Status.down);
    expect(legacyFloatingIp(ip).properties.status).toBe("UNKNOWN");
    expect(legacyFloatingIp({ ...ip, status: "ERROR" }).status).toBe(FloatingIP_Status.error);
  });
});
