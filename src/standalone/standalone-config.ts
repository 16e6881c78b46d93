import fs from 'node:fs';
import path from 'node:path';
import { LIFECYCLE_OPERATIONS, type LifecycleOperation } from '../nslcm/nslcm-types';
import type { SimulatorDelays } from '../simulator';
import { StandaloneConfigError } from './standalone-errors';

/** The standalone configuration shipped with the service (`config/standalone/`). */
export const DEFAULT_STANDALONE_DIR = path.join(__dirname, '..', '..', 'config', 'standalone');

/** One VNFM as `vnfms.json` lists it (the shape of NSLCM's `GET vnfms/{id}` answer). */
export interface StandaloneVnfm {
  vnfmId: string;
  name: string;
  type: string;
  vimId?: string;
  vendor?: string;
  version?: string;
  description?: string;
  url: string;
  userName: string;
  password: string;
}

/** One VIM as `vims.json` lists it (the shape of NSLCM's `GET vims/{owner}/{region}` answer). */
export interface StandaloneVim {
  cloudOwner: string;
  cloudRegionId: string;
  name: string;
  url: string;
  userName: string;
  password: string;
  type: string;
  tenant?: string;
  tenantId?: string;
  vendor?: string;
  version?: string;
  description?: string;
  domain?: string;
  sslCacert?: string;
  sslInsecure?: string;
  status?: string;
}

/** How grants are decided for one VIM (`grants.json`). */
export interface GrantPolicy {
  /** `owner_region`, as NSLCM names a VIM in a grant answer. */
  vimId: string;
  /** Tenant the grant answer gives (`vim.accessInfo.tenant`). */
  tenant: string;
  allowedOperations: LifecycleOperation[];
  /** Most VMs granted in this VIM at once, over all VNFs. */
  maxVms: number;
}

/** How the in-process ESC simulator runs (`simulator.json`). */
export interface StandaloneSimulatorSettings {
  userName: string;
  delaysMs: Partial<SimulatorDelays>;
}

/** Everything read from the standalone configuration directory. */
export interface StandaloneConfig {
  dir: string;
  vnfms: StandaloneVnfm[];
  vims: StandaloneVim[];
  grants: GrantPolicy[];
  simulator: StandaloneSimulatorSettings;
}

type Obj = Record<string, unknown>;

/**
 * Reads `vnfms.json`, `vims.json`, `grants.json` and `simulator.json` from `dir`. `${NAME}` in VNFM
 * values is replaced from `vars` (e.g. the simulator's port and password, never written in a file).
 * @throws StandaloneConfigError naming the file and every bad field
 */
export function loadStandaloneConfig(dir: string, vars: Record<string, string> = {}): StandaloneConfig {
  const vnfms = listIn(dir, 'vnfms.json', 'vnfms').map((o, i) => readVnfm(substitute(o, vars, `vnfms[${i}]`), i));
  const vims = listIn(dir, 'vims.json', 'vims').map(readVim);
  const grants = listIn(dir, 'grants.json', 'vims').map(readGrantPolicy);
  return { dir, vnfms, vims, grants, simulator: loadSimulatorSettings(dir) };
}

/** Reads `simulator.json` alone (needed before the simulator starts, hence before the VNFM placeholders are known). */
export function loadSimulatorSettings(dir: string): StandaloneSimulatorSettings {
  return readSimulator(readJson(dir, 'simulator.json'));
}

/** Reads a JSON file of the standalone directory. */
export function readJson(dir: string, file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, file), 'utf8');
  } catch (err) {
    throw new StandaloneConfigError(file, [`cannot be read: ${(err as Error).message}`], { cause: err });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new StandaloneConfigError(file, [`is not JSON: ${(err as Error).message}`], { cause: err });
  }
}

function listIn(dir: string, file: string, key: string): Obj[] {
  const root = readJson(dir, file);
  const list = isObj(root) ? root[key] : undefined;
  if (!Array.isArray(list)) throw new StandaloneConfigError(file, [`"${key}" must be a list`]);
  return list.map((item, i) => {
    if (!isObj(item)) throw new StandaloneConfigError(file, [`${key}[${i}] must be an object`]);
    return item;
  });
}

