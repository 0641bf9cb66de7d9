import { ValidationError } from "../../../errors.js";

/**
 * NOTE: swift takes container and object names in the path. Object names may contain "/"
 * (pseudo-folders), which stays a separator; every other character is percent-encoded.
 */
export function encodeName(name: string): string {
  return name.split("/").map(encodeURIComponent).join("/");
}

/** Fails before any I/O on a name swift refuses. */
export function checkContainerName(container: string): string {
  if (typeof container !== "string" || container === "") {
    throw new ValidationError("container", "must be a non-empty string");
  }
  if (container.includes("/")) throw new ValidationError("container", "must not contain a slash");
  if (new TextEncoder().encode(container).length > 256) {
    throw new ValidationError("container", "must be at most 256 bytes");
  }
  return container;
}

/** Fails before any I/O on an object name swift refuses. */
export function checkObjectName(name: string): string {
  if (typeof name !== "string" || name === "")
    throw new ValidationError("name", "must be a non-empty string");
  if (new TextEncoder().encode(name).length > 1024)
    throw new ValidationError("name", "must be at most 1024 bytes");
  return name;
}

/** The account itself: the endpoint (`/v1/AUTH_<project>`). */
export const accountPath = (): string => "";
/** `/{container}` */
export const containerPath = (container: string): string =>
  `/${encodeURIComponent(checkContainerName(container))}`;
/** `/{container}/{object}` */
export const objectPath = (container: string, name: string): string =>
  `${containerPath(container)}/${encodeName(checkObjectName(name))}`;

/**
 * The absolute URL of swift's capabilities document, `/info`.
 * NOTE: `/info` lives at the root of the proxy, outside `/v1/AUTH_<project>`; a deployment
 * under a path prefix (radosgw's `/swift/v1/...`) serves it under that prefix (`/swift/info`).
 * So the path is cut at its `v1` segment.
 */
export function infoUrl(endpoint: string): string {
  const url = new URL(endpoint);
  const segments = url.pathname.split("/");
  const versionAt = segments.findIndex((segment) => /^v1(\.\d+)?$/.test(segment));
  const prefix = versionAt >= 0 ? segments.slice(0, versionAt).join("/") : url.pathname.replace(/\/+$/, "");
  return `${url.origin}${prefix}/info`;
}
