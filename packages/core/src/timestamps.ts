/**
 * An OpenStack timestamp as ISO-8601 with a zone (shared by auth/ and models/). NOTE: nova
 * (`OS-SRV-USG:launched_at`), cinder, glance v1 and keystone v2.0 send UTC times without a zone ("2013-09-23T13:37:00.880302"), which
 * JavaScript would read as local time; "Z" is added to those. Null, "" and garbage give undefined.
 */
export function isoTime(value: unknown): string | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const text = value.trim().replace(" ", "T");
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`;
  return Number.isNaN(Date.parse(zoned)) ? undefined : zoned;
}
