#!/usr/bin/env bash
# openstack-lite: a small but real OpenStack Zed cloud (Debian 12 packages) on 127.0.0.1.
# oaktree's copy of ../shared/openstack (see README.md here for what changed).
#
#   keystone, glance (file store), placement, nova (api, conductor, scheduler,
#   compute with fake.FakeDriver), neutron-server (ML2, no agents), cinder (api,
#   scheduler, volume with cinder's FakeLoggingVolumeDriver), rabbitmq, sqlite (keystone,
#   placement) and MariaDB (nova, neutron, cinder, glance).
#
# Usage:  bash up.sh            (as root; installs Debian packages if missing)
# Env:    OS_LITE_DIR      state dir (default /tmp/oaktree-openstack); wiped on every run
#         OS_LITE_PASSWORD password of admin, demo and all service users (default: secret)
#         OS_LITE_SKIP_INSTALL=1   do not run apt-get
#         OS_LITE_NO_CINDER=1      do not start cinder
# Stop:   bash down.sh   (stops exactly the PIDs recorded in $OS_LITE_DIR/run/pids)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T0=$(date +%s)
D=${OS_LITE_DIR:-/tmp/oaktree-openstack}
PW=${OS_LITE_PASSWORD:-secret}
WITH_CINDER=1; [ "${OS_LITE_NO_CINDER:-0}" = 1 ] && WITH_CINDER=0
H=127.0.0.1
HOSTNAME_OS=openstack-lite            # nova/cinder/neutron "host" name
KS=http://$H:5000
RABBIT_URL="rabbit://guest:guest@$H:5672/"

# pyenv/venv shims may shadow Debian's python3: the OpenStack packages live in /usr/bin/python3.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV OS_CLOUD OS_AUTH_URL OS_USERNAME OS_PASSWORD OS_PROJECT_NAME OS_TOKEN || true
export LC_ALL=C.UTF-8 LANG=C.UTF-8
PY=/usr/bin/python3

