import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CONFIG_KEYS } from '../../../src/config/config-schema';
import { renderKustomization, schemaProblems, type K8sObject } from './kustomize';

const REPO = path.resolve(__dirname, '..', '..', '..');
const KUSTOMIZE = path.join(REPO, 'deploy', 'kubernetes');
const OVERLAYS = ['standalone', 'onap', 'onap-postgresql'] as const;
/** The overlays on the embedded SQLite store (one pod and its volume); the others share a PostgreSQL database. */
const SQLITE_OVERLAYS = ['standalone', 'onap'] as const;
const POSTGRESQL_OVERLAY = 'onap-postgresql';
const MSB_ANNOTATION = 'msb.onap.org/service-info';
const PKG = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };

/*
 * The fields these tests read, typed as the tests expect them; the first test checks every object against the
 * Kubernetes schemas, and a field missing here fails the test that reads it.
 */
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean }; fieldRef?: { fieldPath: string } };
}
interface Container {
  image: string;
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string } }[];
  ports: { name: string; containerPort: number }[];
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
  livenessProbe: { httpGet: unknown };
  readinessProbe: { httpGet: unknown };
  startupProbe: { httpGet: unknown };
  securityContext: { capabilities: { add?: string[]; drop?: string[] }; privileged?: boolean };
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes: { name: string; persistentVolumeClaim?: { claimName: string }; emptyDir?: object; configMap?: { name: string } }[];
  securityContext: { runAsNonRoot?: boolean; runAsUser?: number };
  automountServiceAccountToken?: boolean;
  terminationGracePeriodSeconds: number;
}
interface DeploymentObject extends K8sObject {
  spec: {
    replicas: number;
    strategy: { type: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}
interface ServiceObject extends K8sObject {
  metadata: K8sObject['metadata'] & { annotations?: Record<string, string> };
  spec: { ports: { name: string; port: number; targetPort: unknown }[]; selector: Record<string, string> };
}
interface DisruptionBudgetObject extends K8sObject {
  spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } };
}
interface ClaimObject extends K8sObject {
  spec: { accessModes: string[]; resources: { requests: { storage: string } } };
}
/** Any object, with the fields the credential check looks at. */
interface AnyObject extends K8sObject {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: { template?: { spec?: Partial<PodSpec> } };
}

function render(overlay: string): AnyObject[] {
  return renderKustomization(path.join(KUSTOMIZE, 'overlays', overlay));
}

function only<T extends K8sObject>(objects: K8sObject[], kind: string): T {
  const found = objects.filter((o) => o.kind === kind);
  expect({ kind, count: found.length }).toEqual({ kind, count: 1 });
  return found[0] as T;
}

/** The one object of that kind, for a test that changes it. */
function first(objects: AnyObject[], kind: string): AnyObject {
  const found = objects.find((o) => o.kind === kind);
  if (!found) throw new Error(`no ${kind}`);
  return found;
}

function containerOf(o: AnyObject): Container {
  const container = o.spec?.template?.spec?.containers?.[0];
  if (!container) throw new Error(`${o.kind} ${o.metadata.name} has no container`);
  return container;
}

/** The settings the driver gets: the ConfigMap its container reads, over the defaults. */
function settingsOf(objects: AnyObject[]): Record<string, string> {
  const container = only<DeploymentObject>(objects, 'Deployment').spec.template.spec.containers[0];
  const names = (container.envFrom ?? []).map((e) => e.configMapRef?.name).filter(Boolean);
  const data = objects.filter((o) => o.kind === 'ConfigMap' && names.includes(o.metadata.name)).map((o) => o.data ?? {});
  const defaults = Object.fromEntries(CONFIG_KEYS.filter((k) => typeof k.default === 'string').map((k) => [k.env, k.default as string]));
  return Object.assign({}, defaults, ...data) as Record<string, string>;
}

const CREDENTIAL_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE_KEY|API_KEY/i;

