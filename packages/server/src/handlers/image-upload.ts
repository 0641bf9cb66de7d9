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
  /** Why the client's stream could not be read (the error to answer, rather than the cloud's). */
  failure: unknown;
  readonly stream: ReadableStream<Uint8Array>;
  private wake: (() => void) | undefined;

  /**
   * @param first - the data of the first message (the one carrying the spec)
   * @param rest - the requests after the first
   * @param size - the size the spec announces (0: unknown): more or fewer bytes fail the upload,
   *   so that a cut stream never becomes a truncated image
   */
  constructor(first: Uint8Array, rest: AsyncIterator<CreateImageRequest>, size = 0) {
    let pending: Uint8Array | undefined = first.length > 0 ? first : undefined;
    this.stream = new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          try {
            for (;;) {
              const chunk = pending ?? (await this.next(rest));
              pending = undefined;
              if (chunk === undefined) {
                if (size > 0 && this.bytesDone !== size) throw this.sizeMismatch(size);
                this.ended = true;
                controller.close();
                this.changed();
                return;
              }
              if (chunk.length === 0) continue;
              this.bytesDone += chunk.length;
              if (size > 0 && this.bytesDone > size) throw this.sizeMismatch(size);
              controller.enqueue(chunk);
              this.changed();
              return;
            }
          } catch (error) {
            this.failure = error;
            throw error;
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

  private sizeMismatch(size: number) {
    return invalidArgument("spec.size", `announces ${size} bytes, the stream carried ${this.bytesDone}`);
  }

  private changed(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
