import { describe, expect, it } from "vitest";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import { addTag, listTags, removeAllTags, removeTag, replaceTags } from "./requests.js";
import type { TaggableResource } from "./urls.js";

const init = { serviceType: "network", endpoint: "https://net.example/v2.0", version: "2.0" };

describe("tags", () => {
  it("adds, removes, replaces and lists with the exact requests", async () => {
    const client = scriptedClient(
      [
        { method: "PUT", path: "/floatingips/f1/tags/oaktree%3Acreated", status: 201 },
        { method: "DELETE", path: "/security-groups/sg1/tags/red", status: 204 },
        {
          method: "PUT",
          path: "/networks/n1/tags",
          json: fixture("network/tag/tag-update-request.json"),
          response: fixture("network/tag/tag-update-response.json"),
        },
        {
          method: "GET",
          path: "/networks/n1/tags",
          response: fixture("network/tag/tag-obtain-response.json"),
        },
        { method: "DELETE", path: "/networks/n1/tags", status: 204 },
      ],
      init,
    );
    await addTag(client, "floatingips", "f1", "oaktree:created");
    await removeTag(client, "security-groups", "sg1", "red");
    expect(await replaceTags(client, "networks", "n1", ["red", "blue"])).toEqual(["red", "blue"]);
    expect(await listTags(client, "networks", "n1")).toEqual(["red", "blue"]);
    await removeAllTags(client, "networks", "n1");
    client.assertDone();
  });

  it("validates before any I/O", async () => {
    const client = scriptedClient([], init);
    await expect(addTag(client, "networks", "n1", "a,b")).rejects.toThrow(/tag: must not contain a comma/);
    await expect(addTag(client, "servers" as TaggableResource, "n1", "a")).rejects.toThrow(/resource/);
    await expect(replaceTags(client, "ports", "p1", ["ok", ""])).rejects.toThrow(/tags\[1\]/);
    expect(client.calls).toHaveLength(0);
  });
});
