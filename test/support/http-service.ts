import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServiceConfig } from '../../src/config/config-schema';
import type { Southbound } from '../../src/lifecycle/southbound';
import { silentLog, type Log } from '../../src/logging/log';
import { startService, type RunningService } from '../../src/main';

/** A service started in-process on 127.0.0.1:0 with a temporary store; `stop()` also removes the store. */
export interface TestService extends RunningService {
  base: string;
  dir: string;
}

/** Starts the whole service in-process with the given southbound. */
export async function startTestService(
  southbound?: Southbound,
  config: Partial<ServiceConfig> = {},
  log: Log = silentLog,
): Promise<TestService> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vnfm-driver-test-'));
  const svc = await startService({
    config: { port: 0, host: '127.0.0.1', storePath: path.join(dir, 'driver.db'), shutdownTimeoutMs: 2000, ...config },
    southbound,
    log,
  });
  const stop = async (): Promise<void> => {
    await svc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { ...svc, stop, dir, base: `${svc.url}/api/${svc.config.vnfmType}/v1/vnfm-1` };
}

/** One entry of a job poll's responseDescriptor. */
export interface JobEntryBody {
  status: string;
  progress: number | string;
  statusDescription: string;
  errorCode: string | null;
  responseId: string;
}

/**
 * The driver's JSON answers as the tests read them: the fields of its answer bodies (operation accepted, job poll,
 * query, lists, errors) in one shape; other documents are read with {@link at}. A field an answer lacks reads as undefined and fails the
 * expectation that reads it, as with any parsed JSON; a non-JSON answer is the text.
 */
export interface DriverAnswer {
  jobId: string;
  vnfInstanceId: string;
  responseDescriptor: JobEntryBody & { responseHistoryList: JobEntryBody[] };
  vnfInfo: { vnfStatus: string } & Record<string, unknown>;
  jobs: Array<{ jobId: string } & Record<string, unknown>>;
  vnfs: Array<{ vnfInstanceId: string; attributes?: unknown } & Record<string, unknown>>;
  nextCursor?: string;
  error: string;
  details: Array<{ field: string; reason: string }>;
  status: string;
}

/** The value at a path of keys in parsed JSON, undefined where the path ends early. */
export function at(value: unknown, ...keys: string[]): unknown {
  let v = value;
  for (const key of keys) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** A received answer. */
export interface HttpAnswer {
  status: number;
  body: DriverAnswer;
  headers: Headers;
}

/** POSTs JSON (or a raw string body) and reads the JSON answer. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
  return { status: res.status, body: (await readJson(res)) as DriverAnswer, headers: res.headers };
}

/** GETs and reads the JSON answer. */
export async function getJson(url: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: (await readJson(res)) as DriverAnswer, headers: res.headers };
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A valid instantiate body as NSLCM sends it (docs/nslcm-contract.md §2), with overrides. */
export function buildInstantiateRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const vim = { cloud_owner: 'CloudOwner', cloud_regionid: 'RegionOne' };
  return {
    vnfInstanceName: 'vFW_ns_1',
    vnfPackageId: 'pkg-1',
    vnfDescriptorId: 'vnfd-1',
    flavourId: 'default',
    extVirtualLink: [
      {
        vlInstanceId: 'vl-1',
        resourceId: 'net-1',
        resourceSubnetId: 'sub-1',
        cpdId: 'cp-1',
        vim: { vimid: vim },
        id: 'x',
        vimConnectionId: JSON.stringify(vim),
      },
    ],
    extCps: [{ cpdId: 'cp-1', cpConfig: [] }],
    additionalParam: { properties: '{"a": 1}', inputs: { k: 'v' }, vimId: JSON.stringify(vim), extVirtualLinks: [] },
    unexpectedExtra: 'tolerated',
    ...overrides,
  };
}

export { waitFor } from './waiting';
