import { expect } from "vitest";
import { fixture } from "../shape.js";
import { type FidelityRow, type RowResponse, row } from "./types.js";

const N = "nova/api_samples/extension-info";

type Extensions = { extensions: { alias: string }[] };

/** The aliases of a list answer must be exactly the sample's (the list has been frozen since Kilo). */
function sameAliases(sample: string) {
  return (res: RowResponse) => {
    const aliases = (b: unknown) => (b as Extensions).extensions.map((e) => e.alias);
    expect(aliases(res.body)).toEqual(aliases(fixture(sample)));
  };
}

/** nova's `GET /extensions` on every profile (the legacy v2 endpoint's list: extensions.test.ts). */
export const COMPUTE_EXTENSION_ROWS: readonly FidelityRow[] = [
  ...(["modern", "kilo", "nova-network", "rackspace"] as const).map((profile) =>
    row("compute", "GET /v2.1/extensions", 200, () => ({ path: "/compute/v2.1/extensions" }), {
      profile,
      sample: `${N}/extensions-list-resp.json`,
      check: sameAliases(`${N}/extensions-list-resp.json`),
    }),
  ),
  row(
    "compute",
    "GET /v2.1/extensions/{alias}",
    200,
    () => ({ path: "/compute/v2.1/extensions/os-agents" }),
    {
      sample: `${N}/extensions-get-resp.json`,
    },
  ),
  row(
    "compute",
    "GET /v2.1/extensions/{alias}",
    200,
    () => ({ path: "/compute/v2.1/extensions/os-floating-ips" }),
    {
      profile: "nova-network",
      sample: `${N}/extensions-get-resp.json`,
      check: (res) =>
        expect((res.body as { extension: { alias: string } }).extension.alias).toBe("os-floating-ips"),
    },
  ),
  row("compute", "GET /v2.1/extensions/{alias}", 404, () => ({ path: "/compute/v2.1/extensions/os-nope" }), {
    noSample: "error answer (nova's itemNotFound)",
    check: (res) =>
      expect((res.body as { itemNotFound: { message: string } }).itemNotFound.message).toBe(
        "The resource could not be found.",
      ),
  }),
];
