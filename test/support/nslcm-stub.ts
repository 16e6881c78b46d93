import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { buildVimInfo, buildVnfmInfo, buildVnfPackage } from './nslcm-stub/nslcm-builders';
import { applyNotify, emptyInventory, type NslcmInventory } from './nslcm-stub/nslcm-inventory';
import { validateGrant, validateNotify, type StubDialect } from './nslcm-stub/nslcm-validators';

export { buildVnfPackage } from './nslcm-stub/nslcm-builders';
export { rowsOf, type NslcmInventory } from './nslcm-stub/nslcm-inventory';

/** One request the stub received and what it answered (`status` undefined while held or when dropped). */
export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  /** Request headers, names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  status?: number;
  answer?: unknown;
  at: number;
}

/** Answer of a custom grant handler. */
export interface StubAnswer {
  status: number;
  body: unknown;
}

/** Options of {@link startNslcmStub}. */
export interface NslcmStubOptions {
  /** Enum spelling accepted in Notify bodies (default uppercase, as current NSLCM). */
  dialect?: StubDialect;
  /** Tenant returned by the default grant handler (default from the VIM, else `admin`). */
  tenant?: string;
  /** When set, grant and Notify for vnfInstanceIds outside this set are refused (409), as NSLCM does. */
  knownVnfInstances?: Set<string>;
}

/** A running stub. Maps are live: tests add VNFMs, VIMs and packages to them. */
export interface NslcmStub {
  url: string;
  port: number;
  calls: RecordedCall[];
  vnfms: Map<string, Record<string, unknown>>;
  vims: Map<string, Record<string, unknown>>;
  packages: Map<string, Record<string, unknown>>;
  /** NSLCM's VNFC, VM, VL and CP rows as notify_lcm keeps them from the accepted Notify bodies (tests may seed NS VLs). */
  inventory: NslcmInventory;
  /** Replaces the answer to valid grant requests. */
  setGrantHandler(fn: (body: Record<string, unknown>) => StubAnswer | Promise<StubAnswer>): void;
  /** The next `n` requests whose path equals `path` (or matches it) are answered `status`. */
  failNext(path: string | RegExp, status: number, n?: number): void;
  /** The next `n` requests matching `path` are never answered (until stop/goDown). */
  hangNext(path: string | RegExp, n?: number): void;
  /** Calls whose path matches. */
  callsTo(path: string | RegExp): RecordedCall[];
  /** Notify bodies that were accepted (201), in arrival order. */
  acceptedNotifies(): { path: string; body: Record<string, unknown> }[];
  /** Closes the listener and every connection; the port stays reserved for {@link comeBack}. */
  goDown(): Promise<void>;
  /** Listens again on the same port. */
  comeBack(): Promise<void>;
  stop(): Promise<void>;
}

const vimKey = (owner: string, region: string): string => `${owner}/${region}`;
const matches = (p: string | RegExp, path: string): boolean => (typeof p === 'string' ? p === path : p.test(path));

/**
 * Starts a recording NSLCM + catalog stub on 127.0.0.1 (port 0). It validates grant and Notify bodies as
 * NSLCM does and answers as NSLCM answers (docs/nslcm-contract.md §5, §6): grant 201 / 409 `{error}`, Notify 201 `{}` / 500; an accepted
 * Notify changes the stub's {@link NslcmInventory} as notify_lcm changes NSLCM's tables.
 */
