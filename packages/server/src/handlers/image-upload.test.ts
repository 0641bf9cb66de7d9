import { create } from "@bufbuild/protobuf";
import { ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { type CreateImageRequest, CreateImageRequestSchema } from "../gen/oaktree/v1/image_pb.js";
import { ImageUploadStream } from "./image-upload.js";

/** A client stream of `chunks`, counting how many messages were read from it. */
function clientStream(chunks: Uint8Array[]) {
  const state = { reads: 0 };
  async function* messages(): AsyncGenerator<CreateImageRequest> {
    for (const data of chunks) {
      state.reads += 1;
      yield create(CreateImageRequestSchema, { data });
    }
  }
  return { iterator: messages(), state };
}

describe("ImageUploadStream", () => {
  it("reads the client only as the stream is read, one message per chunk, counting bytes", async () => {
    const { iterator, state } = clientStream([new Uint8Array(3), new Uint8Array(0), new Uint8Array(5)]);
    const upload = new ImageUploadStream(new Uint8Array(2), iterator);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(state.reads).toBe(0);
    const reader = upload.stream.getReader();
    expect((await reader.read()).value?.length).toBe(2);
    expect(state.reads).toBe(0);
    expect((await reader.read()).value?.length).toBe(3);
    expect(state.reads).toBe(1);
    expect(upload.bytesDone).toBe(5);
    // The empty message is skipped.
    expect((await reader.read()).value?.length).toBe(5);
    expect(upload.ended).toBe(false);
    expect((await reader.read()).done).toBe(true);
    expect(upload.ended).toBe(true);
    expect(upload.bytesDone).toBe(10);
  });

  it("fails on a later message carrying a spec, naming spec", async () => {
    async function* messages(): AsyncGenerator<CreateImageRequest> {
      yield create(CreateImageRequestSchema, { spec: { name: "again" } });
    }
    const upload = new ImageUploadStream(new Uint8Array(0), messages());
    const error = await upload.stream
      .getReader()
      .read()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).message).toMatch(/^\[invalid_argument\] spec:/);
    expect(upload.failure).toBe(error);
  });
});
