import { describe, expect, it } from "vitest";
import { imageFromHeaders } from "../services/image/v1/images/requests.js";
import type { ImageV1Wire } from "../services/image/v1/images/wire.js";
import type { ImageWire } from "../services/image/v2/images/wire.js";
import { fixture } from "../testing/fixtures.js";
import { type Image, normalizeImage, normalizeImageV1 } from "./image.js";
import type { NormalizeContext } from "./location.js";

const ctx: NormalizeContext = { cloud: "c", region: "r", project: { id: "p", name: "demo" } };

/** Every image in the glance v2 response samples. */
const SAMPLES = [
  "image/image-show-response.json",
  "image/image-create-response.json",
  "image/image-update-response.json",
  "image/image-details-deactivate-response.json",
  "image/images-list-response.json",
].flatMap((path) => {
  const body = fixture<ImageWire & { images?: ImageWire[] }>(path);
  return (body.images ?? [body]).map((image) => [path, image] as [string, ImageWire]);
});

describe("normalizeImage (v2) on every upstream sample", () => {
  it.each(SAMPLES)("%s", (_path, wire) => {
    const image = normalizeImage(wire, ctx);
    expect(image.id).toBe(wire.id);
    expect(image.status).toBe(wire.status);
    expect(image.location.project.id).toBe(wire.owner ?? "p");
    expect(image.properties).not.toHaveProperty("self");
    expect(image.properties).not.toHaveProperty("checksum");
  });

  it("image-show-response", () => {
    const wire = fixture<ImageWire>("image/image-show-response.json");
    const expected: Image = {
      location: { cloud: "c", region: "r", project: { id: "5ef70662f8b34079a6eddb8da9d75fe8" } },
      id: "1bea47ed-f6a9-463b-b423-14b9cca9ad27",
      name: "cirros-0.3.2-x86_64-disk",
      status: "active",
      visibility: "public",
      diskFormat: "qcow2",
      containerFormat: "bare",
      size: 13167616,
      checksum: "64d7c1cd2b6f60c92c14662941cb7913",
      hashAlgo: "sha512",
      hashValue:
        "073b4523583784fbe01daff81eba092a262ec37ba6d04dd3f52e4cd5c93eb8258af44881345ecda0e49f3d8cc6d2df6b050ff3e72681d723234aff9d17d0cf09",
      minDisk: 0,
      minRam: 0,
      owner: "5ef70662f8b34079a6eddb8da9d75fe8",
      protected: false,
      tags: [],
      createdAt: "2014-05-05T17:15:10Z",
      updatedAt: "2014-05-05T17:15:11Z",
      properties: { os_hidden: false },
    };
    expect(normalizeImage(wire, ctx)).toEqual(expected);
  });

  it("custom properties stay in properties; a queued image has no size", () => {
    const show = fixture<ImageWire>("image/image-show-response.json");
    const image = normalizeImage({ ...show, os_distro: "cirros", hw_disk_bus: "virtio" }, ctx);
    expect(image.properties).toEqual({ os_hidden: false, os_distro: "cirros", hw_disk_bus: "virtio" });
    const created = normalizeImage(fixture<ImageWire>("image/image-create-response.json"), ctx);
    expect([created.status, created.size, created.checksum]).toEqual(["queued", undefined, undefined]);
  });
});

describe("normalizeImageV1", () => {
  const v1: ImageV1Wire = {
    id: "a",
    name: "cirros",
    status: "active",
    is_public: true,
    disk_format: "qcow2",
    container_format: "bare",
    size: 13167616,
    checksum: "64d7c1cd2b6f60c92c14662941cb7913",
    min_disk: 1,
    min_ram: 64,
    owner: "p2",
    protected: false,
    created_at: "2014-05-05T17:15:10",
    updated_at: "2014-05-05T17:15:11",
    deleted: false,
    deleted_at: null,
    properties: { os_distro: "cirros" },
  };

  it("maps is_public to visibility and x-image-meta-property-* to properties", () => {
    expect(normalizeImageV1(v1, ctx)).toEqual({
      location: { cloud: "c", region: "r", project: { id: "p2" } },
      id: "a",
      name: "cirros",
      status: "active",
      visibility: "public",
      diskFormat: "qcow2",
      containerFormat: "bare",
      size: 13167616,
      checksum: "64d7c1cd2b6f60c92c14662941cb7913",
      minDisk: 1,
      minRam: 64,
      owner: "p2",
      protected: false,
      tags: [],
      createdAt: "2014-05-05T17:15:10Z",
      updatedAt: "2014-05-05T17:15:11Z",
      properties: { deleted: false, deleted_at: null, os_distro: "cirros" },
    } satisfies Image);
  });

  it("gives the same model from HEAD headers as from the JSON", () => {
    const headers = new Headers({
      "x-image-meta-id": "a",
      "x-image-meta-name": "cirros",
      "x-image-meta-status": "active",
      "x-image-meta-is_public": "False",
      "x-image-meta-size": "13167616",
      "x-image-meta-min_ram": "64",
      "x-image-meta-min_disk": "1",
      "x-image-meta-disk_format": "qcow2",
      "x-image-meta-container_format": "bare",
      "x-image-meta-checksum": "64d7c1cd2b6f60c92c14662941cb7913",
      "x-image-meta-owner": "p2",
      "x-image-meta-protected": "False",
      "x-image-meta-created_at": "2014-05-05T17:15:10",
      "x-image-meta-updated_at": "2014-05-05T17:15:11",
      "x-image-meta-deleted": "False",
      "x-image-meta-property-os_distro": "cirros",
    });
    const fromHead = normalizeImageV1(imageFromHeaders(headers), ctx);
    const fromJson = normalizeImageV1({ ...v1, is_public: false }, ctx);
    expect(fromHead).toEqual({ ...fromJson, properties: { deleted: false, os_distro: "cirros" } });
    expect(fromHead.visibility).toBe("private");
  });
});