export async function startNslcmStub(opts: NslcmStubOptions = {}): Promise<NslcmStub> {
  const calls: RecordedCall[] = [];
  const vnfms = new Map<string, Record<string, unknown>>();
  const vims = new Map<string, Record<string, unknown>>();
  const packages = new Map<string, Record<string, unknown>>();
  const inventory = emptyInventory();
  const faults: { path: string | RegExp; status: number | 'hang'; left: number }[] = [];
  const held = new Set<Response>();
  let grantHandler: ((body: Record<string, unknown>) => StubAnswer | Promise<StubAnswer>) | undefined;

  const app = express();
  app.use(express.json({ limit: '5mb' }));
  app.use((req, res, next) => {
    const call: RecordedCall = {
      method: req.method,
      path: req.path,
      query: { ...req.query },
      body: req.body,
      headers: { ...req.headers },
      at: Date.now(),
    };
    calls.push(call);
    const send = res.json.bind(res);
    res.json = (b: unknown) => {
      call.status = res.statusCode;
      call.answer = b;
      return send(b);
    };
    const fault = faults.find((f) => f.left > 0 && matches(f.path, req.path));
    if (!fault) return next();
    fault.left--;
    if (fault.status === 'hang') return void held.add(res);
    res.status(fault.status).json({ error: `injected failure ${fault.status}` });
  });

  app.get('/api/nslcm/v1/vnfms/:id', (req, res) => answerFrom(res, vnfms.get(req.params.id), `vnfm ${req.params.id}`));
  app.get('/api/nslcm/v1/vims/:owner/:region', (req, res) =>
    answerFrom(res, vims.get(vimKey(req.params.owner, req.params.region)), `vim ${req.params.owner}_${req.params.region}`),
  );
  app.get('/api/catalog/v1/vnfpackages/:csarId', (req, res) =>
    answerFrom(res, packages.get(req.params.csarId), `package ${req.params.csarId}`),
  );
  app.post('/api/nslcm/v1/ns/grantvnf', async (req, res) => {
    const errs = validateGrant(req.body);
    if (errs.length) return void res.status(409).json({ error: errs.join('; ') });
    const body = req.body as Record<string, unknown>;
    if (opts.knownVnfInstances && !opts.knownVnfInstances.has(String(body.vnfInstanceId))) {
      return void res.status(409).json({ error: `VNF instance ${String(body.vnfInstanceId)} does not exist` });
    }
    const answer = grantHandler ? await grantHandler(body) : defaultGrant(body, vims, opts.tenant);
    res.status(answer.status).json(answer.body);
  });
  app.post('/api/nslcm/v1/ns/:vnfmid/vnfs/:vnfInstanceId/Notify', (req, res) => {
    const errs = validateNotify(req.body, opts.dialect);
    if (errs.length) return void res.status(500).json({ error: errs.join('; ') });
    if (opts.knownVnfInstances && !opts.knownVnfInstances.has(req.params.vnfInstanceId)) {
      return void res.status(409).json({ error: `VNF instance ${req.params.vnfInstanceId} does not exist` });
    }
    applyNotify(inventory, req.params.vnfInstanceId, req.body as Record<string, unknown>);
    res.status(201).json({});
  });
  app.use((req: Request, res: Response) => {
    res.status(404).json({ error: `no route ${req.method} ${req.path}` });
  });

  let server = http.createServer(app);
  await listen(server, 0);
  const port = (server.address() as AddressInfo).port;

  const close = async (): Promise<void> => {
    for (const res of held) res.destroy();
    held.clear();
    if (!server.listening) return;
    const closed = new Promise<void>((r) => server.close(() => r()));
    server.closeAllConnections();
    await closed;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    calls,
    vnfms,
    vims,
    packages,
    inventory,
    setGrantHandler: (fn) => void (grantHandler = fn),
    failNext: (path, status, n = 1) => void faults.push({ path, status, left: n }),
    hangNext: (path, n = 1) => void faults.push({ path, status: 'hang', left: n }),
    callsTo: (path) => calls.filter((c) => matches(path, c.path)),
    acceptedNotifies: () =>
      calls
        .filter((c) => c.path.endsWith('/Notify') && c.status === 201)
        .map((c) => ({ path: c.path, body: c.body as Record<string, unknown> })),
    goDown: close,
    comeBack: async () => {
      if (server.listening) return;
      server = http.createServer(app);
      await listen(server, port);
    },
    stop: close,
  };
}

function answerFrom(res: Response, value: unknown, what: string): void {
  if (value === undefined) res.status(404).json({ error: `${what} not found` });
  else res.status(200).json(value);
}

function defaultGrant(body: Record<string, unknown>, vims: Map<string, Record<string, unknown>>, tenant?: string): StubAnswer {
  const ap = (body.additionalParam ?? {}) as Record<string, string>;
  let vim: { cloud_owner?: unknown; cloud_regionid?: unknown };
  try {
    vim = JSON.parse(ap.vimid ?? '') as { cloud_owner?: unknown; cloud_regionid?: unknown };
  } catch {
    return { status: 409, body: { error: 'additionalParam.vimid is not a JSON VIM reference' } };
  }
  if (typeof vim.cloud_owner !== 'string' || typeof vim.cloud_regionid !== 'string') {
    return { status: 409, body: { error: 'additionalParam.vimid lacks cloud_owner / cloud_regionid' } };
  }
  const known = vims.get(vimKey(vim.cloud_owner, vim.cloud_regionid));
  const t = tenant ?? (known?.tenant as string | undefined) ?? 'admin';
  return { status: 201, body: { vim: { vimId: `${vim.cloud_owner}_${vim.cloud_regionid}`, accessInfo: { tenant: t } } } };
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Fills the stub with one VNFM (pointing at `escHost:escPort`), the VIM and the demo package. */
export function seedDefaults(stub: NslcmStub, esc: { host?: string; port?: number } = {}): void {
  const vnfm = buildVnfmInfo({ escHost: esc.host, escPort: esc.port });
  stub.vnfms.set(vnfm.vnfmId, { ...vnfm });
  stub.vims.set(vimKey('CloudOwner', 'RegionOne'), buildVimInfo());
  const pkg = buildVnfPackage();
  stub.packages.set(pkg.csarId, pkg);
}
