/**
 * The typed records of the simulated cloud. Services read and write them through the `World`;
 * each service module renders them in its own wire format (so one record can be seen by nova and neutron).
 * Timestamps are milliseconds since the epoch on the simulator clock.
 */
import type { Row } from "./table.js";

/** A keystone domain. */
export interface DomainRecord extends Row {
  name: string;
  description: string;
  enabled: boolean;
}

/** A keystone project (`project_id` is its own id, so tables can index projects by owner). */
export interface ProjectRecord extends Row {
  name: string;
  domain_id: string;
  description: string;
  enabled: boolean;
  parent_id: string;
  tags: string[];
}

/** A keystone user. */
export interface UserRecord extends Row {
  name: string;
  domain_id: string;
  password: string;
  enabled: boolean;
  default_project_id: string | null;
  email: string | null;
  password_expires_at: number | null;
}

/** A keystone role. */
export interface RoleRecord extends Row {
  name: string;
  domain_id: string | null;
  description: string | null;
}

/** A role assignment of a user on a project. */
export interface AssignmentRecord {
  readonly user_id: string;
  readonly project_id: string;
  readonly role_id: string;
}

/** A keystone application credential (owned by a user, scoped to a project). */
export interface AppCredentialRecord extends Row {
  name: string;
  user_id: string;
  secret: string;
  description: string | null;
  role_ids: string[];
  expires_at: number | null;
  unrestricted: boolean;
}

/** An issued token. */
export interface TokenRecord {
  readonly id: string;
  readonly user_id: string;
  /** Scoped project, or null for an unscoped token. */
  readonly project_id: string | null;
  readonly role_ids: readonly string[];
  readonly methods: readonly string[];
  readonly issued_at: number;
  readonly expires_at: number;
  readonly audit_id: string;
  readonly app_credential_id: string | null;
  revoked: boolean;
}

/** A nova flavor. `project_id` is "" (flavors are global). */
export interface FlavorRecord extends Row {
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
  ephemeral: number;
  swap: number;
  rxtx_factor: number;
  is_public: boolean;
  description: string | null;
  extra_specs: Record<string, string>;
  /** Servers booted with this flavor go to ERROR (the "fail on demand" switch). */
  fail_builds: boolean;
}

/** A fault shown on a server in ERROR. */
export interface ServerFault {
  code: number;
  message: string;
  details: string;
  created: number;
}

/** One block device mapping of a server (boot from volume, extra volumes). */
export interface BlockDeviceRecord {
  volume_id: string;
  boot_index: number | null;
  delete_on_termination: boolean;
  device: string;
  tag: string | null;
}

/** A nova server. */
export interface ServerRecord extends Row {
  name: string;
  user_id: string;
  /** Empty string when booted from volume (nova shows `"image": ""`). */
  image_id: string;
  flavor_id: string;
  status: string;
  vm_state: string;
  task_state: string | null;
  power_state: number;
  created: number;
  updated: number;
  launched_at: number | null;
  terminated_at: number | null;
  /** Set when the server is gone from normal lists (it still shows in `changes-since`). */
  deleted_at: number | null;
  metadata: Record<string, string>;
  key_name: string | null;
  security_groups: string[];
  availability_zone: string;
  host_id: string;
  hypervisor_hostname: string;
  instance_name: string;
  user_data: string | null;
  config_drive: string;
  access_ipv4: string;
  access_ipv6: string;
  tags: string[];
  fault: ServerFault | null;
  locked: boolean;
  description: string | null;
  hostname: string;
  block_devices: BlockDeviceRecord[];
  scheduler_hints: Record<string, unknown>;
  server_group_id: string | null;
  progress: number;
  /** Ports nova created for this server (deleted with it; ports the user passed in are only unbound). */
  nova_port_ids: string[];
  /** When the pending BUILD ends (ms), or null. */
  build_until: number | null;
  /** Fault message the pending build ends with (ERROR instead of ACTIVE). */
  build_fault: string | null;
}

/** A nova keypair; `project_id` holds the owning user's id (keypairs belong to users). */
export interface KeypairRecord extends Row {
  name: string;
  public_key: string;
  private_key: string | null;
  fingerprint: string;
  type: string;
  created: number;
}

/** A nova server group. */
export interface ServerGroupRecord extends Row {
  name: string;
  user_id: string;
  policy: string;
  rules: Record<string, unknown>;
  members: string[];
}

