import type { ApiErrorView } from "./errors.js";

/** An API error in place: its status, message, and the ids that find it in the cloud's and oaktree's logs. */
export function ErrorView({ error, label }: { readonly error: ApiErrorView; readonly label: string }) {
  return (
    <div class="error" role="alert">
      <p>
        <strong>{label}</strong>: <code class="status">{error.status}</code> {error.message}
      </p>
      {(error.cloudRequestId || error.requestId) && (
        <dl class="ids">
          {error.cloudRequestId && (
            <>
              <dt>Cloud request id{error.cloudStatus ? ` (HTTP ${error.cloudStatus})` : ""}</dt>
              <dd>
                <code class="cloud-request-id">{error.cloudRequestId}</code>
              </dd>
            </>
          )}
          {error.requestId && (
            <>
              <dt>oaktree request id</dt>
              <dd>
                <code class="request-id">{error.requestId}</code>
              </dd>
            </>
          )}
        </dl>
      )}
    </div>
  );
}