function substitute(o: Obj, vars: Record<string, string>, where: string): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    out[k] =
      typeof v !== 'string'
        ? v
        : v.replace(/\$\{([A-Z0-9_]+)\}/g, (_m, name: string) => {
            const value = vars[name];
            if (value === undefined) throw new StandaloneConfigError('vnfms.json', [`${where}.${k}: unknown placeholder \${${name}}`]);
            return value;
          });
  }
  return out;
}

function readVnfm(o: Obj, i: number): StandaloneVnfm {
  const f = fields('vnfms.json', `vnfms[${i}]`, o);
  const vnfm = {
    vnfmId: f.text('vnfmId'),
    name: f.text('name'),
    type: f.text('type'),
    url: f.text('url'),
    userName: f.text('userName'),
    vimId: f.opt('vimId'),
    vendor: f.opt('vendor'),
    version: f.opt('version'),
    description: f.opt('description'),
  };
  f.done();
  return withSecret(vnfm, f.opt('password') ?? '');
}

function readVim(o: Obj, i: number): StandaloneVim {
  const f = fields('vims.json', `vims[${i}]`, o);
  const vim: Omit<StandaloneVim, 'password'> = {
    cloudOwner: f.text('cloudOwner'),
    cloudRegionId: f.text('cloudRegionId'),
    name: f.text('name'),
    url: f.text('url'),
    userName: f.opt('userName') ?? '',
    type: f.opt('type') ?? 'openstack',
  };
  for (const k of ['tenant', 'tenantId', 'vendor', 'version', 'description', 'domain', 'sslCacert', 'sslInsecure', 'status'] as const) {
    const v = f.opt(k);
    if (v !== undefined) vim[k] = v;
  }
  f.done();
  return withSecret(vim, f.opt('password') ?? '');
}

function readGrantPolicy(o: Obj, i: number): GrantPolicy {
  const f = fields('grants.json', `vims[${i}]`, o);
  const ops = o.allowedOperations;
  const allowed = Array.isArray(ops) ? ops : [];
  if (!Array.isArray(ops) || allowed.some((op) => !(LIFECYCLE_OPERATIONS as readonly unknown[]).includes(op))) {
    f.problem(`allowedOperations must list some of ${LIFECYCLE_OPERATIONS.join(', ')}`);
  }
  const maxVms = o.maxVms;
  if (typeof maxVms !== 'number' || !Number.isInteger(maxVms) || maxVms < 0) f.problem('maxVms must be a non-negative integer');
  const policy = {
    vimId: f.text('vimId'),
    tenant: f.text('tenant'),
    allowedOperations: allowed as LifecycleOperation[],
    maxVms: maxVms as number,
  };
  f.done();
  return policy;
}

function readSimulator(root: unknown): StandaloneSimulatorSettings {
  if (!isObj(root)) throw new StandaloneConfigError('simulator.json', ['must be an object']);
  const f = fields('simulator.json', 'simulator', root);
  const delays = root.delaysMs ?? {};
  const delaysMs: Partial<SimulatorDelays> = {};
  if (!isObj(delays)) f.problem('delaysMs must be an object of step → ms');
  else {
    for (const [k, v] of Object.entries(delays)) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 60_000) f.problem(`delaysMs.${k} must be an integer 0..60000`);
      else delaysMs[k as keyof SimulatorDelays] = v;
    }
  }
  const settings = { userName: f.opt('userName') ?? 'admin', delaysMs };
  f.done();
  return settings;
}

/** Collects every problem of one object, then throws them together. */
function fields(file: string, where: string, o: Obj) {
  const problems: string[] = [];
  return {
    text(key: string): string {
      const v = o[key];
      if (typeof v === 'string' && v.trim() !== '') return v;
      problems.push(`${where}.${key} must be a non-empty string`);
      return '';
    },
    opt(key: string): string | undefined {
      const v = o[key];
      if (v === undefined || v === null) return undefined;
      if (typeof v === 'string') return v;
      problems.push(`${where}.${key} must be a string`);
      return undefined;
    },
    problem(text: string): void {
      problems.push(`${where}.${text}`);
    },
    done(): void {
      if (problems.length > 0) throw new StandaloneConfigError(file, problems);
    },
  };
}

function withSecret<T extends object>(o: T, password: string): T & { readonly password: string } {
  Object.defineProperty(o, 'password', { value: password, enumerable: false, writable: false });
  return o as T & { readonly password: string };
}

function isObj(v: unknown): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
