/**
 * Runs a core call that reports progress through a callback and yields, in order, each
 * progress report and then the call's result: what a server-streaming handler needs to turn
 * core's `onProgress` into stream events. An error of the call is thrown after the reports
 * made before it.
 */
export async function* reportsThenResult<P, R>(
  run: (report: (progress: P) => void) => Promise<R>,
): AsyncGenerator<{ readonly progress: P } | { readonly result: R }> {
  const reports: P[] = [];
  let wake: (() => void) | undefined;
  const report = (progress: P) => {
    reports.push(progress);
    wake?.();
  };
  let outcome: { readonly result: R } | { readonly error: unknown } | undefined;
  const done = run(report).then(
    (result) => {
      outcome = { result };
    },
    (error: unknown) => {
      outcome = { error };
    },
  );
  for (;;) {
    while (reports.length > 0) yield { progress: reports.shift() as P };
    if (outcome) {
      if ("error" in outcome) throw outcome.error;
      yield { result: outcome.result };
      return;
    }
    await Promise.race([done, new Promise<void>((resolve) => (wake = resolve))]);
    wake = undefined;
  }
}
