import type { Progress } from "./api.js";
import type { CommandContext } from "./command.js";
import { catchInterrupt } from "./interrupt.js";
import { progressDisplay } from "./progress.js";

/** Options of {@link followProgress}. */
export interface FollowOptions<E> {
  /** The subject of the progress lines: "creating server demo". */
  readonly what: string;
  /** Render the progress (--wait); without it the stream is read silently. */
  readonly show: boolean;
  /** The last line, from the events received: "ACTIVE, reachable at 172.24.4.10". */
  readonly summary: (events: readonly E[]) => string;
  /** Printed on stderr after Ctrl-C: what goes on, and how to resume. */
  readonly interrupted: string;
}

/**
 * Runs one streaming call whose events carry `progress` (create/delete with --wait): renders
 * them (progressDisplay), and turns Ctrl-C into "stop waiting": the stream is cancelled, nothing
 * else is done, `options.interrupted` is printed and the command ends with exit code 130.
 * Returns every event received.
 */
export async function followProgress<E extends { readonly progress?: Progress }>(
  context: CommandContext,
  options: FollowOptions<E>,
  call: (signal: AbortSignal) => AsyncIterable<E>,
): Promise<E[]> {
  const interrupt = catchInterrupt();
  const display = options.show ? progressDisplay(context.stderr, options.what) : undefined;
  const events: E[] = [];
  try {
    for await (const event of call(interrupt.signal)) {
      events.push(event);
      if (event.progress) display?.update(event.progress);
    }
    display?.finish(options.summary(events));
    return events;
  } catch (error) {
    display?.stop();
    if (!interrupt.interrupted()) throw error;
    context.stderr.write(options.interrupted);
    return context.interrupted();
  } finally {
    interrupt.dispose();
  }
}
