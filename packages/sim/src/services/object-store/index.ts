import { projectOf } from "../../core/auth.js";
import { type ErrorStyle, forbidden, httpTitle, notFound, SimError } from "../../core/errors.js";
import { empty, json } from "../../core/http.js";
import type { ServiceModule, SimContext } from "../../core/service.js";
import { bodyOf, readBodyCapped } from "./body.js";
import { accountOf, bytesOf, type SwiftContainer, swiftStore } from "./store.js";

/** swift's proxy errors: `<html><h1>Not Found</h1><p>The resource could not be found.</p></html>`. */
export const swiftErrorStyle: ErrorStyle = (status, message) => ({
  body: `<html><h1>${httpTitle(status)}</h1><p>${message.replaceAll("<", "&lt;")}</p></html>`,
  contentType: "text/html; charset=UTF-8",
});

/** `2014-01-15T16:41:49.390270`: swift listings' timestamps (UTC, microseconds, no zone). */
export function swiftTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, "000");
}

/** `1389727543.65372`: swift's X-Timestamp. */
function xTimestamp(ms: number): string {
  return (ms / 1000).toFixed(5);
}

function accountProject(c: SimContext): string {
  const account = c.req.param("account") ?? "";
  if (!account.startsWith("AUTH_")) throw notFound("The resource could not be found.");
  const pid = account.slice("AUTH_".length);
  // NOTE: swift's keystoneauth lets a token into its own project's account only (ResellerAdmin aside).
  if (pid !== projectOf(c)) throw forbidden("Access was denied to this resource.");
  return pid;
}

function containerOf(c: SimContext): SwiftContainer {
  const name = c.req.param("container") ?? "";
  const cont = accountOf(c.var.sim.world, accountProject(c)).get(name);
  if (!cont) throw notFound("The resource could not be found.");
  return cont;
}

function metaHeaders(prefix: string, meta: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta)) out[`${prefix}${k}`] = v;
  return out;
}

function readMeta(c: SimContext, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.req.header())) {
    if (k.toLowerCase().startsWith(prefix)) out[k.slice(prefix.length).toLowerCase()] = v;
  }
  return out;
}

/** Swift listing parameters: sorted names after `marker`, before `end_marker`, with `prefix`, `limit`. */
function listNames(c: SimContext, names: Iterable<string>): { names: string[]; subdirs: string[] } {
  const marker = c.req.query("marker") ?? "";
  const endMarker = c.req.query("end_marker");
  const prefix = c.req.query("prefix") ?? "";
  const delimiter = c.req.query("delimiter");
  const limitText = c.req.query("limit");
  const limit = limitText === undefined ? 10_000 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 0 || limit > 10_000) {
    throw new SimError(412, "Value of limit must be an integer between 0 and 10000.");
  }
  const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: string[] = [];
  const subdirs: string[] = [];
  for (const n of sorted) {
    if (out.length + subdirs.length >= limit) break;
    if (n <= marker || (endMarker !== undefined && n >= endMarker) || !n.startsWith(prefix)) continue;
    if (delimiter) {
      const i = n.indexOf(delimiter, prefix.length);
      if (i >= 0) {
        const sub = n.slice(0, i + delimiter.length);
        if (subdirs.at(-1) !== sub && sub > marker) subdirs.push(sub);
        continue;
      }
    }
    out.push(n);
  }
  return { names: out, subdirs };
}

function wantsJson(c: SimContext): boolean {
  const f = c.req.query("format");
  if (f !== undefined) return f === "json";
  return (c.req.header("accept") ?? "").includes("application/json");
}

function transHeaders(c: SimContext): Record<string, string> {
  return { "X-Trans-Id": c.var.requestId };
}

