import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { afterAll, describe, expect, it } from "vitest";
import { ProgressSchema, Stage } from "../api.js";
import {
  bytesLine,
  CHUNK_BYTES,
  sizeOf,
  uploadDisplay,
  uploadRequests,
  uploadSource,
} from "./image-upload.js";

const dir = mkdtempSync(join(tmpdir(), "oaktree-image-upload-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("uploadSource and uploadRequests", () => {
  it("the first message is the spec; then the file in 64 KiB chunks, in order", async () => {
    const data = randomBytes(3 * CHUNK_BYTES + 100);
    const file = join(dir, "img");
    writeFileSync(file, data);
    const source = await uploadSource(file);
    expect(source.size).toBe(data.length);
    expect(source.md5).toBe(createHash("md5").update(data).digest("hex"));

    const messages = [];
    for await (const message of uploadRequests({ spec: { name: "x" } }, source)) messages.push(message);
    expect(messages[0]).toEqual({ spec: { name: "x" } });
    const chunks = messages.slice(1).map((m) => m.data as Uint8Array);
    expect(chunks.map((c) => c.length)).toEqual([CHUNK_BYTES, CHUNK_BYTES, CHUNK_BYTES, 100]);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
  });
});

describe("uploadDisplay", () => {
  const progress = (stage: Stage, bytesDone = 0) =>
    create(ProgressSchema, { stage, bytesDone: BigInt(bytesDone) });

  it("on a TTY: one live line with bytes, percentage and rate, redrawn at most every redrawMs", () => {
    let now = 0;
    let out = "";
    const display = uploadDisplay(
      { isTTY: true, columns: 200, write: (t) => (out += t) },
      "uploading image x",
      4 * 1024 * 1024,
      {
        now: () => now,
        redrawMs: 100,
      },
    );
    now = 1000;
    display.update(progress(Stage.UPLOADING, 2 * 1024 * 1024));
    expect(out).toBe("\r\x1b[2Kuploading image x: uploading 2.0 MiB / 4.0 MiB (50%), 2.0 MiB/s  1.0s");
    now = 1050;
    display.update(progress(Stage.UPLOADING, 3 * 1024 * 1024));
    expect(out).not.toContain("3.0 MiB");
    display.update(progress(Stage.PROCESSING));
    expect(out.endsWith("\r\x1b[2Kuploading image x: processing  1.1s")).toBe(true);
    display.finish("active");
    expect(out.endsWith("\r\x1b[2Kuploading image x: active (1.1s)\n")).toBe(true);
  });

  it("not a TTY: a plain line per 10% and per stage", () => {
    const lines: string[] = [];
    const display = uploadDisplay({ isTTY: false, write: (t) => lines.push(t) }, "up", 1000, {
      now: () => 0,
    });
    for (let done = 50; done <= 1000; done += 50) display.update(progress(Stage.UPLOADING, done));
    display.update(progress(Stage.PROCESSING));
    // 0% (the first chunk), then each 10% to 100%, then the new stage.
    expect(lines).toHaveLength(11 + 1);
    expect(lines.every((l) => l.endsWith("\n"))).toBe(true);
    expect(lines.at(-1)).toMatch(/ up: processing\n$/);
  });

  it("sizes and rates", () => {
    expect(sizeOf(512)).toBe("512 B");
    expect(sizeOf(1536)).toBe("1.5 KiB");
    expect(bytesLine(1024, 0, 1000)).toBe("uploading 1.0 KiB, 1.0 KiB/s");
  });
});