/** Where a credential would be written in clear: a ConfigMap key, a literal env value or a Secret's data. */
function credentialsInClear(objects: AnyObject[]): string[] {
  const found: string[] = [];
  for (const o of objects) {
    if (o.kind === 'ConfigMap') {
      for (const key of Object.keys(o.data ?? {})) if (CREDENTIAL_NAME.test(key)) found.push(`ConfigMap ${o.metadata.name}: ${key}`);
    }
    if (o.kind === 'Secret' && (o.data || o.stringData)) found.push(`Secret ${o.metadata.name} holds its values`);
    for (const c of [...(o.spec?.template?.spec?.containers ?? []), ...(o.spec?.template?.spec?.initContainers ?? [])]) {
      for (const e of c.env ?? []) {
        if (CREDENTIAL_NAME.test(e.name) && !e.valueFrom?.secretKeyRef) {
          found.push(`${o.kind} ${o.metadata.name}: ${e.name} not from a secretKeyRef`);
        }
      }
    }
  }
  return found;
}

describe.each(OVERLAYS)('the %s overlay', (overlay) => {
  const objects = render(overlay);
  const settings = settingsOf(objects);
  const deployment = only<DeploymentObject>(objects, 'Deployment');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const api = `/api/${settings.VNFM_TYPE}/v1`;

  it('when rendered, then every object is valid against the Kubernetes schemas and lands in one namespace', () => {
    expect(objects.flatMap(schemaProblems)).toEqual([]);
    expect(objects.map((o) => o.kind).sort()).toEqual(expect.arrayContaining(['ConfigMap', 'Deployment', 'Service']));
    const namespaces = new Set(objects.filter((o) => o.kind !== 'Namespace').map((o) => o.metadata.namespace));
    expect(namespaces.size).toBe(1);
    expect([...namespaces][0]).toEqual(expect.any(String));
  });

  it('when its settings are read, then each is a setting the driver knows and the image is this version', () => {
    const known = new Set(CONFIG_KEYS.map((k) => k.env));
    const configMapKeys = objects.filter((o) => o.kind === 'ConfigMap').flatMap((o) => Object.keys(o.data ?? {}));
    const envNames = (container.env ?? []).map((e) => e.name);
    expect([...configMapKeys, ...envNames].filter((k) => !known.has(k))).toEqual([]);
    expect(container.image).toBe(`esc-vnfm-driver:${PKG.version}`);
  });

  it('when its probes are read, then liveness asks /health and readiness /health?ready on the API port', () => {
    const port = container.ports.find((p) => p.name === 'http');
    expect(port?.containerPort).toBe(Number(settings.PORT));
    expect(container.livenessProbe.httpGet).toEqual({ path: `${api}/health`, port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: `${api}/health?ready`, port: 'http' });
    expect(container.startupProbe.httpGet).toEqual({ path: `${api}/health`, port: 'http' });
    const service = only<ServiceObject>(objects, 'Service');
    expect(service.spec.ports).toEqual([expect.objectContaining({ name: 'http', targetPort: 'http' })]);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
  });

  it('when its security settings are read, then it runs as non-root, read-only, without privilege escalation or capabilities', () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.securityContext.capabilities.add).toBeUndefined();
    expect(container.securityContext.privileged).not.toBe(true);
    // With a read-only root, every place the driver writes is a volume: the store's folder and /tmp.
    const tmp = container.volumeMounts.find((m) => m.mountPath === '/tmp');
    expect(pod.volumes.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
  });

  it('when SIGTERM comes, then the grace period outlasts the shutdown timeout (configured and default)', () => {
    const defaultTimeout = Number(CONFIG_KEYS.find((k) => k.env === 'SHUTDOWN_TIMEOUT_MS')!.default);
    const graceMs = pod.terminationGracePeriodSeconds * 1000;
    expect(graceMs).toBeGreaterThan(Number(settings.SHUTDOWN_TIMEOUT_MS));
    expect(graceMs).toBeGreaterThan(defaultTimeout);
  });

  it('when its resources are read, then CPU and memory have requests no larger than their limits', () => {
    const { requests, limits } = container.resources;
    const cpu = (q: string): number => (q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q));
    const mi = (q: string): number => {
      const m = /^(\d+)(Mi|Gi)$/.exec(q);
      if (!m) throw new Error(`memory quantity ${q}: expected <n>Mi or <n>Gi`);
      return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
    };
    expect(cpu(requests.cpu)).toBeGreaterThan(0);
    expect(cpu(requests.cpu)).toBeLessThanOrEqual(cpu(limits.cpu));
    expect(mi(requests.memory)).toBeGreaterThan(0);
    expect(mi(requests.memory)).toBeLessThanOrEqual(mi(limits.memory));
  });

  it('when credentials are looked for, then none is written in clear: each comes from a Secret through secretKeyRef', () => {
    expect(credentialsInClear(objects)).toEqual([]);
  });

  it('when its pod is read, then the MSB URL with its login comes from a Secret, optional so that the ConfigMap value applies without one', () => {
    const env = only<DeploymentObject>(objects, 'Deployment').spec.template.spec.containers[0].env ?? [];
    const fromSecrets = env.filter((e) => e.valueFrom?.secretKeyRef).map((e) => ({ name: e.name, ref: e.valueFrom?.secretKeyRef }));
    const database =
      overlay === POSTGRESQL_OVERLAY ? [{ name: 'STORE_URL', ref: { name: 'esc-vnfm-driver-secrets', key: 'STORE_URL' } }] : [];
    expect(fromSecrets).toEqual([
      ...database,
      { name: 'MSB_URL', ref: { name: 'esc-vnfm-driver-secrets', key: 'MSB_URL', optional: true } },
    ]);
    expect(CONFIG_KEYS.map((k) => k.env)).toContain('MSB_URL');
  });
});

