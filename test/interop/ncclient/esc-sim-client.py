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
ops.close_session()
sub.close_session()
print(json.dumps(out))
