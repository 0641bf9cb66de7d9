import { stringify } from "yaml";

/**
 * What a user of the real cloud behind a profile has in clouds.yaml, as its vendor profile
 * sets it: Rackspace takes images only by task import (its vendor profile says
 * `image_api_use_tasks: true`), so without it a streamed upload is refused once first.
 */
const VENDOR_SETTINGS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  rackspace: { image_api_use_tasks: true },
};

/**
 * The two clouds of a simulator's clouds.yaml: `sim` (demo, member) and `sim-admin` (admin),
 * with the profile's vendor settings.
 */
export function cloudsYaml(
  baseUrl: string,
  region: string,
  identityApiVersion: "3" | "2.0",
  profileName?: string,
): string {
  const cloud = (user: string, project: string) => ({
    auth: {
      auth_url: `${baseUrl}/identity`,
      username: user,
      password: "secret",
      project_name: project,
      ...(identityApiVersion === "3" ? { user_domain_name: "Default", project_domain_name: "Default" } : {}),
    },
    region_name: region,
    identity_api_version: identityApiVersion,
    interface: "public",
    ...(profileName !== undefined && VENDOR_SETTINGS[profileName]),
  });
  return stringify({ clouds: { sim: cloud("demo", "demo"), "sim-admin": cloud("admin", "admin") } });
}
