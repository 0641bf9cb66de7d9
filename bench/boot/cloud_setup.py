"""Setup and teardown for the boot benchmark, with Debian's python3-openstacksdk.

  cloud_setup.py project ADMIN_CLOUD NAME CLOUDS_OUT   a project and member user NAME (random
      password), quotas for 100 servers and floating IPs, and a clouds.yaml with cloud NAME
  cloud_setup.py network CLOUD NAME                    network + subnet + router to the external
      network, for auto_ip; prints {"network": NAME-net}
  cloud_setup.py leftovers CLOUD                       what the project holds: servers, floating IPs
  cloud_setup.py clean CLOUD                           deletes every server, then every floating IP
  cloud_setup.py teardown CLOUD NAME [ADMIN_CLOUD]     clean, the network, and the project and user

Prints one JSON line."""
import json
import secrets
import sys
import time

import openstack


def leftovers(conn):
    servers = list(conn.compute.servers())
    fips = list(conn.network.ips(project_id=conn.current_project_id))
    return {
        "servers": len(servers),
        "floatingIps": len(fips),
        "unattachedFloatingIps": sum(1 for f in fips if not f.port_id),
    }


def clean(conn):
    before = leftovers(conn)
    for s in conn.compute.servers():
        conn.compute.delete_server(s.id, ignore_missing=True)
    deadline = time.time() + 300
    while time.time() < deadline and list(conn.compute.servers()):
        time.sleep(2)
    for f in conn.network.ips(project_id=conn.current_project_id):
        conn.network.delete_ip(f.id, ignore_missing=True)
    return {"before": before, "after": leftovers(conn)}


cmd = sys.argv[1]
if cmd == "project":
    admin = openstack.connect(cloud=sys.argv[2])
    name, out = sys.argv[3], sys.argv[4]
    project = admin.identity.create_project(name=name, domain_id="default")
    password = secrets.token_urlsafe(16)
    user = admin.identity.create_user(name=name, password=password, domain_id="default", default_project_id=project.id)
    role = admin.identity.find_role("member")
    admin.identity.assign_project_role_to_user(project, user, role)
    admin.set_compute_quotas(project.id, instances=100, cores=100, ram=100 * 1024)
    admin.set_network_quotas(project.id, floatingip=150, port=300, network=10, router=10, subnet=10)
    auth_url = admin.config.config["auth"]["auth_url"]
    with open(out, "w") as f:
        f.write(
            "clouds:\n  %s:\n    auth:\n      auth_url: %s\n      username: %s\n      password: %s\n"
            "      project_name: %s\n      user_domain_id: default\n      project_domain_id: default\n"
            "    region_name: RegionOne\n    interface: public\n    identity_api_version: 3\n"
            % (name, auth_url, name, password, name)
        )
    print(json.dumps({"project": project.id, "user": user.id}))
elif cmd == "network":
    conn = openstack.connect(cloud=sys.argv[2])
    name = sys.argv[3]
    external = next(n for n in conn.network.networks() if n.is_router_external)
    net = conn.network.create_network(name=name + "-net")
    subnet = conn.network.create_subnet(
        name=name + "-subnet", network_id=net.id, ip_version=4, cidr="10.77.0.0/22", dns_nameservers=[]
    )
    router = conn.network.create_router(name=name + "-router", external_gateway_info={"network_id": external.id})
    conn.network.add_interface_to_router(router, subnet_id=subnet.id)
    print(json.dumps({"network": net.name, "networkId": net.id, "external": external.name}))
elif cmd == "leftovers":
    print(json.dumps(leftovers(openstack.connect(cloud=sys.argv[2]))))
elif cmd == "clean":
    print(json.dumps(clean(openstack.connect(cloud=sys.argv[2]))))
elif cmd == "teardown":
    conn = openstack.connect(cloud=sys.argv[2])
    name = sys.argv[3]
    result = clean(conn)
    router = conn.network.find_router(name + "-router")
    subnet = conn.network.find_subnet(name + "-subnet")
    if router and subnet:
        conn.network.remove_interface_from_router(router, subnet_id=subnet.id)
    if router:
        conn.network.delete_router(router)
    for p in conn.network.ports(project_id=conn.current_project_id):
        conn.network.delete_port(p, ignore_missing=True)
    if subnet:
        conn.network.delete_subnet(subnet)
    net = conn.network.find_network(name + "-net")
    if net:
        conn.network.delete_network(net)
    if len(sys.argv) > 4:
        admin = openstack.connect(cloud=sys.argv[4])
        user = admin.identity.find_user(name, domain_id="default")
        project = admin.identity.find_project(name, domain_id="default")
        if user:
            admin.identity.delete_user(user)
        if project:
            admin.identity.delete_project(project)
    print(json.dumps(result))
else:
    sys.exit("usage: cloud_setup.py project|network|leftovers|clean|teardown ...")
