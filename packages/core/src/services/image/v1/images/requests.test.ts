import { describe, expect, it } from "vitest";
import { OaktreeError, ValidationError } from "../../../../errors.js";
import { collect } from "../../../../http/paginate.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import { createImageV1, deleteImageV1, getImageV1, listImagesV1, updateImageV1 } from "./requests.js";

// NOTE: glance v1 has no upstream samples in ../shared/fixtures; these payloads follow the
// v1 API reference (and what python-glanceclient's v1 reads).
const v1Image = (id: string) => ({
  id,
  name: "cirros",
  status: "active",
  is_public: true,
  disk_format: "qcow2",
  container_format: "bare",
  size: 13167616,
  checksum: "64d7c1cd2b6f60c92c14662941cb7913",
  min_disk: 0,
  min_ram: 0,
  owner: "p1",
  protected: false,
  created_at: "2014-05-05T17:15:10",
  updated_at: "2014-05-05T17:15:11",
  deleted: false,
  deleted_at: null,
  properties: { os_distro: "cirros" },
});
const v1 = { serviceType: "image", endpoint: "https://glance.example/v1", version: "1" };

describe("glance v1 images", () => {
  it("lists details page after page by marker", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/images/detail",
          query: { limit: 2, is_public: true },
          response: { images: [v1Image("a"), v1Image("b")] },
        },
        {
          method: "GET",
          path: "/images/detail",
          query: { limit: 2, is_public: true, marker: "b" },
          response: { images: [v1Image("c")] },
        },
      ],
      v1,
    );
    const images = await collect(listImagesV1(client, { limit: 2, isPublic: true }));
    expect(images.map((i) => i.id)).toEqual(["a", "b", "c"]);
    client.assertDone();
  });

  it("reads an image from the x-image-meta-* headers of HEAD", async () => {
    const client = scriptedClient(
      [
        {
          method: "HEAD",
          path: "/images/a",
          headers: {
            "x-image-meta-id": "a",
            "x-image-meta-name": "cirros",
            "x-image-meta-status": "active",
            "x-image-meta-is_public": "True",
            "x-image-meta-protected": "False",
            "x-image-meta-size": "13167616",
            "x-image-meta-min_ram": "64",
            "x-image-meta-disk_format": "qcow2",
            "x-image-meta-container_format": "bare",
            "x-image-meta-checksum": "64d7c1cd2b6f60c92c14662941cb7913",
            "x-image-meta-owner": "p1",
            "x-image-meta-created_at": "2014-05-05T17:15:10",
            "x-image-meta-updated_at": "2014-05-05T17:15:11",
            "x-image-meta-deleted": "False",
            "x-image-meta-property-os_distro": "cirros",
            "x-openstack-request-id": "req-1",
          },
        },
        { method: "HEAD", path: "/images/b" },
      ],
      v1,
    );
    expect(await getImageV1(client, "a")).toEqual({
      id: "a",
      name: "cirros",
      status: "active",
      is_public: true,
      protected: false,
      size: 13167616,
      min_disk: 0,
      min_ram: 64,
      disk_format: "qcow2",
      container_format: "bare",
      checksum: "64d7c1cd2b6f60c92c14662941cb7913",
      owner: "p1",
      created_at: "2014-05-05T17:15:10",
      updated_at: "2014-05-05T17:15:11",
      deleted: false,
      properties: { os_distro: "cirros" },
    });
    await expect(getImageV1(client, "b")).rejects.toThrow(OaktreeError);
  });

  it("creates with the data as body and metadata as headers, updates with headers, deletes", async () => {
    const client = scriptedClient(
      [
        { method: "POST", path: "/images", status: 201, response: { image: v1Image("a") } },
        { method: "PUT", path: "/images/a", response: { image: v1Image("a") } },
        { method: "DELETE", path: "/images/a" },
      ],
      v1,
    );
    const data = new Uint8Array([1, 2, 3]);
    await createImageV1(
      client,
      {
        name: "cirros",
        diskFormat: "qcow2",
        containerFormat: "bare",
        isPublic: false,
        properties: { os_distro: "cirros" },
      },
      data,
    );
    expect(client.calls[0]?.headers).toEqual({
      "x-image-meta-name": "cirros",
      "x-image-meta-disk_format": "qcow2",
      "x-image-meta-container_format": "bare",
      "x-image-meta-is_public": "False",
      "x-image-meta-property-os_distro": "cirros",
      "content-type": "application/octet-stream",
    });
    expect(client.calls[0]?.body).toEqual({
      kind: "bytes",
      value: data,
      contentType: "application/octet-stream",
    });
    await updateImageV1(client, "a", { minRam: 512, properties: { hw_disk_bus: "virtio" } });
    expect(client.calls[1]?.headers).toEqual({
      "x-image-meta-min_ram": "512",
      "x-image-meta-property-hw_disk_bus": "virtio",
      "x-glance-registry-purge-props": "false",
    });
    await deleteImageV1(client, "a");
    client.assertDone();
    await expect(updateImageV1(client, "a", {})).rejects.toThrow(ValidationError);
    await expect(createImageV1(client, { name: "x", properties: { "a b": "c" } })).rejects.toThrow(
      /^properties\.a b:/,
    );
  });
});