/** A neutron network (also nova-network's networks). */
export interface NetworkRecord extends Row {
  name: string;
  description: string;
  admin_state_up: boolean;
  status: string;
  shared: boolean;
  external: boolean;
  is_default: boolean;
  mtu: number;
  port_security_enabled: boolean;
  subnet_ids: string[];
  tags: string[];
  created: number;
  updated: number;
  revision: number;
  /** Name of the nova-network floating IP pool this network feeds, if any. */
  pool: string | null;
}

/** IP allocation state of a subnet. */
export interface SubnetAllocation {
  /** Next address to try, as an offset from the network address (IPv4) or a counter (IPv6). */
  next: number;
  used: Set<string>;
}

/** A neutron subnet. */
export interface SubnetRecord extends Row {
  name: string;
  description: string;
  network_id: string;
  ip_version: 4 | 6;
  cidr: string;
  gateway_ip: string | null;
  allocation_pools: { start: string; end: string }[];
  enable_dhcp: boolean;
  dns_nameservers: string[];
  host_routes: { destination: string; nexthop: string }[];
  ipv6_ra_mode: string | null;
  ipv6_address_mode: string | null;
  subnetpool_id: string | null;
  tags: string[];
  created: number;
  updated: number;
  revision: number;
  alloc: SubnetAllocation;
}

/** A fixed IP of a port. */
export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

/** A neutron port. */
export interface PortRecord extends Row {
  name: string;
  description: string;
  network_id: string;
  mac_address: string;
  fixed_ips: FixedIp[];
  device_id: string;
  device_owner: string;
  status: string;
  admin_state_up: boolean;
  security_group_ids: string[];
  port_security_enabled: boolean;
  binding_host_id: string;
  binding_vnic_type: string;
  tags: string[];
  created: number;
  updated: number;
  revision: number;
}

/** A neutron router. */
export interface RouterRecord extends Row {
  name: string;
  description: string;
  admin_state_up: boolean;
  status: string;
  external_gateway_info: {
    network_id: string;
    enable_snat: boolean;
    external_fixed_ips: FixedIp[];
  } | null;
  routes: { destination: string; nexthop: string }[];
  distributed: boolean;
  ha: boolean;
  tags: string[];
  created: number;
  updated: number;
  revision: number;
}

/** A floating IP (neutron or nova-network). */
export interface FloatingIpRecord extends Row {
  floating_network_id: string;
  floating_ip_address: string;
  fixed_ip_address: string | null;
  port_id: string | null;
  router_id: string | null;
  status: string;
  /**
   * Until this time (simulator clock) the association is not visible in lists, shows and nova's
   * addresses (the `fipDelayMs` fault: neutron's L3 agent and nova's cache lag behind the API).
   */
  assoc_visible_at?: number;
  description: string;
  dns_domain: string;
  dns_name: string;
  tags: string[];
  created: number;
  updated: number;
  revision: number;
}

/** A security group rule. */
export interface SecurityGroupRuleRecord extends Row {
  security_group_id: string;
  direction: "ingress" | "egress";
  ethertype: "IPv4" | "IPv6";
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  description: string;
  created: number;
  updated: number;
  revision: number;
}

/** A security group. */
export interface SecurityGroupRecord extends Row {
  name: string;
  description: string;
  stateful: boolean;
  tags: string[];
  created: number;
  updated: number;
  revision: number;
}

/**
 * A glance image (the fields nova needs; the image service module may add more in `properties`).
 * `project_id` is the owner.
 */
export interface ImageRecord extends Row {
  name: string;
  status: string;
  visibility: "public" | "private" | "shared" | "community";
  disk_format: string | null;
  container_format: string | null;
  size: number | null;
  virtual_size: number | null;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  min_disk: number;
  min_ram: number;
  protected: boolean;
  os_hidden: boolean;
  tags: string[];
  properties: Record<string, string>;
  created: number;
  updated: number;
  /** Uploaded bytes, if any. */
  data: Uint8Array | null;
  /** Servers booted from this image go to ERROR (the "fail on demand" switch). */
  fail_builds: boolean;
}

/** One attachment of a volume to a server. */
export interface VolumeAttachmentRecord {
  /** The attachment id (nova's os-volume_attachments `id` is the volume id; cinder's `attachment_id` is this). */
  attachment_id: string;
  server_id: string;
  device: string;
  host_name: string;
  attached_at: number;
}

/** A cinder volume. */
export interface VolumeRecord extends Row {
  name: string;
  description: string | null;
  user_id: string;
  size: number;
  status: string;
  volume_type: string;
  availability_zone: string;
  bootable: boolean;
  image_id: string | null;
  snapshot_id: string | null;
  source_volid: string | null;
  metadata: Record<string, string>;
  attachments: VolumeAttachmentRecord[];
  multiattach: boolean;
  encrypted: boolean;
  created: number;
  updated: number;
}
