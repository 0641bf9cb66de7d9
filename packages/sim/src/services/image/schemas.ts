import type { Profile } from "../../profiles.js";

/** Disk formats a profile's glance accepts (its schema's `disk_format` enum, without null). */
export function diskFormats(p: Profile): string[] {
  const base = ["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso"];
  if (p.name === "modern") return [...base, "ploop"];
  // NOTE: Rackspace's glance only takes VHD images (its cloud runs XenServer).
  if (p.image.uploadByTaskOnly) return ["vhd"];
  return base;
}

/** Container formats a profile's glance accepts. */
export function containerFormats(p: Profile): string[] {
  const base = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker"];
  // NOTE: glance added the `compressed` container format in Rocky.
  return p.name === "modern" ? [...base, "compressed"] : base;
}

/** Visibilities of a profile's glance (`shared` and `community` came with v2.5, Ocata). */
export function visibilities(p: Profile): string[] {
  return p.name === "modern" ? ["community", "public", "private", "shared"] : ["public", "private"];
}

const UUID_PATTERN =
  "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$";
const ro = (type: unknown, description: string) => ({ description, readOnly: true, type });
const str = (description: string) => ({ description, is_base: false, type: "string" });

/** `GET /v2/schemas/image`, with the profile's format and visibility enums. */
export function imageSchema(p: Profile): Record<string, unknown> {
  return {
    additionalProperties: { type: "string" },
    links: [
      { href: "{self}", rel: "self" },
      { href: "{file}", rel: "enclosure" },
      { href: "{schema}", rel: "describedby" },
    ],
    name: "image",
    properties: {
      architecture: str("Operating system architecture"),
      checksum: { ...ro(["null", "string"], "md5 hash of image contents."), maxLength: 32 },
      container_format: {
        description: "Format of the container",
        enum: [null, ...containerFormats(p)],
        type: ["null", "string"],
      },
      created_at: ro("string", "Date and time of image registration"),
      direct_url: ro("string", "URL to access the image file kept in external store"),
      disk_format: {
        description: "Format of the disk",
        enum: [null, ...diskFormats(p)],
        type: ["null", "string"],
      },
      file: ro("string", "An image file url"),
      id: {
        description: "An identifier for the image",
        pattern: "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$",
        type: "string",
      },
      instance_uuid: str(
        "Metadata which can be used to record which instance this image is associated with.",
      ),
      kernel_id: {
        ...str("ID of image stored in Glance that should be used as the kernel"),
        pattern: UUID_PATTERN,
        type: ["null", "string"],
      },
      locations: {
        description: "A set of URLs to access the image file kept in external store",
        items: {
          properties: {
            metadata: { type: "object" },
            url: { maxLength: 255, type: "string" },
            validation_data: {
              description: "Values to be used to populate the corresponding image properties.",
              type: "object",
              writeOnly: true,
              additionalProperties: false,
              properties: {
                checksum: { type: "string", minLength: 32, maxLength: 32 },
                os_hash_algo: { type: "string", maxLength: 64 },
                os_hash_value: { type: "string", maxLength: 128 },
              },
              required: ["os_hash_algo", "os_hash_value"],
            },
          },
          required: ["url", "metadata"],
          type: "object",
        },
        type: "array",
      },
      min_disk: { description: "Amount of disk space (in GB) required to boot image.", type: "integer" },
      min_ram: { description: "Amount of ram (in MB) required to boot image.", type: "integer" },
      name: { description: "Descriptive name for the image", maxLength: 255, type: ["null", "string"] },
      os_distro: str("Common name of operating system distribution"),
      os_hash_algo: { ...ro(["null", "string"], "Algorithm to calculate the os_hash_value"), maxLength: 64 },
      os_hash_value: { ...ro(["null", "string"], "Hexdigest of the image contents"), maxLength: 128 },
      os_hidden: {
        description: "If true, image will not appear in default image list response.",
        type: "boolean",
      },
      os_version: str("Operating system version as specified by the distributor"),
      owner: { description: "Owner of the image", maxLength: 255, type: ["null", "string"] },
      protected: { description: "If true, image will not be deletable.", type: "boolean" },
      ramdisk_id: {
        ...str("ID of image stored in Glance that should be used as the ramdisk"),
        pattern: UUID_PATTERN,
        type: ["null", "string"],
      },
      schema: ro("string", "An image schema url"),
      self: ro("string", "An image self url"),
      size: ro(["null", "integer"], "Size of image file in bytes"),
      status: {
        ...ro("string", "Status of the image"),
        enum: [
          "queued",
          "saving",
          "active",
          "killed",
          "deleted",
          "pending_delete",
          "deactivated",
          "uploading",
          "importing",
        ],
      },
      tags: {
        description: "List of strings related to the image",
        items: { maxLength: 255, type: "string" },
        type: "array",
      },
      updated_at: ro("string", "Date and time of the last image modification"),
      virtual_size: ro(["null", "integer"], "Virtual size of image in bytes"),
      visibility: { description: "Scope of image accessibility", enum: visibilities(p), type: "string" },
    },
  };
}

/** `GET /v2/schemas/images`. */
export function imagesSchema(p: Profile): Record<string, unknown> {
  return {
    links: [
      { href: "{first}", rel: "first" },
      { href: "{next}", rel: "next" },
      { href: "{schema}", rel: "describedby" },
    ],
    name: "images",
    properties: {
      first: { type: "string" },
      images: { items: imageSchema(p), type: "array" },
      next: { type: "string" },
      schema: { type: "string" },
    },
  };
}

/** `GET /v2/schemas/task`. */
export function taskSchema(): Record<string, unknown> {
  const s = (description: string) => ({ description, type: "string" });
  return {
    name: "task",
    properties: {
      id: {
        ...s("An identifier for the task"),
        pattern: "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$",
      },
      type: { ...s("The type of task represented by this content"), enum: ["import"] },
      status: {
        ...s("The current status of this task"),
        enum: ["pending", "processing", "success", "failure"],
      },
      input: { description: "The parameters required by task, JSON blob", type: ["null", "object"] },
      result: { description: "The result of current task, JSON blob", type: ["null", "object"] },
      owner: s("An identifier for the owner of this task"),
      message: s("Human-readable informative message only included when appropriate (usually on failure)"),
      expires_at: {
        description: "Datetime when this resource would be subject to removal",
        type: ["null", "string"],
      },
      created_at: s("Datetime when this resource was created"),
      updated_at: s("Datetime when this resource was updated"),
      self: { readOnly: true, type: "string" },
      schema: { readOnly: true, type: "string" },
    },
  };
}

/** `GET /v2/schemas/tasks`: the list's items leave out input, result and message (as the list does). */
export function tasksSchema(): Record<string, unknown> {
  const item = taskSchema() as { name: string; properties: Record<string, unknown> };
  const { input: _input, result: _result, message: _message, ...properties } = item.properties;
  return {
    links: [{ href: "{schema}", rel: "describedby" }],
    name: "tasks",
    properties: {
      schema: { type: "string" },
      tasks: { items: { name: item.name, properties }, type: "array" },
    },
  };
}
