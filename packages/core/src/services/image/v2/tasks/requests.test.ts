import { describe, expect, it } from "vitest";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import { createImportTask, getTask } from "./requests.js";

describe("glance v2 tasks", () => {
  it("creates an import task with the upstream body and reads its states", async () => {
    const client = scriptedClient(
      [
        {
          method: "POST",
          path: "/tasks",
          json: fixture("image/task-create-request.json"),
          status: 201,
          response: fixture("image/task-create-response.json"),
        },
        { method: "GET", path: "/tasks/t1", response: fixture("image/task-show-success-response.json") },
        { method: "GET", path: "/tasks/t1", response: fixture("image/task-show-failure-response.json") },
      ],
      { serviceType: "image", version: "2" },
    );
    const task = await createImportTask(client, {
      importFrom: "http://app-catalog.openstack.example.org/groovy-image",
      importFromFormat: "qcow2",
      imageProperties: { disk_format: "vhd", container_format: "ovf" },
    });
    expect(task.status).toBe("pending");
    expect((await getTask(client, "t1")).result).toHaveProperty("image_id");
    expect((await getTask(client, "t1")).status).toBe("failure");
    client.assertDone();
    await expect(
      createImportTask(client, { importFrom: "", importFromFormat: "raw", imageProperties: {} }),
    ).rejects.toThrow(/^importFrom:/);
  });
});
