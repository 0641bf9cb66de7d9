import { useContext, useEffect, useRef, useState } from "preact/hooks";
import type { Server } from "../../src/gen/oaktree/v1/server_pb.js";
import { api, locationOf, type Place } from "./api.js";
import { NeedCredentials } from "./auth.js";
import { ErrorView } from "./error-view.js";
import { type ApiErrorView, describeError, isUnauthenticated } from "./errors.js";
import { progressText } from "./progress.js";
import { applyServerEvent, EMPTY_LIST, filterServers, type ServerList } from "./server-list.js";

type WatchState = "connecting" | "live" | "reconnecting";

/** Rows rendered at most: a project of thousands stays responsive; the filter finds the rest. */
export const MAX_ROWS = 200;

/**
 * The servers of one place as a live table fed by WatchServers only (no polling from the page):
 * rows appear, change and disappear as the cloud changes, whoever changed it. A stream that
 * ends (server restart, network) resumes after its last token.
 */
export function ServersPanel({ place }: { readonly place: Place }) {
  const needCredentials = useContext(NeedCredentials);
  const [list, setList] = useState<ServerList>(EMPTY_LIST);
  const [state, setState] = useState<WatchState>("connecting");
  const [error, setError] = useState<ApiErrorView>();
  const [filter, setFilter] = useState("");

  useEffect(() => {
    const abort = new AbortController();
    let current = EMPTY_LIST;
    let delayMs = 1000;
    (async () => {
      while (!abort.signal.aborted) {
        try {
          const events = api.servers.watchServers(
            { location: locationOf(place), resumeToken: current.resumeToken },
            { signal: abort.signal },
          );
          for await (const event of events) {
            current = applyServerEvent(current, event);
            setList(current);
            if (current.synced) {
              setState("live");
              setError(undefined);
              delayMs = 1000;
            }
          }
        } catch (caught) {
          if (abort.signal.aborted) return;
          if (isUnauthenticated(caught)) needCredentials();
          setError(describeError(caught));
        }
        setState("reconnecting");
        await sleep(delayMs, abort.signal);
        delayMs = Math.min(delayMs * 2, 15_000);
      }
    })();
    return () => abort.abort();
  }, [place.cloud, place.region, needCredentials]);

  const matching = filterServers(list.servers.values(), filter);
  const shown = matching.slice(0, MAX_ROWS);
  return (
    <div class="servers">
      <div class="toolbar">
        <div class="field">
          <label for="server-filter">Filter servers</label>{" "}
          <input
            id="server-filter"
            type="search"
            value={filter}
            onInput={(event) => setFilter(event.currentTarget.value)}
            placeholder="name, status or address"
          />
        </div>
        <span class={`watch watch-${state}`} role="status">
          {state === "live"
            ? `live: ${list.servers.size} server${list.servers.size === 1 ? "" : "s"}`
            : state === "connecting"
              ? "connecting…"
              : "reconnecting…"}
        </span>
      </div>
      {error && <ErrorView error={error} label="Watching the servers failed" />}
      <table class="server-table" aria-label="Servers" aria-busy={!list.synced}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Addresses</th>
            <th scope="col">Flavor</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((server) => (
            <ServerRow key={server.id} server={server} place={place} />
          ))}
          {matching.length > shown.length && (
            <tr>
              <td colSpan={5} class="muted more">
                Showing {shown.length} of {matching.length} servers: type in the filter to find the others.
              </td>
            </tr>
          )}
          {list.synced && shown.length === 0 && (
            <tr>
              <td colSpan={5} class="muted">
                {list.servers.size === 0 ? "No servers." : "No server matches the filter."}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

function ServerRow({ server, place }: { readonly server: Server; readonly place: Place }) {
  return (
    <tr data-server-id={server.id}>
      <th scope="row">
        {server.name}
        <div class="muted id">{server.id}</div>
      </th>
      <td>
        <span class={`status status-${server.status.toLowerCase()}`}>{server.status}</span>
        {server.taskState && <span class="muted"> ({server.taskState})</span>}
        {server.fault && <div class="muted">{server.fault.message}</div>}
      </td>
      <td>
        <ul class="addresses">
          {server.addresses.map((address) => (
            <li key={`${address.network}/${address.address}`}>
              <code>{address.address}</code>{" "}
              <span class="muted">
                {address.network} {address.type}
              </span>
              {address.address === server.interfaceIp && (
                <span class="badge reachable" title="the address to reach the server on (interface_ip)">
                  reachable
                </span>
              )}
            </li>
          ))}
        </ul>
      </td>
      <td>{server.flavor?.name}</td>
      <td>
        <DeleteControl server={server} place={place} />
      </td>
    </tr>
  );
}

type DeleteState =
  | { readonly kind: "idle" }
  | { readonly kind: "confirming" }
  | { readonly kind: "deleting"; readonly step: string }
  | { readonly kind: "failed"; readonly error: ApiErrorView };

/** Delete, confirmed in place, streaming DeleteServer's progress (floating IPs oaktree attached go too). */
function DeleteControl({ server, place }: { readonly server: Server; readonly place: Place }) {
  const [state, setState] = useState<DeleteState>({ kind: "idle" });
  const confirm = useRef<HTMLButtonElement>(null);
  const start = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (state.kind === "confirming") confirm.current?.focus();
  }, [state.kind]);

  const remove = async () => {
    setState({ kind: "deleting", step: "Requested" });
    try {
      const steps = api.servers.deleteServer({
        location: locationOf(place),
        nameOrId: server.id,
        wait: true,
        deleteIps: true,
      });
      for await (const step of steps) setState({ kind: "deleting", step: progressText(step.progress) });
    } catch (caught) {
      setState({ kind: "failed", error: describeError(caught) });
    }
  };

  if (state.kind === "confirming") {
    return (
      <fieldset class="confirm">
        <legend>Delete {server.name} and its floating IPs?</legend>
        <button type="button" class="danger" ref={confirm} onClick={remove}>
          Yes, delete
        </button>{" "}
        <button
          type="button"
          onClick={() => {
            setState({ kind: "idle" });
            requestAnimationFrame(() => start.current?.focus());
          }}
        >
          Cancel
        </button>
      </fieldset>
    );
  }
  return (
    <div>
      {state.kind !== "deleting" && (
        <button
          type="button"
          ref={start}
          aria-label={`Delete ${server.name}`}
          onClick={() => setState({ kind: "confirming" })}
        >
          Delete
        </button>
      )}
      <div class="delete-progress" aria-live="polite">
        {state.kind === "deleting" && state.step}
      </div>
      {state.kind === "failed" && <ErrorView error={state.error} label={`Deleting ${server.name} failed`} />}
    </div>
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
