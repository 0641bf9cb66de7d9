/**
 * Legacy service names -> official service types, as clouds.yaml keys use them
 * (`volume_api_version`, `block_storage_endpoint_override`, `rate_limit: {volumev3: 2}`).
 *
 * The table is the `reverse` map of os-service-types' published service-types.json (see
 * data/ATTRIBUTION.md). catalog/ ships the full data file; this small copy keeps config/ free of
 * a dependency on a later layer.
 */
const ALIASES: Readonly<Record<string, string>> = {
  alarming: "alarm",
  "bare-metal": "baremetal",
  "block-store": "block-storage",
  cluster: "clustering",
  container: "application-container",
  "container-infra": "container-infrastructure-management",
  "container-infrastructure": "container-infrastructure-management",
  events: "event",
  ha: "instance-ha",
  "infra-optim": "resource-optimization",
  messaging: "message",
  metering: "meter",
  "monitoring-log-api": "monitoring-logging",
  policy: "operator-policy",
  rca: "root-cause-analysis",
  registration: "admin-logic",
  "resource-cluster": "clustering",
  share: "shared-file-system",
  sharev2: "shared-file-system",
  telemetry: "meter",
  tricircle: "multi-region-network-automation",
  volume: "block-storage",
  volumev2: "block-storage",
  volumev3: "block-storage",
  workflowv2: "workflow",
};

/**
 * The official service type for a name as clouds.yaml spells it: underscores become hyphens
 * (`block_storage` -> `block-storage`), then known aliases are resolved (`volumev3` ->
 * `block-storage`). Unknown names are returned hyphenated, unchanged otherwise, so vendor
 * services still get their settings.
 *
 * @example officialServiceType("volume") // "block-storage"
 */
export function officialServiceType(name: string): string {
  const hyphenated = name.toLowerCase().replaceAll("_", "-");
  return ALIASES[hyphenated] ?? hyphenated;
}
