/**
 * One network as nova's os-networks proxy sends it. Most fields are admin only and null
 * for other users (and on neutron-backed nova).
 */
export interface NovaNetworkWire {
  readonly id: string;
  readonly label: string;
  readonly cidr?: string | null;
  readonly cidr_v6?: string | null;
  readonly gateway?: string | null;
  readonly gateway_v6?: string | null;
  readonly netmask?: string | null;
  readonly netmask_v6?: string | null;
  readonly broadcast?: string | null;
  readonly dns1?: string | null;
  readonly dns2?: string | null;
  readonly dhcp_start?: string | null;
  readonly dhcp_server?: string | null;
  readonly enable_dhcp?: boolean | null;
  readonly bridge?: string | null;
  readonly bridge_interface?: string | null;
  readonly vlan?: number | null;
  readonly mtu?: number | null;
  readonly multi_host?: boolean | null;
  readonly share_address?: boolean | null;
  readonly injected?: boolean | null;
  readonly host?: string | null;
  readonly priority?: number | null;
  readonly rxtx_base?: number | null;
  readonly vpn_private_address?: string | null;
  readonly vpn_public_address?: string | null;
  readonly vpn_public_port?: number | null;
  readonly project_id?: string | null;
  readonly created_at?: string | null;
  readonly updated_at?: string | null;
  readonly deleted_at?: string | null;
  readonly deleted?: boolean | null;
}
