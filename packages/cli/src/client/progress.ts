import { type Progress, Stage } from "./api.js";

/** Where progress goes (stderr): a TTY gets one live line, anything else plain timestamped lines. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

/** Renders the `Progress` events of one long call (`--wait`). */
export interface ProgressDisplay {
  /** One streamed event. */
  update(progress: Progress): void;
  /** The call ended: the live line is replaced by `summary` (plain output: `summary` as a last line). */
  finish(summary: string): void;
  /** The wait was stopped (Ctrl-C) or failed: end the live line, keep what it said. */
  stop(): void;
}

/** Options of {@link progressDisplay} (tests: a fixed clock). */
export interface ProgressOptions {
  readonly now?: () => number;
  /** How often the live line's elapsed time is redrawn, ms (default 200). */
  readonly tickMs?: number;
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * A display for `what` ("creating server demo"): on a TTY one status line rewritten in place
 * (spinner, stage, the cloud's status, elapsed time, ticking between events); otherwise one
 * line per change, `<ISO time> <what>: <stage>[ (<cloud status>)][: <message>]`, for CI logs.
 */
export function progressDisplay(
  stream: ProgressStream,
  what: string,
  options: ProgressOptions = {},
): ProgressDisplay {
  const now = options.now ?? Date.now;
  const startedAt = now();
  let state = "starting";
  let lastPlain = "";
  if (!stream.isTTY) {
    return {
      update(progress) {
        // The last step (DONE) is said by finish(), with the outcome and the time it took.
        if (progress.stage === Stage.DONE) return;
        const line = describe(progress);
        if (line === lastPlain) return;
        lastPlain = line;
        stream.write(`${new Date(now()).toISOString()} ${what}: ${line}\n`);
      },
      finish(summary) {
        stream.write(
          `${new Date(now()).toISOString()} ${what}: ${summary} (${elapsedOf(startedAt, now())})\n`,
        );
      },
      stop() {},
    };
  }
  let frame = 0;
  const draw = () => {
    const line = `${SPINNER[frame++ % SPINNER.length]} ${what}: ${state}  ${elapsedOf(startedAt, now())}`;
    const width = stream.columns && stream.columns > 1 ? stream.columns - 1 : line.length;
    stream.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
  };
  const timer = setInterval(draw, options.tickMs ?? 200);
  timer.unref();
  draw();
  const end = (text?: string) => {
    clearInterval(timer);
    stream.write(text === undefined ? "\n" : `\r\x1b[2K${what}: ${text} (${elapsedOf(startedAt, now())})\n`);
  };
  return {
    update(progress) {
      if (progress.stage === Stage.DONE) return;
      state = describe(progress);
      draw();
    },
    finish: (summary) => end(summary),
    stop: () => end(),
  };
}

/** "building (BUILD): waiting for nova" from one event. */
export function describe(progress: Progress): string {
  const stage = stageName(progress.stage);
  const status = progress.cloudStatus ? ` (${progress.cloudStatus})` : "";
  const message = progress.message ? `: ${progress.message}` : "";
  return `${stage}${status}${message}`;
}

/** Stage.ATTACHING_IP -> "attaching ip". */
export function stageName(stage: Stage): string {
  return (Stage[stage] ?? "unspecified").toLowerCase().replace(/_/g, " ");
}

function elapsedOf(startedAt: number, now: number): string {
  return `${((now - startedAt) / 1000).toFixed(1)}s`;
}