describe.each(SQLITE_OVERLAYS)('the %s overlay on SQLite', (overlay) => {
  const objects = render(overlay);
  const settings = settingsOf(objects);
  const deployment = only<DeploymentObject>(objects, 'Deployment');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  it('when its pod is read, then it is one replica replaced (not rolled) on updates, with the store on the PVC', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy.type).toBe('Recreate');
    const claims = new Set(objects.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata.name));
    const mountOf = (file: string): PodSpec['volumes'][number] | undefined => {
      const mount = container.volumeMounts.find((m) => path.posix.dirname(file) === m.mountPath);
      return pod.volumes.find((v) => v.name === mount?.name);
    };
    for (const file of [settings.STORE_PATH, settings.ESC_KNOWN_HOSTS]) {
      expect({ file, claim: claims.has(mountOf(file)?.persistentVolumeClaim?.claimName ?? '') }).toEqual({ file, claim: true });
    }
    const pvc = only<ClaimObject>(objects, 'PersistentVolumeClaim');
    expect(pvc.spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(pvc.spec.resources.requests.storage).toEqual(expect.any(String));
  });
});

describe('the onap-postgresql overlay', () => {
  const objects = render(POSTGRESQL_OVERLAY);
  const configMapData = Object.assign({}, ...objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.data ?? {})) as Record<
    string,
    string
  >;
  const settings = settingsOf(objects);
  const deployment = only<DeploymentObject>(objects, 'Deployment');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const envOf = (name: string): EnvVar | undefined => (container.env ?? []).find((e) => e.name === name);

  it('when its workload is read, then it is a Deployment of two replicas or more, rolled one new pod before one old', () => {
    expect(objects.filter((o) => o.kind === 'StatefulSet')).toEqual([]);
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  });

  it('when its storage is read, then there is no claim, no SQLite file and nothing the pod keeps', () => {
    expect(objects.filter((o) => o.kind === 'PersistentVolumeClaim')).toEqual([]);
    expect(pod.volumes.filter((v) => v.persistentVolumeClaim)).toEqual([]);
    expect(configMapData.STORE_PATH).toBeUndefined();
    expect(pod.volumes.filter((v) => !v.configMap && !v.emptyDir)).toEqual([]);
  });

  it('when its settings are read, then STORE_URL comes from the Secret (required, never the ConfigMap) and REPLICA_ID is the pod name', () => {
    expect(configMapData.STORE_URL).toBeUndefined();
    expect(envOf('STORE_URL')?.valueFrom?.secretKeyRef).toEqual({ name: 'esc-vnfm-driver-secrets', key: 'STORE_URL' });
    expect(envOf('REPLICA_ID')?.valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
  });

  it('when its readiness is read, then it asks /health?ready (which follows the shared database) and liveness plain /health', () => {
    const api = `/api/${settings.VNFM_TYPE}/v1`;
    expect(container.readinessProbe.httpGet).toEqual({ path: `${api}/health?ready`, port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: `${api}/health`, port: 'http' });
  });

  it('when ESC host keys are read, then every replica reads the same known_hosts from a ConfigMap mounted read-only, checked strictly', () => {
    const mount = container.volumeMounts.find((m) => path.posix.dirname(settings.ESC_KNOWN_HOSTS) === m.mountPath);
    expect(mount?.readOnly).toBe(true);
    expect(pod.volumes.find((v) => v.name === mount?.name)?.configMap).toEqual({ name: 'esc-vnfm-driver-known-hosts' });
    expect(settings.ESC_STRICT_HOST_KEY_CHECKING).toBe('yes');
  });

  it('when a node is drained, then the disruption budget keeps one replica of this Deployment running', () => {
    const budget = only<DisruptionBudgetObject>(objects, 'PodDisruptionBudget');
    expect(budget.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(budget.spec.minAvailable).toBe(1);
    expect(budget.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
  });
});

describe.each(['onap', POSTGRESQL_OVERLAY])('the %s overlay and MSB', (overlay) => {
  const objects = render(overlay);
  const settings = settingsOf(objects);
  const service = only<ServiceObject>(objects, 'Service');

  it('when its Service is read, then the MSB annotation registers the API under the vnfm type, as OOM does for VF-C drivers', () => {
    const info = JSON.parse(service.metadata.annotations?.[MSB_ANNOTATION] ?? 'null') as Array<Record<string, unknown>>;
    expect(info).toEqual([
      {
        serviceName: settings.VNFM_TYPE,
        version: 'v1',
        url: `/api/${settings.VNFM_TYPE}/v1`,
        protocol: 'REST',
        port: String(service.spec.ports[0].port),
        visualRange: '1',
      },
    ]);
    expect(settings.MSB_URL).toMatch(/^http:\/\//);
    // MSB learns the address from the annotation; the driver registering itself too would add a second node.
    expect(settings.MSB_REGISTER).toBe('false');
  });

  it('when the standalone overlay is compared, then it has neither MSB_URL nor the MSB annotation', () => {
    const standalone = render('standalone');
    expect(settingsOf(standalone).MSB_URL).toBeUndefined();
    expect(only<ServiceObject>(standalone, 'Service').metadata.annotations?.[MSB_ANNOTATION]).toBeUndefined();
  });
});

describe('the credential check', () => {
  it('when a password is written in the ConfigMap or as a literal env value, then it is reported', () => {
    const objects = render('standalone');
    const data = first(objects, 'ConfigMap').data ?? {};
    const env = containerOf(first(objects, 'Deployment')).env ?? [];
    data.ESC_PASSWORD = 'x';
    env.push({ name: 'DB_PASSWORD', value: 'x' });
    expect(credentialsInClear(objects)).toEqual([
      'ConfigMap esc-vnfm-driver-config: ESC_PASSWORD',
      'Deployment esc-vnfm-driver: DB_PASSWORD not from a secretKeyRef',
    ]);
    env.pop();
    env.push({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } });
    delete data.ESC_PASSWORD;
    expect(credentialsInClear(objects)).toEqual([]);
  });
});

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const withKubectl = kubectl.status === 0 ? describe : describe.skip;
if (kubectl.status !== 0) process.stderr.write('kubectl kustomize comparison skipped: no kubectl on this machine\n');

withKubectl('the renderer against kubectl kustomize', () => {
  it.each(OVERLAYS)('when the %s overlay is rendered by both, then they give the same objects', (overlay) => {
    const out = spawnSync('kubectl', ['kustomize', path.join(KUSTOMIZE, 'overlays', overlay)], { encoding: 'utf8', timeout: 30_000 });
    expect(out.stderr).toBe('');
    const key = (o: K8sObject): string => `${o.kind}/${o.metadata.name}`;
    const byKey = (list: K8sObject[]): Record<string, K8sObject> => Object.fromEntries(list.map((o) => [key(o), o]));
    const theirs = parseAllDocuments(out.stdout).map((d) => d.toJS() as K8sObject);
    expect(byKey(render(overlay))).toEqual(byKey(theirs));
  });
});
