#!/usr/bin/env bash
# Smoke test of an openstack-lite cloud started by up.sh, with Debian's `openstack` CLI.
# Prints each command, its (trimmed) output and its duration; exits non-zero on the first failure.
set -euo pipefail
D=${OS_LITE_DIR:-/tmp/oaktree-openstack}
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
unset OS_CLOUD OS_AUTH_URL OS_USERNAME OS_PASSWORD OS_PROJECT_NAME OS_TOKEN || true
export OS_CLIENT_CONFIG_FILE=$D/clouds.yaml
WITH_CINDER=1; [ "${OS_LITE_NO_CINDER:-0}" = 1 ] && WITH_CINDER=0
S=smoke$$
T0=$(date +%s.%N)

run() { # cloud args...
  local cloud=$1; shift
  local t1 t2 out rc
  t1=$(date +%s.%N)
  set +e; out=$(openstack --os-cloud "$cloud" "$@" 2>&1); rc=$?; set -e
  t2=$(date +%s.%N)
  printf '\n$ openstack --os-cloud %s %s   [%.1fs, rc=%s]\n' "$cloud" "$*" "$(awk -v a=$t1 -v b=$t2 'BEGIN{print b-a}')" "$rc"
  printf '%s\n' "$out" | head -${SMOKE_LINES:-25}
  [ $rc = 0 ] || { echo "SMOKE FAILED: $*"; exit 1; }
  LAST=$out
}
val() { printf '%s\n' "$LAST" | awk -F'|' -v k="$1" '{gsub(/^ +| +$/,"",$2); gsub(/^ +| +$/,"",$3)} $2==k{print $3; exit}'; }

run devstack token issue -c expires -c project_id -c user_id
run devstack-admin catalog list
run devstack-admin compute service list
run devstack-admin network agent list
[ $WITH_CINDER = 1 ] && run devstack-admin volume service list

head -c 20480 /dev/urandom > /tmp/$S.img
run devstack image create --disk-format raw --container-format bare --file /tmp/$S.img $S-img -c id -c status -c size -c checksum
IMG=$(val id)
rm -f /tmp/$S.img
run devstack image list
run devstack-admin flavor create --ram 128 --vcpus 1 --disk 1 $S-flavor -c id -c name
run devstack flavor list

run devstack network create $S-net -c id -c status
run devstack subnet create --network $S-net --subnet-range 192.168.77.0/24 $S-subnet -c id -c cidr
run devstack router create $S-router -c id
run devstack router set --external-gateway public $S-router
run devstack router add subnet $S-router $S-subnet
run devstack router show $S-router -c external_gateway_info -c status
run devstack security group create $S-sg -c id
run devstack security group rule create --protocol tcp --dst-port 22 $S-sg -c id
run devstack floating ip create public -c floating_ip_address -c id
FIP=$(val floating_ip_address)

t1=$(date +%s.%N)
run devstack server create --flavor $S-flavor --image $IMG --network $S-net --security-group $S-sg --wait $S-vm -c status -c addresses -c id
t2=$(date +%s.%N)
BOOT=$(awk -v a=$t1 -v b=$t2 'BEGIN{print b-a}')
# NB: `server create --wait` exits 0 even when the server goes to ERROR (osc 6.0), so check
[ "$(val status)" = ACTIVE ] || { echo "SMOKE FAILED: server not ACTIVE"; exit 1; }
run devstack server add floating ip $S-vm $FIP
run devstack server show $S-vm -c status -c addresses -c OS-EXT-STS:power_state
run devstack floating ip show $FIP -c port_id -c fixed_ip_address -c status

if [ $WITH_CINDER = 1 ]; then
  run devstack volume create --size 1 $S-vol -c id -c status
  for i in $(seq 1 60); do
    run devstack volume show $S-vol -f value -c status
    [ "$LAST" = available ] && break; sleep 1
  done
  run devstack server add volume $S-vm $S-vol
  for i in $(seq 1 60); do
    run devstack volume show $S-vol -f value -c status
    [ "$LAST" = in-use ] && break; sleep 1
  done
  [ "$LAST" = in-use ] || { echo "SMOKE FAILED: volume not in-use"; exit 1; }
  run devstack server volume list $S-vm 2>/dev/null || run devstack volume show $S-vol -c attachments
  run devstack server remove volume $S-vm $S-vol
  for i in $(seq 1 60); do
    run devstack volume show $S-vol -f value -c status
    [ "$LAST" = available ] && break; sleep 1
  done
  run devstack volume delete $S-vol
fi

# get-me-a-network: nova asks neutron for an auto-allocated topology (default external network
# "public" + default subnetpool) when a project that has no network boots with --nic auto.
run devstack-admin project create $S-proj -c id
run devstack-admin role add --user demo --project $S-proj member
# (--os-project-name does not override the project of a clouds.yaml entry: add an entry)
PW=$(awk '/password:/{print $2; exit}' "$D/clouds.yaml")
cp "$D/clouds.yaml" /tmp/$S-clouds.yaml
cat >> /tmp/$S-clouds.yaml <<EOF
  smoke-auto:
    auth:
      auth_url: http://127.0.0.1:5000/v3
      username: demo
      password: $PW
      project_name: $S-proj
      user_domain_id: default
      project_domain_id: default
    region_name: RegionOne
    interface: public
    identity_api_version: 3
EOF
export OS_CLIENT_CONFIG_FILE=/tmp/$S-clouds.yaml
run smoke-auto network list
t1=$(date +%s.%N)
# --nic auto needs compute microversion >= 2.37 (else osc 6.0 fails: "nics must be a list or a tuple")
run smoke-auto --os-compute-api-version 2.37 server create --flavor $S-flavor --image cirros-fake --nic auto --wait $S-vm-auto -c status -c addresses
t2=$(date +%s.%N)
BOOT2=$(awk -v a=$t1 -v b=$t2 'BEGIN{print b-a}')
[ "$(val status)" = ACTIVE ] || { echo "SMOKE FAILED: server (--nic auto) not ACTIVE"; exit 1; }
run smoke-auto network list
run smoke-auto server delete --wait $S-vm-auto
run smoke-auto network auto allocated topology delete
run devstack-admin project delete $S-proj
rm -f /tmp/$S-clouds.yaml; export OS_CLIENT_CONFIG_FILE=$D/clouds.yaml

run devstack server delete --wait $S-vm
run devstack floating ip delete $FIP
run devstack router remove subnet $S-router $S-subnet
run devstack router delete $S-router
run devstack network delete $S-net
run devstack security group delete $S-sg
run devstack image delete $IMG
run devstack-admin flavor delete $S-flavor

printf '\nSMOKE OK in %.0fs; server create --wait took %.1fs (--nic auto: %.1fs)\n' \
  "$(awk -v a=$T0 -v b=$(date +%s.%N) 'BEGIN{print b-a}')" "$BOOT" "$BOOT2"
