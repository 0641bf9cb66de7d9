"""openstacksdk's side of the boot benchmark: N threads, each its own Connection (an
independent user program) with its own global request id, each calling
create_server(auto_ip=True, wait=True). Argument: JSON {cloud, n, image, flavor, network,
prefix, timeout, config_file?}. Prints one JSON line: per server ok, id, floating IP, seconds,
error, global request id.

Run by bench/boot.ts with Debian's python3-openstacksdk (/usr/bin/python3)."""
import json
import sys
import threading
import time
import uuid

import openstack

args = json.loads(sys.argv[1])
n = int(args["n"])
results = [None] * n


def boot(i):
    gid = "req-" + str(uuid.uuid4())
    started = time.time()
    try:
        conn = openstack.connect(cloud=args["cloud"], global_request_id=gid)
        server = conn.create_server(
            name="%s-%d" % (args["prefix"], i),
            image=args["image"],
            flavor=args["flavor"],
            network=args["network"],
            auto_ip=True,
            wait=True,
            timeout=int(args["timeout"]),
        )
        results[i] = {
            "ok": bool(server.public_v4),
            "id": server.id,
            "ip": server.public_v4 or "",
            "seconds": time.time() - started,
            "globalRequestId": gid,
            **({} if server.public_v4 else {"error": "no public_v4"}),
        }
    except Exception as e:  # every failure is a data point
        results[i] = {
            "ok": False,
            "error": ("%s: %s" % (type(e).__name__, e))[:400],
            "seconds": time.time() - started,
            "globalRequestId": gid,
        }


threads = [threading.Thread(target=boot, args=(i,)) for i in range(n)]
for t in threads:
    t.start()
for t in threads:
    t.join(float(args["timeout"]) + 60)
print(json.dumps({"results": [r or {"ok": False, "error": "thread did not finish"} for r in results]}))
