// Pure: no DOM. The server table's state, fed only by WatchServers events.
import { EventType } from "../../src/gen/oaktree/v1/common_pb.js";
import type { Server, WatchServersResponse } from "../../src/gen/oaktree/v1/server_pb.js";

/** The servers of one place as the watch has told them, and where to resume. */
export interface ServerList {
  readonly servers: ReadonlyMap<string, Server>;
  /** The last resume token seen: a reconnect continues after it. */
  readonly resumeToken: string;
  /** True once the current state has arrived (the first bookmark). */
  readonly synced: boolean;
  /** True while an `initial` list is arriving: it replaces what was held. */
  readonly receivingInitial: boolean;
}

/** Before the first event. */
export const EMPTY_LIST: ServerList = {
  servers: new Map(),
  resumeToken: "",
  synced: false,
  receivingInitial: false,
};

/**
 * One watch event applied: ADDED and MODIFIED put the server, DELETED removes it, BOOKMARK
 * marks the list current. An `initial` batch (the start, or a resume token too old to replay)
 * replaces everything held before it.
 */
export function applyServerEvent(list: ServerList, event: WatchServersResponse): ServerList {
  const resumeToken = event.resumeToken || list.resumeToken;
  if (event.type === EventType.BOOKMARK) {
    return { ...list, resumeToken, synced: true, receivingInitial: false };
  }
  const server = event.server;
  if (!server) return { ...list, resumeToken };
  const startsInitial = event.initial && !list.receivingInitial;
  const servers = new Map(startsInitial ? [] : list.servers);
  if (event.type === EventType.DELETED) servers.delete(server.id);
  else servers.set(server.id, server);
  return { servers, resumeToken, synced: list.synced, receivingInitial: event.initial };
}

/** The servers whose name, id, status or any address contains `text` (case-insensitive), by name. */
export function filterServers(servers: Iterable<Server>, text: string): Server[] {
  const needle = text.trim().toLowerCase();
  const matches = (server: Server) =>
    needle === "" ||
    [server.name, server.id, server.status, ...server.addresses.map((a) => a.address)].some((field) =>
      field.toLowerCase().includes(needle),
    );
  return [...servers]
    .filter(matches)
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
