import { createContextKey } from "@connectrpc/connect";

/**
 * oaktree's id of the call (`req-<uuid>`), set by the listener that received it: logged with
 * every line of the call, sent to the cloud as X-OpenStack-Request-ID, returned in errors.
 */
export const requestIdKey = createContextKey<string | undefined>(undefined, {
  description: "oaktree request id",
});
