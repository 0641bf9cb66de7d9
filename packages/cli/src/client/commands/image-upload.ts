import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { type CreateImageRequestSchema, type Progress, Stage } from "../api.js";
import { UsageError } from "../errors.js";
import { describe, type ProgressStream } from "../progress.js";

/** The size of each data message: small enough to keep memory flat, large enough to be cheap. */
export const CHUNK_BYTES = 64 * 1024;

/** A file to upload: its size, and its MD5 (hex), which lets the service reuse an identical image. */
export interface UploadSource {
  readonly path: string;
  readonly size: number;
  readonly md5: string;
}

/**
 * Checks `--file` is a readable regular file and computes its MD5 in one streamed pass (never
 * the whole file in memory). The MD5 goes in the first message, so that a rerun after a failure
 * or Ctrl-C finds the image already made rather than uploading it twice.
 */
export async function uploadSource(path: string): Promise<UploadSource> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`--file ${path}: ${error.code ?? error.message}`);
  });
  if (!info.isFile()) throw new UsageError(`--file ${path}: not a regular file`);
  const hash = createHash("md5");
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }))
    hash.update(chunk as Buffer);
  return { path, size: info.size, md5: hash.digest("hex") };
}

/**
 * CreateImage's request stream: the first message (location and spec), then the file in
 * {@link CHUNK_BYTES} pieces read from a file stream. It is pulled by the transport, so a chunk
 * is read only when the previous one was sent.
 */
export async function* uploadRequests(
  first: MessageInitShape<typeof CreateImageRequestSchema>,
  source: UploadSource,
): AsyncGenerator<MessageInitShape<typeof CreateImageRequestSchema>> {
  yield first;
  for await (const chunk of createReadStream(source.path, { highWaterMark: CHUNK_BYTES }))
    yield { data: chunk as Buffer };
}

/** Options of {@link uploadDisplay} (tests: a fixed clock). */
export interface UploadDisplayOptions {
  readonly now?: () => number;
  /** The least time between two redraws of the live line, ms (default 100). */
  readonly redrawMs?: number;
}

/** Renders an upload's progress: bytes, percentage and rate. */
export interface UploadDisplay {
  update(progress: Progress): void;
  finish(summary: string): void;
  stop(): void;
}

/**
 * On a TTY, one line rewritten in place: `uploading image NAME: 12.0 MiB / 40.0 MiB (30%) 8.1 MiB/s`;
 * otherwise plain timestamped lines, one per 10% uploaded and one per later stage (CI logs).
 * Bytes are those the service has handed to the cloud (Progress.bytes_done), not those merely sent.
 */
export function uploadDisplay(
  stream: ProgressStream,
  what: string,
  totalBytes: number,
  options: UploadDisplayOptions = {},
): UploadDisplay {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const redrawMs = options.redrawMs ?? 100;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastDecile = -1;
  let lastState = "";
  const state = (progress: Progress) =>
    progress.stage === Stage.UPLOADING
      ? bytesLine(Number(progress.bytesDone), totalBytes, now() - startedAt)
      : describe(progress);
  const elapsed = () => `${((now() - startedAt) / 1000).toFixed(1)}s`;

  if (!stream.isTTY) {
    const plain = (text: string) => stream.write(`${new Date(now()).toISOString()} ${what}: ${text}\n`);
    return {
      update(progress) {
        if (progress.stage === Stage.DONE) return;
        if (progress.stage === Stage.UPLOADING) {
          const done = Number(progress.bytesDone);
          const decile = totalBytes > 0 ? Math.floor((10 * done) / totalBytes) : 0;
          if (decile === lastDecile) return;
          lastDecile = decile;
        }
        const line = state(progress);
        if (line === lastState) return;
        lastState = line;
        plain(line);
      },
      finish: (summary) => plain(`${summary} (${elapsed()})`),
      stop() {},
    };
  }
  const draw = (line: string) => {
    const text = `${what}: ${line}  ${elapsed()}`;
    const width = stream.columns && stream.columns > 1 ? stream.columns - 1 : text.length;
    stream.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
  };
  return {
    update(progress) {
      if (progress.stage === Stage.DONE) return;
      // Chunks come every few milliseconds: the byte count is redrawn at most every redrawMs;
      // a new stage is drawn at once.
      if (progress.stage === Stage.UPLOADING && now() - lastDraw < redrawMs) return;
      lastDraw = now();
      const line = state(progress);
      draw(line);
    },
    finish: (summary) => stream.write(`\r\x1b[2K${what}: ${summary} (${elapsed()})\n`),
    stop: () => stream.write("\n"),
  };
}

/** "uploading 12.0 MiB / 40.0 MiB (30%), 8.1 MiB/s". */
export function bytesLine(done: number, total: number, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? `, ${sizeOf((done * 1000) / elapsedMs)}/s` : "";
  const of = total > 0 ? ` / ${sizeOf(total)} (${Math.floor((100 * done) / total)}%)` : "";
  return `uploading ${sizeOf(done)}${of}${rate}`;
}

/** 1536 -> "1.5 KiB". */
export function sizeOf(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}
