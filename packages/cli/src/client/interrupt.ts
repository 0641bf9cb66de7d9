/** Ctrl-C while a command waits: stop waiting (abort the call), let the command say what now. */
export interface Interrupt {
  /** Aborted by the first Ctrl-C (SIGINT). */
  readonly signal: AbortSignal;
  readonly interrupted: () => boolean;
  /** Restores the default Ctrl-C (the process ends). */
  dispose(): void;
}

/**
 * Catches SIGINT while a wait runs, so that Ctrl-C aborts the stream instead of killing the
 * process: the command can then print how to resume. A second Ctrl-C ends the process.
 */
export function catchInterrupt(): Interrupt {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error("interrupted (Ctrl-C)"));
  };
  process.on("SIGINT", onSigint);
  return {
    signal: controller.signal,
    interrupted: () => controller.signal.aborted,
    dispose: () => process.off("SIGINT", onSigint),
  };
}

/** `args` as one shell command line, quoted where needed. */
export function shellLine(args: readonly string[]): string {
  return args
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`))
    .join(" ");
}
