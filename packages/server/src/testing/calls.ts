import { ConnectError } from "@connectrpc/connect";
import { BadRequestSchema } from "../gen/google/rpc/error_details_pb.js";

/** The error a call ends with, as a ConnectError (tests). */
export async function failure(call: () => Promise<unknown>): Promise<ConnectError> {
  try {
    await call();
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("the call succeeded");
}

/** The field an INVALID_ARGUMENT names in its google.rpc.BadRequest detail. */
export function violatedField(error: ConnectError): string | undefined {
  return error.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.field;
}

/** Every response of a server stream, in order. */
export async function drain<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}
