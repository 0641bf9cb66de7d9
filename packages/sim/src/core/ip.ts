/** IPv4/IPv6 helpers for subnet allocation (just enough for the simulator: no CIDR arithmetic library). */

/** Parses `a.b.c.d` to an unsigned 32-bit number; throws on bad input. */
export function ipv4ToInt(ip: string): number {
  const parts = ip.split(".");
  if (parts.length !== 4) throw new TypeError(`not an IPv4 address: ${ip}`);
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) throw new TypeError(`not an IPv4 address: ${ip}`);
    n = n * 256 + v;
  }
  return n;
}

/** Formats an unsigned 32-bit number as `a.b.c.d`. */
export function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

/** A parsed CIDR. */
export interface Cidr {
  readonly version: 4 | 6;
  readonly prefix: number;
  /** IPv4: the network address as a number. */
  readonly base: number;
  /** IPv4: number of addresses. IPv6: a practical cap. */
  readonly size: number;
  /** IPv6: the first 64 bits written as `xxxx:xxxx:xxxx:xxxx:` (prefixes up to /64 only). */
  readonly v6Head: string;
}

/** Parses `10.0.0.0/24` or `fd00:1::/64`; throws a TypeError naming the input when invalid. */
export function parseCidr(cidr: string): Cidr {
  const [addr, bits] = cidr.split("/");
  const prefix = Number(bits);
  if (addr === undefined || bits === undefined || !/^\d+$/.test(bits))
    throw new TypeError(`invalid CIDR: ${cidr}`);
  if (addr.includes(":")) {
    if (prefix > 64 || prefix < 8)
      throw new TypeError(`invalid CIDR: ${cidr} (IPv6 prefixes /8 to /64 only)`);
    const groups = expandIpv6(addr).slice(0, 4);
    return { version: 6, prefix, base: 0, size: 1_000_000, v6Head: `${groups.join(":")}:` };
  }
  if (prefix > 30 || prefix < 8) throw new TypeError(`invalid CIDR: ${cidr} (IPv4 prefixes /8 to /30 only)`);
  const size = 2 ** (32 - prefix);
  const base = Math.floor(ipv4ToInt(addr) / size) * size;
  return { version: 4, prefix, base, size, v6Head: "" };
}

/** The canonical text of a CIDR (`10.0.0.7/24` -> `10.0.0.0/24`). */
export function normalizeCidr(c: Cidr): string {
  return c.version === 4
    ? `${intToIpv4(c.base)}/${c.prefix}`
    : `${compressIpv6(`${c.v6Head}0:0:0:0`)}/${c.prefix}`;
}

/** The address at `offset` inside the CIDR (IPv6: in the low 64 bits). */
export function addressAt(c: Cidr, offset: number): string {
  if (c.version === 4) return intToIpv4(c.base + offset);
  return compressIpv6(
    `${c.v6Head}0:0:${Math.floor(offset / 65536).toString(16)}:${(offset % 65536).toString(16)}`,
  );
}

/** True when `ip` lies inside the CIDR. */
export function contains(c: Cidr, ip: string): boolean {
  if (c.version === 4) {
    if (ip.includes(":")) return false;
    const n = ipv4ToInt(ip);
    return n >= c.base && n < c.base + c.size;
  }
  if (!ip.includes(":")) return false;
  return `${expandIpv6(ip).slice(0, 4).join(":")}:` === c.v6Head;
}

/** Expands an IPv6 address to 8 groups without leading zeros. */
export function expandIpv6(ip: string): string[] {
  const [head = "", tail] = ip.split("::");
  const h = head === "" ? [] : head.split(":");
  const t = tail === undefined || tail === "" ? [] : tail.split(":");
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill("0");
  const groups = [...h, ...fill, ...t].map((g) => Number.parseInt(g || "0", 16).toString(16));
  if (groups.length !== 8 || groups.some((g) => g === "NaN"))
    throw new TypeError(`not an IPv6 address: ${ip}`);
  return groups;
}

/** Compresses the longest run of zero groups to `::`. */
export function compressIpv6(ip: string): string {
  const g = expandIpv6(ip);
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === "0") j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return g.join(":");
  return `${g.slice(0, best).join(":")}::${g.slice(best + bestLen).join(":")}`;
}
