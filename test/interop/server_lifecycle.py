"""oaktree.v1 from Python, through stubs generated from proto/ by Debian's protoc.

Boots a server with wait and reads the streamed events to the ready server, watches it being
deleted, and gets NOT_FOUND for a missing one. Prints what it saw as one JSON object, which
test/interop/python.test.ts checks.

Usage: /usr/bin/python3 server_lifecycle.py HOST:PORT STUBS_DIR IMAGE FLAVOR
"""

import json
import queue
import sys
import threading

ADDRESS, STUBS, IMAGE, FLAVOR = sys.argv[1:5]
sys.path.insert(0, STUBS)

import grpc  # noqa: E402
from oaktree.v1 import common_pb2, server_pb2, server_pb2_grpc  # noqa: E402

TIMEOUT = 60


def stage(progress):
    return common_pb2.Stage.Name(progress.stage)


def watch_events(servers):
    """A running WatchServers call, and a queue of its events (an RpcError ends it)."""
    call = servers.WatchServers(server_pb2.WatchServersRequest(), timeout=TIMEOUT)
    events = queue.Queue()

    def read():
        try:
            for event in call:
                events.put(event)
        except grpc.RpcError as error:
            events.put(error)

    threading.Thread(target=read, daemon=True).start()
    return call, events


def next_event(events, until, what):
    """Reads events until `until(event)` is true; the events seen on the way."""
    seen = []
    while True:
        event = events.get(timeout=TIMEOUT)
        if isinstance(event, grpc.RpcError):
            raise SystemExit(f"watch ended before {what}: {event.code().name} {event.details()}")
        seen.append(event)
        if until(event):
            return seen


def main():
    report = {}
    with grpc.insecure_channel(ADDRESS) as channel:
        grpc.channel_ready_future(channel).result(timeout=10)
        servers = server_pb2_grpc.ServerServiceStub(channel)

        request = server_pb2.CreateServerRequest(
            name="py-interop", image=IMAGE, flavor=FLAVOR, auto_ip=True, wait=True
        )
        created = []
        last = None
        for event in servers.CreateServer(request, timeout=TIMEOUT):
            created.append({"stage": stage(event.progress), "cloud_status": event.progress.cloud_status})
            last = event
        server = last.server
        report["create_events"] = created
        report["server"] = {
            "id": server.id,
            "name": server.name,
            "status": server.status,
            "interface_ip": server.interface_ip,
            "floating_ip": last.floating_ip,
            "cloud": server.location.cloud,
        }

        watch, events = watch_events(servers)
        # The watch starts with the servers that exist (ours among them), then follows changes.
        next_event(events, lambda e: e.server.id == server.id, "the server was listed")

        deleted = []
        delete = server_pb2.DeleteServerRequest(name_or_id=server.id, wait=True, delete_ips=True)
        for event in servers.DeleteServer(delete, timeout=TIMEOUT):
            deleted.append(stage(event.progress))
        report["delete_events"] = deleted

        seen = next_event(
            events,
            lambda e: e.server.id == server.id
            and e.type == common_pb2.EVENT_TYPE_DELETED,
            "the server was deleted",
        )
        report["watch_last"] = common_pb2.EventType.Name(seen[-1].type)
        report["watch_resume_token"] = seen[-1].resume_token != ""
        watch.cancel()

        try:
            servers.GetServer(server_pb2.GetServerRequest(name_or_id="no-such-server"), timeout=10)
            report["missing"] = {"code": "OK"}
        except grpc.RpcError as error:
            report["missing"] = {"code": error.code().name, "details": error.details()}

    print(json.dumps(report))


if __name__ == "__main__":
    main()
