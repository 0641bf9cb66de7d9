import { ValidationError } from "../../../../errors.js";
import type { ServiceClient } from "../../../../http/types.js";
import { type CallOptions, callFields } from "../../../call-options.js";
import { requireId } from "../../../query.js";
import { taskPath, tasksPath } from "./urls.js";
import type { TaskWire } from "./wire.js";

/** The input of an import task. */
export interface ImportTaskInput {
  /** Where glance reads the data: a swift path `container/object` or an URL. */
  readonly importFrom: string;
  readonly importFromFormat: string;
  /** Attributes of the new image, e.g. `{ name, disk_format, container_format }`. */
  readonly imageProperties: Readonly<Record<string, unknown>>;
}

/** POST /tasks (201) with type "import". */
export async function createImportTask(
  client: ServiceClient,
  input: ImportTaskInput,
  call: CallOptions = {},
): Promise<TaskWire> {
  requireId("importFrom", input.importFrom);
  requireId("importFromFormat", input.importFromFormat);
  if (!input.imageProperties || typeof input.imageProperties !== "object") {
    throw new ValidationError("imageProperties", "must be an object");
  }
  const response = await client.request({
    method: "POST",
    path: tasksPath(),
    json: {
      type: "import",
      input: {
        import_from: input.importFrom,
        import_from_format: input.importFromFormat,
        image_properties: input.imageProperties,
      },
    },
    okStatus: [201],
    ...callFields(call),
  });
  return response.json<TaskWire>();
}

/** GET /tasks/{id}. */
export async function getTask(client: ServiceClient, id: string, call: CallOptions = {}): Promise<TaskWire> {
  requireId("id", id);
  const response = await client.request({
    method: "GET",
    path: taskPath(id),
    okStatus: [200],
    ...callFields(call),
  });
  return response.json<TaskWire>();
}
