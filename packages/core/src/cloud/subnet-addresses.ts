import { isIP } from "node:net";
import { ValidationError } from "../errors.js";

/** The addresses of a subnet to create, as core's createSubnet takes them. */
export interface SubnetAddresses {
  readonly cidr?: string;
  readonly ipVersion: 4 | 6;
  readonly gatewayIp?: string | null;
  readonly dnsNameservers?: readonly string[];
}

/**
 * Checks a subnet's addresses before the call. NOTE: neutron refuses a malformed CIDR, a CIDR
 * or gateway of the other IP version, or a nameserver that is not an address with a 400
 * "Invalid input for operation" that names the value but not the field; oaktree names it.
 */
export function checkSubnetAddresses(subnet: SubnetAddresses): void {
  const { cidr, ipVersion } = subnet;
  if (cidr !== undefined) {
    const [address = "", prefix, ...rest] = cidr.split("/");
    const bits = ipVersion === 4 ? 32 : 128;
    if (isIP(address) !== ipVersion || rest.length > 0 || !isPrefix(prefix, bits)) {
      throw new ValidationError("cidr", `"${cidr}" is not an IPv${ipVersion} network (ADDRESS/PREFIX)`);
    }
  }
  if (typeof subnet.gatewayIp === "string" && isIP(subnet.gatewayIp) !== ipVersion) {
    throw new ValidationError("gatewayIp", `"${subnet.gatewayIp}" is not an IPv${ipVersion} address`);
  }
  subnet.dnsNameservers?.forEach((server, index) => {
    if (isIP(server) === 0)
      throw new ValidationError(`dnsNameservers[${index}]`, `"${server}" is not an IP address`);
  });
}

function isPrefix(text: string | undefined, bits: number): boolean {
  return text !== undefined && /^\d{1,3}$/.test(text) && Number(text) <= bits;
}