/** swift (object-store v1): accounts, containers and objects, enough for glance's task import and more. */
export const objectStoreModule: ServiceModule = {
  name: "object-store",
  prefix: "/object-store",
  errorStyle: swiftErrorStyle,
  enabled: (p) => p.objectStore,
  catalog: (sim, projectId) => [
    { type: "object-store", name: "swift", url: `${sim.baseUrl}/object-store/v1/AUTH_${projectId}` },
  ],
  register(router) {
    const world = router.sim.world;
    const open = router.group({ bases: [""], auth: false });
    open.get("/info", (c) =>
      json(c, 200, {
        swift: {
          version: "2.30.0",
          max_file_size: swiftStore(world).maxObjectBytes,
          max_meta_name_length: 128,
          max_meta_value_length: 256,
          max_meta_count: 90,
          container_listing_limit: 10000,
          account_listing_limit: 10000,
          max_object_name_length: 1024,
          max_container_name_length: 256,
          max_account_name_length: 256,
          strict_cors_mode: true,
          policies: [{ name: "Policy-0", default: true, aliases: "Policy-0" }],
        },
        slo: { max_manifest_segments: 1000, max_manifest_size: 8388608, min_segment_size: 1 },
        tempurl: { methods: ["GET", "HEAD", "PUT", "POST", "DELETE"] },
        staticweb: {},
      }),
    );

    // NOTE: hono serves HEAD with the GET handlers (body dropped); they answer HEAD like swift (204 for
    // accounts and containers, headers only for objects).
    const v1 = router.group({ bases: ["/v1"] });

    const accountHeaders = (pid: string): Record<string, string> => {
      const acct = accountOf(world, pid);
      let objects = 0;
      let bytes = 0;
      for (const cont of acct.values()) {
        objects += cont.objects.size;
        bytes += bytesOf(cont);
      }
      return {
        "X-Account-Container-Count": String(acct.size),
        "X-Account-Object-Count": String(objects),
        "X-Account-Bytes-Used": String(bytes),
        "X-Timestamp": xTimestamp(world.clock.now()),
      };
    };
    v1.get("/:account", (c) => {
      const pid = accountProject(c);
      const acct = accountOf(world, pid);
      const { names } = listNames(c, acct.keys());
      const headers = { ...accountHeaders(pid), ...transHeaders(c) };
      if (c.req.method === "HEAD") return empty(c, 204, headers);
      if (wantsJson(c)) {
        return json(
          c,
          200,
          names.map((n) => {
            const cont = acct.get(n)!;
            return {
              name: n,
              count: cont.objects.size,
              bytes: bytesOf(cont),
              last_modified: swiftTime(cont.lastModified),
            };
          }),
          headers,
        );
      }
      // NOTE: swift answers an empty plain-text listing with 204.
      if (names.length === 0) return empty(c, 204, headers);
      return c.text(`${names.join("\n")}\n`, 200, headers);
    });

    v1.put("/:account/:container", (c) => {
      const acct = accountOf(world, accountProject(c));
      const name = c.req.param("container")!;
      if (name.length > 256) throw new SimError(400, "Container name length of 257 longer than 256");
      const existing = acct.get(name);
      const now = world.clock.now();
      if (existing) {
        existing.metadata = { ...existing.metadata, ...readMeta(c, "x-container-meta-") };
        return empty(c, 202, transHeaders(c));
      }
      acct.set(name, {
        name,
        created: now,
        lastModified: now,
        objects: new Map(),
        metadata: readMeta(c, "x-container-meta-"),
      });
      return empty(c, 201, transHeaders(c));
    });
    const containerHeaders = (cont: SwiftContainer): Record<string, string> => ({
      "X-Container-Object-Count": String(cont.objects.size),
      "X-Container-Bytes-Used": String(bytesOf(cont)),
      "X-Timestamp": xTimestamp(cont.created),
      "X-Storage-Policy": "Policy-0",
      ...metaHeaders("X-Container-Meta-", cont.metadata),
    });
    v1.get("/:account/:container", (c) => {
      const cont = containerOf(c);
      const { names, subdirs } = listNames(c, cont.objects.keys());
      const headers = { ...containerHeaders(cont), ...transHeaders(c) };
      if (c.req.method === "HEAD") return empty(c, 204, headers);
      if (wantsJson(c)) {
        const rows: unknown[] = names.map((n) => {
          const o = cont.objects.get(n)!;
          return {
            hash: o.etag,
            last_modified: swiftTime(o.lastModified),
            bytes: o.bytes.byteLength,
            name: n,
            content_type: o.contentType,
          };
        });
        rows.push(...subdirs.map((subdir) => ({ subdir })));
        return json(c, 200, rows, headers);
      }
      const all = [...names, ...subdirs].sort();
      if (all.length === 0) return empty(c, 204, headers);
      return c.text(`${all.join("\n")}\n`, 200, headers);
    });
    v1.post("/:account/:container", (c) => {
      const cont = containerOf(c);
      cont.metadata = { ...cont.metadata, ...readMeta(c, "x-container-meta-") };
      return empty(c, 204, transHeaders(c));
    });
    v1.delete("/:account/:container", (c) => {
      const acct = accountOf(world, accountProject(c));
      const cont = containerOf(c);
      if (cont.objects.size > 0)
        throw new SimError(409, "There was a conflict when trying to complete your request.");
      acct.delete(cont.name);
      return empty(c, 204, transHeaders(c));
    });

    v1.put("/:account/:container/:object{.+}", async (c) => {
      const cont = containerOf(c);
      const name = c.req.param("object")!;
      if (name.length > 1024) throw new SimError(400, "Object name length of 1025 longer than 1024");
      const { bytes, md5 } = await readBodyCapped(c, swiftStore(world).maxObjectBytes);
      const expected = c.req.header("etag");
      // NOTE: swift checks a client-sent ETag against the body's md5 and answers 422 on mismatch.
      if (expected && expected.replaceAll('"', "").toLowerCase() !== md5) {
        throw new SimError(422, "Unprocessable Entity");
      }
      const now = world.clock.now();
      cont.objects.set(name, {
        name,
        bytes,
        etag: md5,
        contentType: c.req.header("content-type") ?? "application/octet-stream",
        lastModified: now,
        metadata: readMeta(c, "x-object-meta-"),
      });
      cont.lastModified = now;
      return empty(c, 201, {
        ETag: md5,
        "Last-Modified": new Date(now).toUTCString(),
        ...transHeaders(c),
      });
    });
    const objectOf = (c: SimContext) => {
      const o = containerOf(c).objects.get(c.req.param("object")!);
      if (!o) throw notFound("The resource could not be found.");
      return o;
    };
    const objectHeaders = (o: ReturnType<typeof objectOf>): Record<string, string> => ({
      "Content-Type": o.contentType,
      ETag: o.etag,
      "Last-Modified": new Date(o.lastModified).toUTCString(),
      "X-Timestamp": xTimestamp(o.lastModified),
      "Accept-Ranges": "bytes",
      ...metaHeaders("X-Object-Meta-", o.metadata),
    });
    v1.get("/:account/:container/:object{.+}", (c) => {
      const o = objectOf(c);
      const headers = {
        ...objectHeaders(o),
        "Content-Length": String(o.bytes.byteLength),
        ...transHeaders(c),
      };
      return c.req.method === "HEAD" ? c.body(null, 200, headers) : c.body(bodyOf(o.bytes), 200, headers);
    });
    v1.delete("/:account/:container/:object{.+}", (c) => {
      const cont = containerOf(c);
      if (!cont.objects.delete(c.req.param("object")!)) throw notFound("The resource could not be found.");
      cont.lastModified = world.clock.now();
      return empty(c, 204, transHeaders(c));
    });
  },
};
