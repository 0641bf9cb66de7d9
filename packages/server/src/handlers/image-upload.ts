import { invalidArgument } from "../errors.js";
import type { CreateImageRequest } from "../gen/oaktree/v1/image_pb.js";

/**
 * CreateImage's request stream as the web ReadableStream core's createImage uploads: the
 * chunks are pulled from the client only as the cloud reads them (nothing is buffered beyond
 * a chunk, nothing is read before core has validated the spec), and the bytes read so far are
 * counted for the progress events.
 */
export class ImageUploadStream {
  /** Bytes handed to core so far. */
  bytesDone = 0;
  /** True once the client's stream has ended and core has read every byte. */
  ended = false;
  readonly stream: ReadableStream<Uint8Array>;
  private wake: (() => void) | undefined;

  /**
   * @param first - the data of the first message (the one carrying the spec)
   * @param rest - the requests after the first
   */
  constructor(first: Uint8Array, rest: AsyncIterator<CreateImageRequest>) {
    let pending: Uint8Array | undefined = first.length > 0 ? first : undefined;
    this.stream = new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          for (;;) {
            const chunk = pending ?? (await this.next(rest));
            pending = undefined;
            if (chunk === undefined) {
              this.ended = true;
              controller.close();
              this.changed();
              return;
            }
            if (chunk.length === 0) continue;
            this.bytesDone += chunk.length;
            controller.enqueue(chunk);
            this.changed();
            return;
          }
        },
        cancel: async () => {
          await rest.return?.();
        },
      },
      { highWaterMark: 0 },
    );
  }

  /** Resolves at the next change of {@link bytesDone} or {@link ended}. */
  nextChange(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  /** Stops reading the client's stream (core did not need the data: an existing image). */
  async close(): Promise<void> {
    await this.stream.cancel().catch(() => undefined);
  }

  private async next(rest: AsyncIterator<CreateImageRequest>): Promise<Uint8Array | undefined> {
    const result = await rest.next();
    if (result.done) return undefined;
    if (result.value.spec !== undefined || result.value.location !== undefined) {
      throw invalidArgument(
        "spec",
        "only the first message carries location and spec; later ones carry data",
      );
    }
    return result.value.data;
  }

  private changed(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
