import type { Operation } from '../jobs/job-model';
import { LOG_LEVELS, type LogLevel } from '../logging/log';
import { parseBooleanSetting } from './boolean-setting';

/** The service configuration, typed. Times in milliseconds unless the name says seconds; sizes in bytes. */
export interface ServiceConfig {
  port: number;
  host: string;
  vnfmType: string;
  storePath: string;
  /** PostgreSQL store shared by replicas (`postgres://user:password@host:port/db`); unset = the SQLite file at storePath. */
  storeUrl?: string;
  storePoolSize: number;
  storeConnectTimeoutMs: number;
  storeStatementTimeoutMs: number;
  /** This replica's id (job ownership, Notify claims); unset = `<hostname>-<pid>`. */
  replicaId?: string;
  /** How long a replica's hold on its jobs lasts without renewal, ms (database clock). */
  leaseTtlMs: number;
  /** How often a replica renews its leases and looks for orphaned jobs, ms. */
  leaseRenewMs: number;
  logLevel: LogLevel;
  /** Shape of log lines; unset = text when stdout is a terminal, else json. */
  logFormat?: 'json' | 'text';
  bodyLimitBytes: number;
  /** Deepest nesting of objects and arrays accepted in a JSON request body (deeper → 400). */
  jsonMaxDepth: number;
  /** Longest array accepted anywhere in a JSON request body (longer → 413). */
  jsonMaxArrayLength: number;
  msbUrl?: string;
  msbRegister: boolean;
  serviceIp?: string;
  servicePort: number;
  msbRetryInitialMs: number;
  msbRetryMaxMs: number;
  msbCheckIntervalMs: number;
  /** Directory of the standalone mode's VNFMs, VIMs, grants and VNF packages; unset = the bundled samples. */
  standaloneDir?: string;
  httpTimeoutMs: number;
  escNetconfPort: number;
  escKnownHosts: string;
  escStrictHostKeyChecking: 'yes' | 'accept-new' | 'no';
  escConnectTimeoutMs: number;
  escRpcTimeoutMs: number;
  /** ONAP VIM id (`owner_region`) → ESC VIM connector id; a VIM not listed uses a connector of its own id. */
  escVimConnectors?: Record<string, string>;
  /** Create a missing ESC VIM connector (and its user) from NSLCM's VIM record. */
  escManageVimConnectors: boolean;
  escSimulatorPort: number;
  /** How often each owned deployment's opdata is compared with its VNF record, ms. */
  reconcileIntervalMs: number;
  notifyEnumDialect: 'uppercase' | 'lowercase';
  /** The event → condition → action rules file (YAML or JSON); unset = the bundled config/rules.default.yaml. */
  rulesFile?: string;
  /** Who recovers failed VMs unless the instantiate request says otherwise: ESC auto-healing, or ONAP Policy. */
  healingOwner: 'esc' | 'onap';
  shutdownTimeoutMs: number;
  /** Deadline of each operation, seconds; kept below NSLCM's own timeouts (3000 s / 1200 s). */
  jobDeadlineSeconds: Record<Operation, number>;
  /** Base URL of DCAE's VES collector; unset = no VES (standalone mode: the local VES sink). */
  vesUrl?: string;
  vesUser?: string;
  vesPassword?: string;
  /** PEM file of the CAs the collector's certificate must chain to; unset = Node's CAs. */
  vesCaFile?: string;
  vesTlsInsecure: boolean;
  /** Most events in one POST to the collector. */
  vesBatchSize: number;
  vesRetryInitialMs: number;
  vesRetryMaxMs: number;
}

/** One configuration key: its environment name, typed field, default (as text) and a line of documentation. */
export interface ConfigKey {
  env: string;
  field: keyof ServiceConfig;
  default?: string;
  doc: string;
  /** Parses the raw text; throws an Error whose message says what is wrong. */
  parse(raw: string): unknown;
  secret?: boolean;
}

const int =
  (min: number, max: number) =>
  (raw: string): number => {
    if (!/^-?\d+$/.test(raw.trim())) throw new Error(`must be an integer, got "${raw}"`);
    const n = Number(raw);
    if (n < min || n > max) throw new Error(`must be between ${min} and ${max}, got ${n}`);
    return n;
  };
const oneOf =
  <T extends string>(...values: T[]) =>
  (raw: string): T => {
    const v = raw.trim().toLowerCase() as T;
    if (!values.includes(v)) throw new Error(`must be one of ${values.join('|')}, got "${raw}"`);
    return v;
  };