log() { printf '[up %4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root"

# ---------------------------------------------------------------- packages
if [ "${OS_LITE_SKIP_INSTALL:-0}" != 1 ]; then
  bash "$HERE/install.sh" || die "package installation failed"
fi

# ---------------------------------------------------------------- state dir
if [ -f "$D/run/pids" ]; then
  log "stopping processes of a previous run"
  OS_LITE_DIR="$D" bash "$HERE/down.sh" || true
fi
if [ -e "$D" ]; then
  [ -f "$D/.openstack-lite" ] || die "$D exists and is not an openstack-lite state dir; refusing to wipe it"
  rm -rf "$D"
fi
mkdir -p "$D"/{etc,db,mysql,log,run,bin,pylib,rabbitmq,keystone,glance/images,glance/staging,nova/instances,nova/lock,neutron/lock,cinder/lock,placement}
touch "$D/.openstack-lite"
PIDS=$D/run/pids; : > "$PIDS"
L=$D/log
E=$D/etc

for port in 3306 4369 5000 5672 8774 8776 8778 9292 9696 25672; do
  if (exec 3<>/dev/tcp/$H/$port) 2>/dev/null; then die "port $port on $H is already in use"; fi
done

# start NAME CMD...: run in its own session (pgid == pid), log to $L/NAME.log, record pid + start time
start() {
  local name=$1; shift
  setsid "$@" >>"$L/$name.log" 2>&1 </dev/null &
  local pid=$!
  local st; st=$(awk '{print $22}' "/proc/$pid/stat" 2>/dev/null || echo 0)
  echo "$name $pid $st" >> "$PIDS"
}
wait_port() { # name port timeout
  local i
  for ((i=0; i<$3*5; i++)); do
    (exec 3<>/dev/tcp/$H/$2) 2>/dev/null && return 0
    sleep 0.2
  done
  tail -40 "$L/$1.log" >&2 || true
  die "$1 did not open port $2 within $3s (log: $L/$1.log)"
}
wait_http() { # name url timeout  -- any HTTP answer < 500 counts
  local i code
  for ((i=0; i<$3*4; i++)); do
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$2" || true)
    case $code in 2??|3??|401|404|406) return 0;; esac
    sleep 0.25
  done
  tail -40 "$L/$1.log" >&2 || true
  die "$1 did not answer on $2 within $3s (log: $L/$1.log)"
}
# small python launcher for a console entry point (the Debian python3-* packages ship
# the code but not /usr/bin/nova-api etc.; those come with the service packages we skip)
mkbin() { # name module:function
  cat > "$D/bin/$1" <<EOF
#!/usr/bin/python3
import sys
from ${2%%:*} import ${2##*:}
sys.argv[0] = "$1"
sys.exit(${2##*:}())
EOF
  chmod +x "$D/bin/$1"
}
sqlite_wal() { for f in "$@"; do sqlite3 "$f" 'PRAGMA journal_mode=WAL;' >/dev/null; done; }

authtoken() { # service-user
  cat <<EOF
[keystone_authtoken]
www_authenticate_uri = $KS
auth_url = $KS
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $PW
interface = public
service_token_roles = service
service_token_roles_required = true
EOF
}
serviceuser() { # service-user: send a service token along with the user's token (nova->cinder
  # attachment delete requires it since the OSSA-2023-003 fix that Debian backported)
  cat <<EOF
[service_user]
send_service_user_token = true
auth_type = password
auth_url = $KS
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $PW
EOF
}
svcauth() { # section service-user  (keystoneauth options for service-to-service calls)
  cat <<EOF
[$1]
auth_type = password
auth_url = $KS
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $2
password = $PW
region_name = RegionOne
valid_interfaces = public
EOF
}

# ---------------------------------------------------------------- rabbitmq
log "starting rabbitmq"
R=$D/rabbitmq
cat > "$R/rabbitmq.conf" <<EOF
listeners.tcp.default = $H:5672
loopback_users.guest = true
log.file.level = warning
disk_free_limit.absolute = 50MB
EOF
echo '[].' > "$R/enabled_plugins"
: > "$R/rabbitmq-env.conf"
mkdir -p "$R/mnesia" "$R/log"
export ERL_EPMD_ADDRESS=$H ERL_EPMD_PORT=4369
start epmd /usr/bin/epmd -address $H -port 4369
wait_port epmd 4369 20
start rabbitmq env HOME="$R" \
  RABBITMQ_CONF_ENV_FILE="$R/rabbitmq-env.conf" \
  RABBITMQ_CONFIG_FILE="$R/rabbitmq.conf" \
  RABBITMQ_ENABLED_PLUGINS_FILE="$R/enabled_plugins" \
  RABBITMQ_MNESIA_BASE="$R/mnesia" RABBITMQ_LOG_BASE="$R/log" \
  RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_NODE_IP_ADDRESS=$H RABBITMQ_NODE_PORT=5672 \
  RABBITMQ_DIST_PORT=25672 \
  RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
  /usr/lib/rabbitmq/bin/rabbitmq-server

# ---------------------------------------------------------------- mariadb
# sqlite serves keystone and placement (one single-threaded uwsgi process each), but the
# eventlet services (nova, neutron, cinder, glance) deadlock on sqlite's file lock
# ("database is locked": a greenthread blocks in sqlite's busy wait while another greenthread
# of the same process holds the write lock), so they get MariaDB.
log "starting mariadb"
mariadb-install-db --no-defaults --datadir="$D/mysql" --user=root --auth-root-authentication-method=normal \
  --skip-test-db > "$L/mariadb-install.log" 2>&1 || { tail -20 "$L/mariadb-install.log"; die "mariadb-install-db failed"; }
start mariadb /usr/sbin/mariadbd --no-defaults --datadir="$D/mysql" --user=root --bind-address=$H --port=3306 \
  --socket="$D/run/mysqld.sock" --pid-file="$D/run/mysqld.pid" --skip-log-bin --skip-name-resolve \
  --innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=2 --max-connections=1000 \
  --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci --log-error="$L/mariadb.err"
DBURL() { echo "mysql+pymysql://openstack:$PW@$H/$1?charset=utf8"; }

# ---------------------------------------------------------------- keystone
log "keystone: config + db"
mkdir -p "$E/keystone"
cat > "$E/keystone/keystone.conf" <<EOF
[DEFAULT]
log_file = $L/keystone-app.log
[database]
connection = sqlite:///$D/db/keystone.sqlite
[token]
provider = fernet
[fernet_tokens]
key_repository = $D/keystone/fernet-keys
[fernet_receipts]
key_repository = $D/keystone/fernet-keys
[credential]
key_repository = $D/keystone/credential-keys
[cache]
# in-process cache: keystone runs as ONE uwsgi process, so it stays coherent; without it
# every authenticated request costs ~400 SQL queries (~350 ms) on sqlite
enabled = true
backend = dogpile.cache.memory
[identity]
# bcrypt cost 4 instead of 12: every password auth gets ~0.3s faster (test cloud only)
password_hash_rounds = 4
EOF
KCONF=(--config-file "$E/keystone/keystone.conf")
keystone-manage "${KCONF[@]}" db_sync > "$L/keystone-manage.log" 2>&1
sqlite_wal "$D/db/keystone.sqlite"
keystone-manage "${KCONF[@]}" fernet_setup --keystone-user root --keystone-group root >> "$L/keystone-manage.log" 2>&1
keystone-manage "${KCONF[@]}" credential_setup --keystone-user root --keystone-group root >> "$L/keystone-manage.log" 2>&1
keystone-manage "${KCONF[@]}" bootstrap --bootstrap-password "$PW" \
  --bootstrap-username admin --bootstrap-project-name admin --bootstrap-role-name admin \
  --bootstrap-service-name keystone --bootstrap-region-id RegionOne \
  --bootstrap-admin-url $KS/v3 --bootstrap-internal-url $KS/v3 --bootstrap-public-url $KS/v3 \
  >> "$L/keystone-manage.log" 2>&1

# uwsgi: master + 1 single-threaded worker (sqlite connections must not cross threads), loopback only
uwsgi_app() { # name port wsgi-file env...
  local name=$1 port=$2 file=$3; shift 3
  local envs=(); for e in "$@"; do envs+=(--env "$e"); done
  start "$name" /usr/bin/uwsgi --plugin python3 --http-socket "$H:$port" --wsgi-file "$file" \
    --master --processes 1 --threads 1 --enable-threads --lazy-apps --die-on-term --no-orphans \
    --buffer-size 65535 --procname-prefix-spaced "$name" --add-header "Connection: close" "${envs[@]}"
}
log "starting keystone"
uwsgi_app keystone 5000 /usr/bin/keystone-wsgi-public "OS_KEYSTONE_CONFIG_DIR=$E/keystone"
wait_http keystone $KS/v3 60

# ---------------------------------------------------------------- identity data
log "keystone: projects, users, services, endpoints"
cat > "$D/bin/ks-setup.py" <<'PYEOF'
import os, sys
from keystoneauth1.identity import v3
from keystoneauth1 import session
KS, PW = os.environ["KS"], os.environ["PW"]
s = session.Session(auth=v3.Password(auth_url=KS + "/v3", username="admin", password=PW,
                    project_name="admin", user_domain_id="default", project_domain_id="default"))
def url(p): return KS + "/v3/" + p
def find(coll, **q):
    r = s.get(url(coll), params=q).json()[coll]
    return r[0] if r else None
def ensure(coll, key, body, **q):
    obj = find(coll, **q)
    if obj: return obj
    return s.post(url(coll), json={key: body}).json()[key]
role = {r["name"]: r["id"] for r in s.get(url("roles")).json()["roles"]}
for n in ("member", "reader", "service"):
    if n not in role:
        role[n] = s.post(url("roles"), json={"role": {"name": n}}).json()["role"]["id"]
proj = {}
for n, desc in (("service", "Service project"), ("demo", "Demo project")):
    proj[n] = ensure("projects", "project", {"name": n, "domain_id": "default", "description": desc},
                     name=n, domain_id="default")["id"]
proj["admin"] = find("projects", name="admin", domain_id="default")["id"]
def user(name, pid, roles):
    u = ensure("users", "user", {"name": name, "domain_id": "default", "password": PW,
                                 "default_project_id": pid}, name=name, domain_id="default")
    for r in roles:
        s.put(url("projects/%s/users/%s/roles/%s" % (pid, u["id"], role[r])))
    return u
user("demo", proj["demo"], ["member", "reader"])
admin = find("users", name="admin", domain_id="default")
s.put(url("projects/%s/users/%s/roles/%s" % (proj["demo"], admin["id"], role["admin"])))
services = os.environ["SERVICES"].split()
for name in services:
    user(name, proj["service"], ["admin", "service"])
H = "http://127.0.0.1"
cat = [("glance", "image", H + ":9292"), ("placement", "placement", H + ":8778"),
       ("nova", "compute", H + ":8774/v2.1"), ("neutron", "network", H + ":9696")]
if "cinder" in services:
    cat += [("cinderv3", "volumev3", H + ":8776/v3/%(project_id)s"),
            ("cinder", "block-storage", H + ":8776/v3/%(project_id)s")]
for name, typ, u in cat:
    svc = ensure("services", "service", {"name": name, "type": typ, "enabled": True}, type=typ)
    for iface in ("public", "internal", "admin"):
        ensure("endpoints", "endpoint", {"service_id": svc["id"], "interface": iface, "url": u,
                                         "region_id": "RegionOne", "enabled": True},
               service_id=svc["id"], interface=iface)
print("keystone setup ok")
PYEOF
SERVICES="glance placement nova neutron"; [ $WITH_CINDER = 1 ] && SERVICES="$SERVICES cinder"
KS=$KS PW=$PW SERVICES=$SERVICES $PY "$D/bin/ks-setup.py" > "$L/ks-setup.log" 2>&1 || { cat "$L/ks-setup.log"; die "keystone setup failed"; }

# clouds.yaml
cat > "$D/clouds.yaml" <<EOF
clouds:
  devstack:
    auth:
      auth_url: $KS/v3
      username: demo
      password: $PW
      project_name: demo
      user_domain_id: default
      project_domain_id: default
    region_name: RegionOne
    interface: public
    identity_api_version: 3
  devstack-admin:
    auth:
      auth_url: $KS/v3
      username: admin
      password: $PW
      project_name: admin
      user_domain_id: default
      project_domain_id: default
    region_name: RegionOne
    interface: public
    identity_api_version: 3
EOF

# ---------------------------------------------------------------- databases
wait_port mariadb 3306 60
mariadb --no-defaults -uroot -h$H -P3306 <<EOF
CREATE USER IF NOT EXISTS 'openstack'@'127.0.0.1' IDENTIFIED BY '$PW';
CREATE USER IF NOT EXISTS 'openstack'@'localhost' IDENTIFIED BY '$PW';
$(for db in glance nova_api nova_cell0 nova neutron cinder; do
    echo "CREATE DATABASE IF NOT EXISTS $db CHARACTER SET utf8;"
    echo "GRANT ALL PRIVILEGES ON $db.* TO 'openstack'@'127.0.0.1';"
    echo "GRANT ALL PRIVILEGES ON $db.* TO 'openstack'@'localhost';"
  done)
FLUSH PRIVILEGES;
EOF

# ---------------------------------------------------------------- glance
log "glance: config + db"
mkdir -p "$E/glance"
cat > "$E/glance/glance-api.conf" <<EOF
[DEFAULT]
bind_host = $H
bind_port = 9292
workers = 0
log_file = $L/glance-api.log
node_staging_uri = file://$D/glance/staging
image_cache_dir = $D/glance/cache
enabled_import_methods = [glance-direct,web-download,copy-image]
[database]
connection = $(DBURL glance)
[glance_store]
stores = file,http
default_store = file
filesystem_store_datadir = $D/glance/images
[paste_deploy]
flavor = keystone
config_file = $E/glance/glance-api-paste.ini
[oslo_concurrency]
lock_path = $D/glance
$(authtoken glance)
EOF
cat > "$E/glance/glance-api-paste.ini" <<'EOF'
[pipeline:glance-api-keystone]
pipeline = cors healthcheck http_proxy_to_wsgi versionnegotiation authtoken context rootapp
[composite:rootapp]
paste.composite_factory = glance.api:root_app_factory
/: apiversions
/v2: apiv2app
[app:apiversions]
paste.app_factory = glance.api.versions:create_resource
[app:apiv2app]
paste.app_factory = glance.api.v2.router:API.factory
[filter:healthcheck]
paste.filter_factory = oslo_middleware:Healthcheck.factory
backends = disable_by_file
disable_by_file_path = /nonexistent/healthcheck_disable
[filter:versionnegotiation]
paste.filter_factory = glance.api.middleware.version_negotiation:VersionNegotiationFilter.factory
[filter:context]
paste.filter_factory = glance.api.middleware.context:ContextMiddleware.factory
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
delay_auth_decision = true
[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = glance
oslo_config_program = glance-api
[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware:HTTPProxyToWSGI.factory
EOF
mkbin glance-api glance.cmd.api:main
mkbin glance-manage glance.cmd.manage:main
"$D/bin/glance-manage" --config-file "$E/glance/glance-api.conf" db_sync > "$L/glance-manage.log" 2>&1 \
  || { tail -30 "$L/glance-manage.log"; die "glance db_sync failed"; }
log "starting glance-api"
start glance-api-stdout "$D/bin/glance-api" --config-file "$E/glance/glance-api.conf"

# ---------------------------------------------------------------- placement
log "placement: config + db"
mkdir -p "$E/placement"
cat > "$E/placement/placement.conf" <<EOF
[DEFAULT]
log_file = $L/placement-app.log
[api]
auth_strategy = keystone
[placement_database]
connection = sqlite:///$D/db/placement.sqlite
$(authtoken placement)
EOF
placement-manage --config-file "$E/placement/placement.conf" db sync > "$L/placement-manage.log" 2>&1 \
  || { tail -30 "$L/placement-manage.log"; die "placement db sync failed"; }
sqlite_wal "$D/db/placement.sqlite"
log "starting placement"
uwsgi_app placement 8778 /usr/bin/placement-api "OS_PLACEMENT_CONFIG_DIR=$E/placement"

# ---------------------------------------------------------------- nova
log "nova: config + dbs"
mkdir -p "$E/nova"
cat > "$E/nova/nova.conf" <<EOF
[DEFAULT]
host = $HOSTNAME_OS
my_ip = $H
state_path = $D/nova
instances_path = $D/nova/instances
transport_url = $RABBIT_URL
compute_driver = fake.FakeDriver
enabled_apis = osapi_compute
osapi_compute_listen = $H
osapi_compute_listen_port = 8774
osapi_compute_workers = 1
metadata_listen = $H
metadata_workers = 1
allow_resize_to_same_host = true
# the fake driver needs no vif-plugged events
vif_plugging_is_fatal = false
vif_plugging_timeout = 0
[api]
auth_strategy = keystone
[wsgi]
api_paste_config = $E/nova/api-paste.ini
[api_database]
connection = $(DBURL nova_api)
[database]
connection = $(DBURL nova)
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = -1
[oslo_concurrency]
lock_path = $D/nova/lock
[oslo_messaging_notifications]
driver = noop
[vnc]
enabled = false
[spice]
enabled = false
[glance]
valid_interfaces = public
region_name = RegionOne
[cinder]
os_region_name = RegionOne
catalog_info = volumev3:cinderv3:publicURL
$(authtoken nova)
$(serviceuser nova)
$(svcauth placement placement)
$(svcauth neutron neutron)
EOF
cat > "$E/nova/api-paste.ini" <<'EOF'
[composite:osapi_compute]
use = call:nova.api.openstack.urlmap:urlmap_factory
/: oscomputeversions
/v2: oscomputeversion_legacy_v2
/v2.1: oscomputeversion_v2
/v2/+: openstack_compute_api_v21_legacy_v2_compatible
/v2.1/+: openstack_compute_api_v21
[composite:openstack_compute_api_v21]
use = call:nova.api.auth:pipeline_factory_v21
keystone = cors http_proxy_to_wsgi compute_req_id faultwrap request_log sizelimit authtoken keystonecontext osapi_compute_app_v21
[composite:openstack_compute_api_v21_legacy_v2_compatible]
use = call:nova.api.auth:pipeline_factory_v21
keystone = cors http_proxy_to_wsgi compute_req_id faultwrap request_log sizelimit authtoken keystonecontext legacy_v2_compatible osapi_compute_app_v21
[filter:request_log]
paste.filter_factory = nova.api.openstack.requestlog:RequestLog.factory
[filter:compute_req_id]
paste.filter_factory = nova.api.compute_req_id:ComputeReqIdMiddleware.factory
[filter:faultwrap]
paste.filter_factory = nova.api.openstack:FaultWrapper.factory
[filter:sizelimit]
paste.filter_factory = oslo_middleware:RequestBodySizeLimiter.factory
[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware.http_proxy_to_wsgi:HTTPProxyToWSGI.factory
[filter:legacy_v2_compatible]
paste.filter_factory = nova.api.openstack:LegacyV2CompatibleWrapper.factory
[app:osapi_compute_app_v21]
paste.app_factory = nova.api.openstack.compute:APIRouterV21.factory
[pipeline:oscomputeversions]
pipeline = cors faultwrap request_log http_proxy_to_wsgi oscomputeversionapp
[pipeline:oscomputeversion_v2]
pipeline = cors compute_req_id faultwrap request_log http_proxy_to_wsgi oscomputeversionapp_v2
[pipeline:oscomputeversion_legacy_v2]
pipeline = cors compute_req_id faultwrap request_log http_proxy_to_wsgi legacy_v2_compatible oscomputeversionapp_v2
[app:oscomputeversionapp]
paste.app_factory = nova.api.openstack.compute.versions:Versions.factory
[app:oscomputeversionapp_v2]
paste.app_factory = nova.api.openstack.compute.versions:VersionsV2.factory
[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = nova
[filter:keystonecontext]
paste.filter_factory = nova.api.auth:NovaKeystoneContext.factory
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
EOF
# nova-compute must not see the database settings (it logs "No DB access allowed in nova-compute")
sed '/^\[api_database\]/,/^connection/d; /^\[database\]/,/^connection/d' "$E/nova/nova.conf" > "$E/nova/nova-compute.conf"
for b in api:nova.cmd.api:main conductor:nova.cmd.conductor:main scheduler:nova.cmd.scheduler:main \
         compute:nova.cmd.compute:main manage:nova.cmd.manage:main; do
  mkbin "nova-${b%%:*}" "${b#*:}"
done
NCONF=(--config-file "$E/nova/nova.conf")
{
  "$D/bin/nova-manage" "${NCONF[@]}" api_db sync
  "$D/bin/nova-manage" "${NCONF[@]}" cell_v2 map_cell0 --database_connection "$(DBURL nova_cell0)"
  "$D/bin/nova-manage" "${NCONF[@]}" cell_v2 create_cell --name cell1 \
      --database_connection "$(DBURL nova)" --transport-url "$RABBIT_URL"
  "$D/bin/nova-manage" "${NCONF[@]}" db sync
} > "$L/nova-manage.log" 2>&1 || { tail -30 "$L/nova-manage.log"; die "nova db setup failed"; }

# ---------------------------------------------------------------- neutron
log "neutron: config + db"
mkdir -p "$E/neutron"
# An ML2 mechanism driver that binds every port without any agent (vif_type ovs, status ACTIVE),
# registered as entry point 'lite_noop' through a tiny dist-info on PYTHONPATH.
mkdir -p "$D/pylib/openstack_lite" "$D/pylib/openstack_lite-0.1.dist-info"
cat > "$D/pylib/openstack_lite/__init__.py" <<'EOF'
from neutron_lib.api.definitions import portbindings
from neutron_lib import constants
from neutron_lib.plugins.ml2 import api


class NoopBindMechanismDriver(api.MechanismDriver):
    """Binds every port on its first segment; there is no dataplane."""

    def initialize(self):
        pass

    def bind_port(self, context):
        for segment in context.segments_to_bind:
            context.set_binding(segment[api.ID], portbindings.VIF_TYPE_OVS,
                                {portbindings.CAP_PORT_FILTER: True,
                                 portbindings.OVS_HYBRID_PLUG: False},
                                status=constants.PORT_STATUS_ACTIVE)
            return
EOF
printf 'Metadata-Version: 2.1\nName: openstack-lite\nVersion: 0.1\n' > "$D/pylib/openstack_lite-0.1.dist-info/METADATA"
printf '[neutron.ml2.mechanism_drivers]\nlite_noop = openstack_lite:NoopBindMechanismDriver\n' \
  > "$D/pylib/openstack_lite-0.1.dist-info/entry_points.txt"
cat > "$E/neutron/neutron.conf" <<EOF
[DEFAULT]
bind_host = $H
bind_port = 9696
host = $HOSTNAME_OS
state_path = $D/neutron
core_plugin = ml2
service_plugins = router,auto_allocate
auth_strategy = keystone
api_paste_config = $E/neutron/api-paste.ini
transport_url = $RABBIT_URL
api_workers = 0
rpc_workers = 1
rpc_state_report_workers = 0
allow_overlapping_ips = true
dhcp_agent_notification = false
notify_nova_on_port_status_changes = true
notify_nova_on_port_data_changes = true
log_file = $L/neutron-server.log
[database]
connection = $(DBURL neutron)
[oslo_concurrency]
lock_path = $D/neutron/lock
[agent]
root_helper =
[ml2]
type_drivers = flat,vxlan
tenant_network_types = vxlan
mechanism_drivers = lite_noop
extension_drivers = port_security
[ml2_type_flat]
flat_networks = public
[ml2_type_vxlan]
vni_ranges = 1:10000
[securitygroup]
enable_security_group = true
firewall_driver = noop
$(authtoken neutron)
$(svcauth nova nova)
EOF
cat > "$E/neutron/api-paste.ini" <<'EOF'
[composite:neutron]
use = egg:Paste#urlmap
/: neutronversions_composite
/v2.0: neutronapi_v2_0
[composite:neutronapi_v2_0]
use = call:neutron.auth:pipeline_factory
keystone = cors http_proxy_to_wsgi request_id catch_errors authtoken keystonecontext extensions neutronapiapp_v2_0
[composite:neutronversions_composite]
use = call:neutron.auth:pipeline_factory
keystone = cors http_proxy_to_wsgi neutronversions
[filter:request_id]
paste.filter_factory = oslo_middleware:RequestId.factory
[filter:catch_errors]
paste.filter_factory = oslo_middleware:CatchErrors.factory
[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = neutron
[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware.http_proxy_to_wsgi:HTTPProxyToWSGI.factory
[filter:keystonecontext]
paste.filter_factory = neutron.auth:NeutronKeystoneContext.factory
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
[filter:extensions]
paste.filter_factory = neutron.api.extensions:plugin_aware_extension_middleware_factory
[app:neutronversions]
paste.app_factory = neutron.pecan_wsgi.app:versions_factory
[app:neutronapiapp_v2_0]
paste.app_factory = neutron.api.v2.router:APIRouter.factory
EOF
mkbin neutron-server neutron.cmd.eventlet.server:main
mkbin neutron-db-manage neutron.db.migration.cli:main
NEUCONF=(--config-file "$E/neutron/neutron.conf")
"$D/bin/neutron-db-manage" "${NEUCONF[@]}" upgrade heads > "$L/neutron-db-manage.log" 2>&1 \
  || { tail -30 "$L/neutron-db-manage.log"; die "neutron db upgrade failed"; }

# ---------------------------------------------------------------- cinder
if [ $WITH_CINDER = 1 ]; then
  log "cinder: config + db"
  mkdir -p "$E/cinder"
  cat > "$E/cinder/cinder.conf" <<EOF
[DEFAULT]
host = $HOSTNAME_OS
my_ip = $H
state_path = $D/cinder
transport_url = $RABBIT_URL
auth_strategy = keystone
osapi_volume_listen = $H
osapi_volume_listen_port = 8776
osapi_volume_workers = 1
api_paste_config = $E/cinder/api-paste.ini
enabled_backends = fake
default_volume_type = __DEFAULT__
resource_query_filters_file = $E/cinder/resource_filters.json
[fake]
# cinder's own test driver: volumes exist only in the database, no disks, no iSCSI
volume_driver = cinder.tests.fake_driver.FakeLoggingVolumeDriver
volume_backend_name = fake
target_helper = fake
[database]
connection = $(DBURL cinder)
[oslo_concurrency]
lock_path = $D/cinder/lock
[oslo_messaging_notifications]
driver = noop
[coordination]
backend_url = file://$D/cinder/lock
$(authtoken cinder)
$(serviceuser cinder)
$(svcauth nova nova)
EOF
  cat > "$E/cinder/api-paste.ini" <<'EOF'
[composite:osapi_volume]
use = call:cinder.api:root_app_factory
/: apiversions
/v3: openstack_volume_api_v3
[composite:openstack_volume_api_v3]
use = call:cinder.api.middleware.auth:pipeline_factory
keystone = request_id cors http_proxy_to_wsgi faultwrap sizelimit authtoken keystonecontext apiv3
[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware.http_proxy_to_wsgi:HTTPProxyToWSGI.factory
[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = cinder
[filter:faultwrap]
paste.filter_factory = cinder.api.middleware.fault:FaultWrapper.factory
[filter:sizelimit]
paste.filter_factory = oslo_middleware.sizelimit:RequestBodySizeLimiter.factory
[app:apiv3]
paste.app_factory = cinder.api.v3.router:APIRouter.factory
[pipeline:apiversions]
pipeline = request_id cors http_proxy_to_wsgi faultwrap osvolumeversionapp
[app:osvolumeversionapp]
paste.app_factory = cinder.api.versions:Versions.factory
[filter:keystonecontext]
paste.filter_factory = cinder.api.middleware.auth:CinderKeystoneContext.factory
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
[filter:request_id]
paste.filter_factory = cinder.api.middleware.request_id:RequestId.factory
EOF
  # without this file cinder accepts no list filters at all (e.g. `volume show NAME` fails)
  cat > "$E/cinder/resource_filters.json" <<'EOF'
{
    "volume": ["name", "status", "metadata", "bootable", "migration_status", "availability_zone",
               "group_id", "size", "created_at", "updated_at", "consumes_quota"],
    "backup": ["name", "status", "volume_id"],
    "snapshot": ["name", "status", "volume_id", "metadata", "availability_zone", "consumes_quota"],
    "group": ["name"],
    "group_snapshot": ["name", "status", "group_id"],
    "attachment": ["volume_id", "status", "instance_id", "attach_status"],
    "message": ["resource_uuid", "resource_type", "event_id", "request_id", "message_level"],
    "pool": ["name", "volume_type"],
    "volume_type": ["is_public", "extra_specs"]
}
EOF
  for b in api:cinder.cmd.api:main scheduler:cinder.cmd.scheduler:main volume:cinder.cmd.volume:main \
           manage:cinder.cmd.manage:main; do
    mkbin "cinder-${b%%:*}" "${b#*:}"
  done
  "$D/bin/cinder-manage" --config-file "$E/cinder/cinder.conf" db sync > "$L/cinder-manage.log" 2>&1 \
    || { tail -30 "$L/cinder-manage.log"; die "cinder db sync failed"; }
fi

# ---------------------------------------------------------------- start the rest
wait_port rabbitmq 5672 90
log "starting nova, neutron and (if enabled) cinder services"
start neutron-server-stdout env PYTHONPATH="$D/pylib" "$D/bin/neutron-server" "${NEUCONF[@]}"
for s in api conductor scheduler; do
  start "nova-$s" "$D/bin/nova-$s" "${NCONF[@]}" --log-file "$L/nova-$s.log"
done
start nova-compute "$D/bin/nova-compute" --config-file "$E/nova/nova-compute.conf" --log-file "$L/nova-compute.log"
if [ $WITH_CINDER = 1 ]; then
  for s in api scheduler volume; do
    start "cinder-$s" "$D/bin/cinder-$s" --config-file "$E/cinder/cinder.conf" --log-file "$L/cinder-$s.log"
  done
fi

wait_http glance-api http://$H:9292/ 90
wait_http placement http://$H:8778/ 90
wait_http nova-api http://$H:8774/ 120
wait_http neutron-server-stdout http://$H:9696/ 120
[ $WITH_CINDER = 1 ] && wait_http cinder-api http://$H:8776/ 120

export OS_CLIENT_CONFIG_FILE=$D/clouds.yaml
OSA=(openstack --os-cloud devstack-admin)

# wait for nova-compute to create its compute node, then map the host into cell1
log "waiting for nova-compute to register"
for i in $(seq 1 240); do
  n=$(mariadb --no-defaults -N -uroot -h$H nova -e "select count(*) from compute_nodes where host='$HOSTNAME_OS' and deleted=0" 2>/dev/null || echo 0)
  [ "${n:-0}" -ge 1 ] && break
  [ "$i" = 240 ] && { tail -30 "$L/nova-compute.log"; die "nova-compute did not register (see $L/nova-compute.log)"; }
  sleep 0.5
done
"$D/bin/nova-manage" "${NCONF[@]}" cell_v2 discover_hosts --verbose >> "$L/nova-manage.log" 2>&1 \
  || { tail -20 "$L/nova-manage.log"; die "discover_hosts failed"; }

# ---------------------------------------------------------------- initial resources
log "creating flavors, image, public network, default subnetpool"
cat > "$D/bin/os-setup.py" <<'PYEOF'
import os
import openstack
c = openstack.connect(cloud="devstack-admin")
for name, ram, vcpus, disk in (("m1.nano", 64, 1, 1), ("m1.tiny", 512, 1, 1), ("m1.small", 2048, 1, 20)):
    if not c.compute.find_flavor(name, ignore_missing=True):
        c.compute.create_flavor(name=name, ram=ram, vcpus=vcpus, disk=disk, is_public=True)
if not c.image.find_image("cirros-fake", ignore_missing=True):
    data = b"\0" * 65536   # stands in for an image: the fake virt driver never reads it
    c.image.create_image(name="cirros-fake", data=data, disk_format="raw", container_format="bare",
                         visibility="public", allow_duplicates=True)
net = c.network.find_network("public", ignore_missing=True)
if not net:
    net = c.network.create_network(name="public", is_router_external=True, is_default=True, is_shared=False,
                                   provider_network_type="flat", provider_physical_network="public")
if not c.network.find_subnet("public-subnet", ignore_missing=True):
    c.network.create_subnet(name="public-subnet", network_id=net.id, ip_version=4, cidr="203.0.113.0/24",
                            gateway_ip="203.0.113.1", enable_dhcp=False,
                            allocation_pools=[{"start": "203.0.113.10", "end": "203.0.113.250"}])
if not c.network.find_subnet_pool("shared-default-subnetpool-v4", ignore_missing=True):
    c.network.create_subnet_pool(name="shared-default-subnetpool-v4", prefixes=["10.0.0.0/16"],
                                 default_prefix_length=26, is_shared=True, is_default=True)
print("os setup ok")
PYEOF
OS_CLIENT_CONFIG_FILE=$D/clouds.yaml $PY "$D/bin/os-setup.py" > "$L/os-setup.log" 2>&1 \
  || { cat "$L/os-setup.log"; die "initial resources failed"; }

T_END=$(date +%s)
log "all APIs up and initial resources created in $(( T_END - T0 ))s"
rss=0
while read -r name pid st; do
  for p in $(ps -e -o pid=,pgid= | awk -v g="$pid" '$2==g{print $1}'); do
    r=$(awk '/^VmRSS/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0); rss=$(( rss + ${r:-0} ))
  done
done < "$PIDS"
log "resident memory of all started processes: $(( rss / 1024 )) MiB"
cat <<EOF

openstack-lite is up.
  state dir : $D     (logs in $D/log, pids in $PIDS)
  clouds    : export OS_CLIENT_CONFIG_FILE=$D/clouds.yaml
              openstack --os-cloud devstack token issue        (demo/demo)
              openstack --os-cloud devstack-admin catalog list (admin/admin)
  password  : $PW (admin, demo and the service users)
  stop      : bash $HERE/down.sh
EOF
