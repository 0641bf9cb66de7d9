import { describe, expect, it } from "vitest";
import { fixture } from "../../../../testing/fixtures.js";
import { scriptedClient } from "../../../../testing/scripted-client.js";
import { getExtension, listExtensions } from "./requests.js";

const init = { serviceType: "network", endpoint: "https://net.example/v2.0", version: "2.0" };

describe("extensions", () => {
  it("lists and gets", async () => {
    const client = scriptedClient(
      [
        {
          method: "GET",
          path: "/extensions",
          response: fixture("network/extensions/extensions-list-response.json"),
        },
        {
          method: "GET",
          path: "/extensions/agent",
          response: fixture("network/extensions/extension-show-response.json"),
        },
      ],
      init,
    );
    const aliases = (await listExtensions(client)).map((e) => e.alias);
    expect(aliases).toContain("security-group");
    expect(aliases).toContain("ext-gw-mode");
    expect((await getExtension(client, "agent")).alias).toBeTypeOf("string");
    client.assertDone();
  });
});
