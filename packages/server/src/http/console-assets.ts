import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ServerConfigError } from "../config.js";

/**
 * The web console's built files (packages/server/console/dist, committed and shipped in the
 * package; `npm run build:console` makes them). From src/http and from dist/http alike, two
 * levels up is the package's root.
 */
export const CONSOLE_DIST = fileURLToPath(new URL("../../console/dist/", import.meta.url));

// The page loads only its own script, style and API: no inline script or style, no other origin.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

interface Asset {
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

/** The console's files in memory, by URL path (`/` is index.html). */
export type ConsoleAssets = ReadonlyMap<string, Asset>;

/**
 * Reads the console's files once. index.html is revalidated on every load (`no-cache` with an
 * ETag); the assets have a content hash in their names, so browsers keep them for a year.
 */
export async function loadConsoleAssets(dir: string = CONSOLE_DIST): Promise<ConsoleAssets> {
  let paths: string[];
  try {
    paths = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
  } catch (error) {
    throw new ServerConfigError(
      `console: cannot read the console's files in ${dir} (${(error as NodeJS.ErrnoException).code ?? error}); run \`npm run build:console\`, or set console.enabled: false`,
    );
  }
  if (!paths.includes("index.html")) {
    throw new ServerConfigError(`console: no index.html in ${dir}; run \`npm run build:console\``);
  }
  const assets = new Map<string, Asset>();
  for (const path of paths) {
    const body = await readFile(join(dir, path));
    const isPage = path === "index.html";
    const headers: Record<string, string> = {
      "content-type": CONTENT_TYPES[extname(path)] ?? "application/octet-stream",
      "content-length": String(body.length),
      etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
      "cache-control": isPage ? "no-cache" : "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
      ...(isPage && {
        "content-security-policy": CONTENT_SECURITY_POLICY,
        "referrer-policy": "no-referrer",
        "x-frame-options": "DENY",
      }),
    };
    assets.set(isPage ? "/" : `/${path.split("\\").join("/")}`, { body, headers });
  }
  return assets;
}

/**
 * Answers a GET or HEAD of a console file (304 when the browser's copy is current). False when
 * the path is not one: the caller answers it.
 */
export function serveConsoleAsset(
  assets: ConsoleAssets,
  request: IncomingMessage | Http2ServerRequest,
  response: ServerResponse | Http2ServerResponse,
  path: string,
): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  const asset = assets.get(path === "/index.html" ? "/" : path);
  if (!asset) return false;
  if (request.headers["if-none-match"] === asset.headers.etag) {
    const { "content-length": _, "content-type": __, ...headers } = asset.headers;
    response.writeHead(304, headers);
    response.end();
    return true;
  }
  response.writeHead(200, asset.headers);
  if (request.method === "HEAD") response.end();
  else response.end(asset.body);
  return true;
}
