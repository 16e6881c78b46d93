#!/usr/bin/python3
"""Drives the ESC simulator with ncclient: capabilities, guide Deploy Service, subscription on a
second session, opdata read, undeploy, close. Prints one JSON line with what it saw."""
import json
import sys
import time

from ncclient import manager
from ncclient.devices.default import DefaultDeviceHandler

BASE11 = 'urn:ietf:params:netconf:base:1.1'


class Base10OnlyHandler(DefaultDeviceHandler):
    """The default handler without base:1.1 in the client hello, so the session falls back to ]]>]]> framing."""

    def get_capabilities(self):
        return [c for c in super().get_capabilities() if c != BASE11]

host, port, user, password, deploy_file, base = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
UNDEPLOY = """<config xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><esc_datamodel xmlns="http://www.cisco.com/esc/esc">
<tenants><tenant><name>vnf-tenant</name><deployments><deployment nc:operation="delete"><name>csr-dep</name></deployment>
</deployments></tenant></tenants></esc_datamodel></config>"""
ESC = 'xmlns="http://www.cisco.com/esc/esc"'
FLAVOR = f"""<config><esc_datamodel {ESC}><flavors><flavor><name>nc-flavor</name><vcpus>1</vcpus><memory_mb>512</memory_mb>
<root_disk_mb>0</root_disk_mb><ephemeral_disk_mb>0</ephemeral_disk_mb><swap_disk_mb>0</swap_disk_mb></flavor></flavors></esc_datamodel></config>"""
CONNECTOR = f"""<config><esc_system_config {ESC}><vim_connectors><vim_connector><id>nc-vim</id><type>OPENSTACK</type><properties>
<property><name>os_auth_url</name><value>http://127.0.0.1:5000/v3</value></property>
<property><name>os_project_name</name><value>nc-project</value></property></properties></vim_connector></vim_connectors></esc_system_config></config>"""
OPDATA = "esc_datamodel/opdata/tenants/tenant[name='vnf-tenant']/deployments[deployment_name='csr-dep']"


def connect():
    extra = {'device_params': {'handler': Base10OnlyHandler}} if base == '1.0' else {}
    return manager.connect(host=host, port=port, username=user, password=password, hostkey_verify=False,
                           allow_agent=False, look_for_keys=False, timeout=10, **extra)


def collect(sub, types, until, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        n = sub.take_notification(block=True, timeout=1)
        if n is None:
            continue
        t = n.notification_ele.find('.//{http://www.cisco.com/esc/esc}event/{http://www.cisco.com/esc/esc}type')
        if t is not None:
            types.append(t.text)
            if t.text == until:
                return


out = {}
with open(deploy_file) as f:
    deploy_rpc = f.read()
config = deploy_rpc[deploy_rpc.index('<config>'):deploy_rpc.index('</config>') + len('</config>')]
sub = connect()
out['capabilities'] = sorted(sub.server_capabilities)
out['framing'] = '1.1' if sub._session._base == 2 else '1.0'  # NetconfBase.BASE_11 == 2
sub.create_subscription(stream_name='escEvent')
ops = connect()
ops.edit_config(target='running', config=config)
types = []
collect(sub, types, 'SERVICE_ALIVE', 15)
out['deploy_events'] = types
reply = ops.get(filter=('xpath', OPDATA))
out['opdata_has_deployment'] = 'csr-dep' in reply.data_xml and 'VM_ALIVE_STATE' in reply.data_xml
ops.edit_config(target='running', config=UNDEPLOY)
types = []
collect(sub, types, 'SERVICE_UNDEPLOYED', 15)
out['undeploy_events'] = types
# One flavor and one connector per run: re-sending an existing one activates nothing (no event).
ops.edit_config(target='running', config=FLAVOR.replace('nc-flavor', f'nc-flavor-{base}'))
types = []
collect(sub, types, 'CREATE_FLAVOR', 15)
out['flavor_events'] = types
ops.edit_config(target='running', config=CONNECTOR.replace('nc-vim', f'nc-vim-{base}'))
types = []
collect(sub, types, 'CREATE_VIM_CONNECTOR', 15)
out['vim_connector_events'] = types
reply = ops.get(filter=('xpath', f"esc_datamodel/opdata/system_config/vim_connectors/vim_connector[id='nc-vim-{base}']"))
out['vim_connector_status'] = 'NO_CREDENTIALS' in reply.data_xml
ops.close_session()
sub.close_session()
print(json.dumps(out))
