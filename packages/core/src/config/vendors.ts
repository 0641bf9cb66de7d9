import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ConfigOrigin } from "./errors.js";
import { parseConfigFile } from "./files.js";

/** A vendor profile: defaults for a public cloud, merged under the user's settings. */
export interface VendorProfile {
  readonly name: string;
  /** The profile's settings, clouds.yaml shape (`auth`, `regions`, `*_api_version`, `status`, ...). */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly origin: ConfigOrigin;
}

const DATA_DIR = fileURLToPath(new URL("./data/", import.meta.url));

let shipped: ReadonlyMap<string, VendorProfile> | undefined;

/**
 * The vendor profiles shipped with oaktree (openstacksdk's `openstack/config/vendors`, see
 * data/ATTRIBUTION.md), by the `name` inside each file. Read from disk once, on first use.
 */
export function shippedVendorProfiles(): ReadonlyMap<string, VendorProfile> {
  if (shipped !== undefined) return shipped;
  const profiles = new Map<string, VendorProfile>();
  for (const file of readdirSync(DATA_DIR).sort()) {
    if (!file.startsWith("vendor-")) continue;
    const path = DATA_DIR + file;
    const data = parseConfigFile({ path, text: readFileSync(path, "utf8") }, "vendor profile");
    const name = data.name;
    const settings = data.profile;
    if (typeof name !== "string" || typeof settings !== "object" || settings === null) continue;
    profiles.set(name, {
      name,
      settings: settings as Record<string, unknown>,
      origin: { kind: "vendor profile", detail: `"${name}"`, path },
    });
  }
  shipped = profiles;
  return profiles;
}

let defaults: Readonly<Record<string, unknown>> | undefined;

/** openstacksdk's defaults.json, shipped beside the vendor profiles (read once). */
export function shippedDefaults(): Readonly<Record<string, unknown>> {
  defaults ??= JSON.parse(readFileSync(`${DATA_DIR}defaults.json`, "utf8")) as Record<string, unknown>;
  return defaults;
}

/**
 * The user's own vendor profiles from clouds-public.yaml (`public-clouds: {name: {...}}`); they
 * win over shipped profiles of the same name, as in openstacksdk.
 */
export function publicCloudProfiles(
  data: Readonly<Record<string, unknown>>,
  path: string,
): Map<string, VendorProfile> {
  const out = new Map<string, VendorProfile>();
  const section = data["public-clouds"] ?? data.public_clouds;
  if (typeof section !== "object" || section === null || Array.isArray(section)) return out;
  for (const [name, settings] of Object.entries(section)) {
    if (typeof settings !== "object" || settings === null || Array.isArray(settings)) continue;
    out.set(name, {
      name,
      settings: settings as Record<string, unknown>,
      origin: { kind: "clouds-public.yaml", detail: `profile "${name}"`, path },
    });
  }
  return out;
}
