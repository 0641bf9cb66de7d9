import { create, type JsonObject } from "@bufbuild/protobuf";
import { type Timestamp, timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { Location as LocationModel } from "@oaktree/core/models/location.js";
import { type Location, LocationSchema, ProjectSchema } from "../gen/oaktree/v1/location_pb.js";

/** A model's Location as the proto's (absent parts are empty strings). */
export function locationToProto(location: LocationModel): Location {
  return create(LocationSchema, {
    cloud: location.cloud,
    region: location.region ?? "",
    zone: location.zone ?? "",
    project: create(ProjectSchema, {
      id: location.project.id ?? "",
      name: location.project.name ?? "",
      domainId: location.project.domainId ?? "",
      domainName: location.project.domainName ?? "",
    }),
  });
}

/** An ISO-8601 time as a Timestamp; undefined for absent or unparsable times. */
export function timestampOf(iso: string | undefined): Timestamp | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : timestampFromDate(date);
}

/**
 * A model's `properties` (vendor keys, anything the contract does not name) as a
 * google.protobuf.Struct's JSON: values that JSON cannot hold (undefined, functions) dropped.
 */
export function propertiesOf(properties: Readonly<Record<string, unknown>>): JsonObject {
  return JSON.parse(JSON.stringify(properties ?? {})) as JsonObject;
}

/** Record values as strings (proto maps of string). */
export function stringMap(record: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) {
    out[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return out;
}
