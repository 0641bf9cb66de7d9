import { stringify } from "yaml";

/** The two clouds of a simulator's clouds.yaml: `sim` (demo, member) and `sim-admin` (admin). */
export function cloudsYaml(baseUrl: string, region: string, identityApiVersion: "3" | "2.0"): string {
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
  });
  return stringify({ clouds: { sim: cloud("demo", "demo"), "sim-admin": cloud("admin", "admin") } });
}
