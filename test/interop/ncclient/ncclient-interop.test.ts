import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../../src/simulator';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, 'esc-sim-client.py');
const DEPLOY = join(__dirname, '../../fixtures/esc-guide/deploy-service.request.xml');

function ncclientAvailable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import ncclient'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const available = ncclientAvailable();
if (!available && process.env.CI === 'true')
  throw new Error(`${PYTHON} cannot import ncclient; install python3-ncclient (required under CI=true)`);
if (!available) console.warn(`SKIPPED: ${PYTHON} cannot import ncclient (apt-get install python3-ncclient)`);
const maybe = available ? describe : describe.skip;

function runClient(port: number, base: '1.0' | '1.1'): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [SCRIPT, '127.0.0.1', String(port), 'admin', 'admin', DEPLOY, base], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`ncclient client failed: ${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>);
    });
  });
}

maybe('python3-ncclient against the simulator', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(async () => {
    await sim.stop();
  });

  test.each(['1.1', '1.0'] as const)(
    'when ncclient deploys the guide example over base:%s, then it sees ESC capabilities, the events, the opdata and the undeploy',
    async (base) => {
      const out = await runClient(sim.port, base);
      expect(out.framing).toBe(base);
      const caps = out.capabilities as string[];
      expect(caps).toContain('urn:ietf:params:netconf:capability:notification:1.0');
      expect(caps).toContain('urn:ietf:params:netconf:capability:writable-running:1.0');
      expect(caps.some((c) => c.startsWith('http://www.cisco.com/esc/esc'))).toBe(true);
      expect(caps.some((c) => c.includes(':candidate') || c.includes(':interleave'))).toBe(false);
      expect(out.deploy_events).toEqual(
        ['CREATE_TENANT', 'CREATE_NETWORK', 'CREATE_SUBNET', 'VM_DEPLOYED', 'VM_ALIVE', 'SERVICE_ALIVE'].filter(
          (t) => base === '1.1' || t !== 'CREATE_TENANT',
        ),
      );
      expect(out.opdata_has_deployment).toBe(true);
      expect(out.undeploy_events).toEqual(['VM_UNDEPLOYED', 'DELETE_SUBNET', 'DELETE_NETWORK', 'SERVICE_UNDEPLOYED']);
      expect(out.flavor_events).toEqual(['CREATE_FLAVOR']);
      expect(out.vim_connector_events).toEqual(['CREATE_VIM_CONNECTOR']);
      expect(out.vim_connector_status).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      expect(sim.snapshot().sessions).toBe(0);
    },
  );
});