const text = (raw: string): string => {
  if (raw.trim() === '') throw new Error('must not be empty');
  return raw.trim();
};
/** A postgres:// URL; the reason never repeats the value (it holds a password). */
const postgresUrl = (raw: string): string => {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new Error('must be a postgres://user:password@host:port/database URL');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new Error('must start with postgres://');
  if (!u.hostname || u.pathname.replace(/^\//, '') === '')
    throw new Error('must name a host and a database (postgres://…@host:port/database)');
  return raw.trim();
};
const url = (raw: string): string => {
  try {
    const u = new URL(raw.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new Error('must be an http(s) URL'); // not echoed: it may hold a password
  }
  return raw.trim().replace(/\/+$/, '');
};
/** Strict boolean: true|false (1|0, yes|no); anything else is a configuration error. */
const flag = parseBooleanSetting;

/** Parses a size such as `1mb`, `512kb`, `1048576` into bytes. */
export function parseSize(raw: string): number {
  const m = /^\s*(\d+)\s*(b|kb|mb)?\s*$/i.exec(raw);
  if (!m) throw new Error(`must be a size like 1mb, 512kb or a byte count, got "${raw}"`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const bytes = Number(m[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
  if (bytes < 1024 || bytes > 64 * 1024 * 1024) throw new Error(`must be between 1kb and 64mb, got "${raw}"`);
  return bytes;
}

/** Parses `owner_region=connectorId,…` (ESC_VIM_CONNECTORS). */
export function parseVimConnectors(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of raw.split(',').map((p) => p.trim())) {
    const m = /^([^=\s]+)\s*=\s*([^=\s]+)$/.exec(part);
    if (!m) throw new Error(`expected owner_region=connectorId,…, got "${part}"`);
    const [, vim, connector] = m;
    out[vim] = connector!;
  }
  return out;
}

/** Default operation deadlines, seconds (NSLCM waits 3000 s for instantiate/terminate, 1200 s for the rest). */
export const DEFAULT_DEADLINES = 'instantiate=2700,terminate=2700,scale=1080,heal=1080,operate=1080';

/** Parses `op=seconds,…` (any subset of operations; the others keep their defaults). */
export function parseDeadlines(raw: string): Record<Operation, number> {
  const out: Record<string, number> = {};
  for (const part of `${DEFAULT_DEADLINES},${raw}`.split(',').filter((p) => p.trim() !== '')) {
    const [op, secs] = part.split('=').map((s) => s.trim());
    if (!op || !['instantiate', 'terminate', 'scale', 'heal', 'operate'].includes(op)) {
      throw new Error(`unknown operation "${op ?? ''}" (expected instantiate|terminate|scale|heal|operate=seconds)`);
    }
    out[op] = int(1, 86400)(secs ?? '');
  }
  return out;
}

/** Every configuration key. The README's configuration table lists exactly these. */
export const CONFIG_KEYS: readonly ConfigKey[] = [
  { env: 'PORT', field: 'port', default: '8489', parse: int(0, 65535), doc: 'HTTP port of the northbound API' },
  { env: 'HOST', field: 'host', default: '0.0.0.0', parse: text, doc: 'bind address of the northbound API' },
  {
    env: 'VNFM_TYPE',
    field: 'vnfmType',
    default: 'ciscovnfmdriver',
    parse: vnfmType,
    doc: 'vnfm type in /api/{type}/v1 and the MSB service name',
  },
  { env: 'STORE_PATH', field: 'storePath', default: './data/driver.db', parse: text, doc: 'SQLite file holding jobs and VNF records' },
  {
    env: 'STORE_URL',
    field: 'storeUrl',
    parse: postgresUrl,
    doc: 'PostgreSQL store shared by several replicas, postgres://user:password@host:port/database (unset: the SQLite file STORE_PATH)',
  },
  { env: 'STORE_POOL_SIZE', field: 'storePoolSize', default: '10', parse: int(1, 200), doc: 'STORE_URL: most connections open at once' },
  {
    env: 'STORE_CONNECT_TIMEOUT_MS',
    field: 'storeConnectTimeoutMs',
    default: '5000',
    parse: int(100, 120000),
    doc: 'STORE_URL: how long opening a connection may take, ms',
  },
  {
    env: 'STORE_STATEMENT_TIMEOUT_MS',
    field: 'storeStatementTimeoutMs',
    default: '10000',
    parse: int(100, 600000),
    doc: 'STORE_URL: longest a statement may run on the server, ms',
  },
  {
    env: 'REPLICA_ID',
    field: 'replicaId',
    parse: text,
    doc: "this replica's id, owner of the jobs it runs (default: <hostname>-<pid>; a stable id lets a restarted replica take its jobs back at once)",
  },
  {
    env: 'LEASE_TTL_MS',
    field: 'leaseTtlMs',
    default: '30000',
    parse: int(1000, 3600000),
    doc: "how long a replica's jobs stay its own without a renewal (database clock); then another replica resumes them, ms",
  },
  {
    env: 'LEASE_RENEW_MS',
    field: 'leaseRenewMs',
    default: '10000',
    parse: int(100, 3600000),
    doc: 'how often a replica renews its job leases and looks for jobs whose lease ran out, ms (at most half of LEASE_TTL_MS)',
  },
  { env: 'LOG_LEVEL', field: 'logLevel', default: 'info', parse: oneOf(...LOG_LEVELS), doc: LOG_LEVELS.join('|') },
  {
    env: 'LOG_FORMAT',
    field: 'logFormat',
    parse: oneOf('json', 'text'),
    doc: 'json (one object per line) or text (readable on a terminal); default: text when stdout is a terminal, else json',
  },
  { env: 'BODY_LIMIT', field: 'bodyLimitBytes', default: '1mb', parse: parseSize, doc: 'largest accepted request body (larger → 413)' },
  {
    env: 'JSON_MAX_DEPTH',
    field: 'jsonMaxDepth',
    default: '32',
    parse: int(2, 200),
    doc: 'deepest nesting of objects and arrays in a JSON request body, also in JSON-string fields (deeper → 400)',
  },
  {
    env: 'JSON_MAX_ARRAY_LENGTH',
    field: 'jsonMaxArrayLength',
    default: '1000',
    parse: int(1, 1000000),
    doc: 'longest array in a JSON request body, also in JSON-string fields (longer → 413)',
  },
  {
    env: 'MSB_URL',
    field: 'msbUrl',
    parse: url,
    doc: 'base URL of ONAP MSB (e.g. http://msb-iag:80); unset = standalone mode (simulated ESC, local NSLCM files)',
  },
  {
    env: 'MSB_REGISTER',
    field: 'msbRegister',
    default: 'false',
    parse: flag,
    doc: 'register with MSB at start (true|false; anything else is an error)',
  },
  { env: 'SERVICE_IP', field: 'serviceIp', parse: text, doc: 'IP announced to MSB' },
  { env: 'SERVICE_PORT', field: 'servicePort', parse: int(1, 65535), doc: 'port announced to MSB (default: PORT)' },
  {
    env: 'MSB_RETRY_INITIAL_MS',
    field: 'msbRetryInitialMs',
    default: '1000',
    parse: int(10, 600000),
    doc: 'first pause before retrying a failed MSB registration, ms (doubles each time)',
  },
  {
    env: 'MSB_RETRY_MAX_MS',
    field: 'msbRetryMaxMs',
    default: '30000',
    parse: int(10, 3600000),
    doc: 'longest pause between MSB registration attempts, ms',
  },
  {
    env: 'MSB_CHECK_INTERVAL_MS',
    field: 'msbCheckIntervalMs',
    default: '30000',
    parse: int(100, 3600000),
    doc: 'how often the MSB registration is checked (and redone if MSB lost it), ms',
  },
  {
    env: 'HTTP_TIMEOUT_MS',
    field: 'httpTimeoutMs',
    default: '10000',
    parse: int(100, 600000),
    doc: 'timeout of each outgoing HTTP call, ms',
  },
  { env: 'ESC_NETCONF_PORT', field: 'escNetconfPort', default: '830', parse: int(1, 65535), doc: 'NETCONF port of ESC' },
  { env: 'ESC_KNOWN_HOSTS', field: 'escKnownHosts', default: './data/known_hosts', parse: text, doc: 'known-hosts file for ESC host keys' },
  {
    env: 'ESC_STRICT_HOST_KEY_CHECKING',
    field: 'escStrictHostKeyChecking',
    default: 'yes',
    parse: oneOf('yes', 'accept-new', 'no'),
    doc: 'yes|accept-new|no',
  },
  {
    env: 'ESC_CONNECT_TIMEOUT_MS',
    field: 'escConnectTimeoutMs',
    default: '10000',
    parse: int(100, 600000),
    doc: 'NETCONF connect + hello timeout, ms',
  },
  {
    env: 'ESC_RPC_TIMEOUT_MS',
    field: 'escRpcTimeoutMs',
    default: '30000',
    parse: int(100, 600000),
    doc: 'timeout of each NETCONF RPC, ms',
  },
  {
    env: 'ESC_VIM_CONNECTORS',
    field: 'escVimConnectors',
    parse: parseVimConnectors,
    doc: 'ESC VIM connector of each ONAP VIM, owner_region=connectorId,… (default: a connector whose id is owner_region)',
  },
  {
    env: 'ESC_MANAGE_VIM_CONNECTORS',
    field: 'escManageVimConnectors',
    default: 'false',
    parse: flag,
    doc: 'create a missing ESC VIM connector and its VIM user from the NSLCM VIM record (true|false); standalone mode always does',
  },
  {
    env: 'RECONCILE_INTERVAL_MS',
    field: 'reconcileIntervalMs',
    default: '60000',
    parse: int(1000, 3600000),
    doc: 'how often every owned ESC deployment is compared with its VNF record, ms',
  },
  {
    env: 'ESC_SIMULATOR_PORT',
    field: 'escSimulatorPort',
    default: '18830',
    parse: int(0, 65535),
    doc: 'standalone mode (MSB_URL unset): port of the in-process ESC simulator, on 127.0.0.1 only',
  },
  {
    env: 'STANDALONE_DIR',
    field: 'standaloneDir',
    parse: text,
    doc: 'standalone mode: directory of vnfms.json, vims.json, grants.json, simulator.json and packages/ (default: the bundled config/standalone)',
  },
  {
    env: 'NOTIFY_ENUM_DIALECT',
    field: 'notifyEnumDialect',
    default: 'uppercase',
    parse: oneOf('uppercase', 'lowercase'),
    doc: 'case of changeType in Notify (lowercase for pre-2019 NSLCM)',
  },
  {
    env: 'RULES_FILE',
    field: 'rulesFile',
    parse: text,
    doc: 'event → condition → action rules deciding the VES events and ESC actions (YAML or JSON; default: the bundled config/rules.default.yaml); re-read on SIGHUP',
  },
  {
    env: 'HEALING_OWNER',
    field: 'healingOwner',
    default: 'esc',
    parse: oneOf('esc', 'onap'),
    doc: 'who recovers a failed VM: esc (ESC auto-healing) or onap (no ESC recovery action; VES fault, heal through NSLCM); per VNF: inputs.healingOwner',
  },
  {
    env: 'SHUTDOWN_TIMEOUT_MS',
    field: 'shutdownTimeoutMs',
    default: '10000',
    parse: int(0, 600000),
    doc: 'how long shutdown waits for in-flight work, ms',
  },
  {
    env: 'JOB_DEADLINE_SECONDS',
    field: 'jobDeadlineSeconds',
    default: DEFAULT_DEADLINES,
    parse: parseDeadlines,
    doc: 'per-operation deadline, op=seconds,…',
  },
  {
    env: 'VES_URL',
    field: 'vesUrl',
    parse: url,
    doc: 'base URL of the DCAE VES collector (e.g. https://dcae-ves-collector:8443); unset = no VES events (standalone mode: the local VES sink)',
  },
  { env: 'VES_USER', field: 'vesUser', parse: text, doc: 'HTTP basic user for the VES collector; unset = no Authorization header' },
  { env: 'VES_PASSWORD', field: 'vesPassword', parse: text, secret: true, doc: 'HTTP basic password for the VES collector' },
  {
    env: 'VES_CA_FILE',
    field: 'vesCaFile',
    parse: text,
    doc: "PEM file of the CAs the VES collector's certificate is checked against (default: Node's CAs)",
  },
  {
    env: 'VES_TLS_INSECURE',
    field: 'vesTlsInsecure',
    default: 'false',
    parse: flag,
    doc: 'accept any certificate from the VES collector (true|false); for tests only',
  },
  { env: 'VES_BATCH_SIZE', field: 'vesBatchSize', default: '10', parse: int(1, 100), doc: 'most VES events sent in one POST (eventBatch)' },
  {
    env: 'VES_RETRY_INITIAL_MS',
    field: 'vesRetryInitialMs',
    default: '1000',
    parse: int(10, 600000),
    doc: 'first pause before resending a VES event the collector did not take (5xx, 408, 429, no answer), ms (doubles each time)',
  },
  {
    env: 'VES_RETRY_MAX_MS',
    field: 'vesRetryMaxMs',
    default: '60000',
    parse: int(10, 3600000),
    doc: 'longest pause between attempts to send a VES event, ms',
  },
];

function vnfmType(raw: string): string {
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/i.test(raw.trim())) throw new Error(`must be a URL-safe name, got "${raw}"`);
  return raw.trim();
}
