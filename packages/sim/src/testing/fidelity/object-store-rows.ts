import { type FidelityContext, type FidelityRow, row } from "./types.js";

const S = "swift/samples";
const acct = (x: FidelityContext, path = "") => ({
  path: `/object-store/v1/AUTH_${x.demo.projectId}${path}`,
});

/** A container of demo's with one object; returns the container's name. */
async function container(x: FidelityContext): Promise<string> {
  const name = x.name("c");
  const base = `${x.sim.url}/object-store/v1/AUTH_${x.demo.projectId}/${name}`;
  const headers = { "x-auth-token": x.demo.token };
  const made = await fetch(base, { method: "PUT", headers });
  const put = await fetch(`${base}/goodbye`, { method: "PUT", headers, body: "Goodbye World!" });
  if (made.status !== 201 || put.status !== 201)
    throw new Error(`swift seeding failed: ${made.status} ${put.status}`);
  return name;
}

/** Constraints swift's /info lists under `swift` that the abbreviated api-ref sample leaves out. */
const CONSTRAINTS = Object.fromEntries(
  [
    "max_file_size",
    "max_meta_name_length",
    "max_meta_value_length",
    "max_meta_count",
    "container_listing_limit",
    "account_listing_limit",
    "max_object_name_length",
    "max_container_name_length",
    "max_account_name_length",
    "strict_cors_mode",
    "policies",
  ].map((k) => [
    `swift.${k}`,
    "one of swift's constraints in /info; the api-ref sample shows an abbreviated list",
  ]),
);

/** swift (the profiles with an object store). */
export const OBJECT_STORE_ROWS: readonly FidelityRow[] = [
  row("object-store", "GET /info", 200, () => ({ path: "/object-store/info" }), {
    as: "none",
    sample: `${S}/capabilities-list-response.json`,
    exceptions: {
      ...CONSTRAINTS,
      "tempurl.methods": "swift's tempurl middleware lists its methods; the api-ref sample abbreviates it",
    },
  }),
  row(
    "object-store",
    "GET /v1/{account}",
    200,
    async (x) => {
      await container(x);
      return acct(x, "?format=json");
    },
    { sample: `${S}/account-containers-list-response.json` },
  ),
  row(
    "object-store",
    "GET /v1/{account}/{container}",
    200,
    async (x) => acct(x, `/${await container(x)}?format=json`),
    {
      sample: `${S}/objects-list-response.json`,
    },
  ),
  row("object-store", "PUT /v1/{account}/{container}", 201, (x) => acct(x, `/${x.name("c")}`), {
    noSample: "201 without a body",
  }),
  row(
    "object-store",
    "POST /v1/{account}/{container}",
    204,
    async (x) => ({ ...acct(x, `/${await container(x)}`), headers: { "x-container-meta-color": "red" } }),
    { noSample: "204 without a body" },
  ),
  row(
    "object-store",
    "DELETE /v1/{account}/{container}",
    204,
    async (x) => {
      const name = x.name("c");
      await fetch(`${x.sim.url}/object-store/v1/AUTH_${x.demo.projectId}/${name}`, {
        method: "PUT",
        headers: { "x-auth-token": x.demo.token },
      });
      return acct(x, `/${name}`);
    },
    { noSample: "204 without a body" },
  ),
  row(
    "object-store",
    "GET /v1/{account}/{container}/{object}",
    200,
    async (x) => acct(x, `/${await container(x)}/goodbye`),
    {
      noSample: "the object's bytes",
    },
  ),
  row(
    "object-store",
    "PUT /v1/{account}/{container}/{object}",
    201,
    async (x) => ({
      ...acct(x, `/${await container(x)}/hello`),
      headers: { "content-type": "text/plain" },
      raw: "Hello World!",
    }),
    { noSample: "201 without a body" },
  ),
  row(
    "object-store",
    "DELETE /v1/{account}/{container}/{object}",
    204,
    async (x) => acct(x, `/${await container(x)}/goodbye`),
    {
      noSample: "204 without a body",
    },
  ),
];
