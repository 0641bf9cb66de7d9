import { randomBytes, randomUUID } from "node:crypto";

/** Produces identifiers; one per world so that seeded ids can be made deterministic later. */
export class IdSource {
  #seq = 0;

  /** A random RFC 4122 v4 uuid with dashes (nova, neutron, glance, cinder ids). */
  uuid(): string {
    return randomUUID();
  }

  /** A uuid without dashes (keystone ids for projects, users, roles). */
  hex(): string {
    return randomUUID().replaceAll("-", "");
  }

  /** A fernet-looking token id. */
  token(): string {
    return `gAAAAAB${randomBytes(96).toString("base64url")}`;
  }

  /** A MAC address in OpenStack's fa:16:3e prefix. */
  mac(): string {
    const b = randomBytes(3);
    return `fa:16:3e:${[...b].map((x) => x.toString(16).padStart(2, "0")).join(":")}`;
  }

  /** A process-unique increasing number (insertion order for stable sorting). */
  seq(): number {
    this.#seq += 1;
    return this.#seq;
  }
}
