"""The 2017 oaktree API from Python: a client generated from openstack/oaktreemodel's protos
(proto/oaktreemodel, unchanged) lists flavors and images through oaktree's legacy service.
Prints what it saw as one JSON object, which test/interop/python.test.ts checks.

Usage: /usr/bin/python3 legacy_client.py HOST:PORT STUBS_DIR
"""

import json
import sys

ADDRESS, STUBS = sys.argv[1:3]
sys.path.insert(0, STUBS)

import grpc  # noqa: E402
import common_pb2  # noqa: E402
import image_pb2  # noqa: E402
import oaktree_pb2_grpc  # noqa: E402


def main():
    with grpc.insecure_channel(ADDRESS) as channel:
        grpc.channel_ready_future(channel).result(timeout=10)
        oaktree = oaktree_pb2_grpc.OaktreeStub(channel)
        flavors = oaktree.ListFlavors(common_pb2.Filter(), timeout=30).flavors
        images = oaktree.ListImages(common_pb2.Filter(jmespath="[?is_public]"), timeout=30).images
        small = oaktree.ListFlavors(common_pb2.Filter(filter={"vcpus": "1"}), timeout=30).flavors
        try:
            oaktree.GetFlavor(common_pb2.Filter(name_or_id="no-such-flavor"), timeout=30)
            missing = "OK"
        except grpc.RpcError as error:
            missing = error.code().name
    print(
        json.dumps(
            {
                "flavors": [
                    {"name": f.name, "ram": f.ram, "vcpus": f.vcpus, "cloud": f.location.cloud}
                    for f in flavors
                ],
                "one_vcpu": sorted(f.name for f in small),
                "images": [
                    {
                        "name": i.name,
                        "status": image_pb2.Image.Status.Name(i.status),
                        "is_public": i.is_public,
                    }
                    for i in images
                ],
                "missing_flavor": missing,
            }
        )
    )


if __name__ == "__main__":
    main()
