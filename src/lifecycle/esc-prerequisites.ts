import { EscEventFailureError, EscOperationError } from '../esc/esc-errors';
import { resourceKey, type EscEventView } from '../esc/esc-event-view';
import { startEventWait } from '../esc/event-waiter';
import type { FlavorSpec } from '../esc/mapping/deployment-mapper';
import { buildFlavorConfig } from '../esc/mapping/edit-builders';
import { vimConnectorFor, type Placement, type VimConnectorMap } from '../esc/mapping/placement';
import { buildVimConnectorConfig, buildVimUserConfig } from '../esc/mapping/vim-connector-builders';
import { readFlavorNames, readVimConnectorStatus } from '../esc/resource-view';
import { stripUrlCredentials } from '../logging/redact';
import { splitVimId } from '../nslcm/vim-ref';
import type { XmlNode } from '../xml';
import type { OperationRun } from './operation-run';
import type { EscSessionPort } from './ports';

/** How the driver finds (and may create) the ESC VIM connector of a granted VIM. */
export interface PlacementSettings {
  /** ESC_VIM_CONNECTORS: ONAP VIM id → ESC VIM connector id (default: the ONAP VIM id). */
  connectors: VimConnectorMap;
  /** ESC_MANAGE_VIM_CONNECTORS: create a missing connector and its user from NSLCM's VIM record. */
  manage: boolean;
}

export const DEFAULT_PLACEMENT_SETTINGS: PlacementSettings = { connectors: {}, manage: false };

type Run = OperationRun<unknown, EscEventView>;
type Channel = EscSessionPort<EscEventView>;

const CONNECTED = 'CONNECTION_SUCCESSFUL';
const NO_CREDENTIALS = 'NO_CREDENTIALS';

/** The locator of the granted VIM: its ESC connector and the granted tenant as the VIM project. */
export function placementFor(grantedVimId: string, tenant: string, settings: PlacementSettings): Placement {
  return { vimId: vimConnectorFor(grantedVimId, settings.connectors), vimProject: tenant };
}

/** One flavor / VIM connector / VIM user workflow: its own edit-config, then its escEvent. */
interface ResourceStep {
  /** Checkpoint flag (`<flag>Sent`) and error step. */
  flag: string;
  resource: string;
  eventType: string;
  what: string;
  config: () => XmlNode;
  /** Reads ESC's opdata: is the resource there already? */
  present: () => Promise<boolean>;
}

/**
 * Sends one resource workflow unless ESC's opdata shows the resource already, and waits for its escEvent
 * (SUCCESS, or opdata showing it after a reconnect or restart). A resumed job that sent it before the restart
 * does not send it again. Refusal (rpc-error) or FAILURE → an error naming the resource.
 */
async function ensureResource(run: Run, channel: Channel, s: ResourceStep): Promise<void> {
  if (await s.present()) {
    // The usual case (flavors are shared by every VNF of a VNFD): a debug line, not one per instantiate at info.
    run.log.debug(`${s.what} already exists in ESC`, { step: s.flag });
    return;
  }
  const flag = `${s.flag}Sent`;
  const sent = run.has(flag);
  const wait = startEventWait<EscEventView>({
    source: channel,
    tenant: '',
    depname: s.resource,
    classify: (e) =>
      e.type !== s.eventType
        ? undefined
        : e.status === 'SUCCESS'
          ? { kind: 'done' }
          : { kind: 'failed', eventType: e.type, message: e.statusMessage },
    waitingFor: () => `${s.eventType} of ${s.what}`,
    timeoutMs: run.remainingMs(),
    signal: run.ctx.signal,
    reconcile: async () => ((await s.present()) ? { kind: 'done' } : undefined),
    reconcileAtStart: sent,
    recheckIntervalMs: run.deps.settings.recheckIntervalMs,
    errorContext: run.errorContext(`wait for ${s.flag}`),
    log: run.log,
  });
  if (!sent) {
    try {
      // An rpc-error is a rejection; a lost answer is an unknown outcome that ESC's opdata decides (sent again if absent).
      await run.sendUntilReceived(channel, {
        step: s.what,
        tenant: '',
        depname: s.resource,
        config: s.config,
        alreadyApplied: s.present,
      });
    } catch (err) {
      wait.cancel();
      throw err;
    }
    await run.mark({ [flag]: true });
  }
  try {
    await wait.result;
  } catch (err) {
    if (err instanceof EscEventFailureError)
      throw new EscOperationError(`ESC could not create ${s.what}: ${err.escMessage || err.message}`, {
        ...run.errorContext(s.flag),
        cause: err,
      });
    throw err;
  }
}

/**
 * Makes sure ESC holds a usable connector for the granted VIM (guide, "Deploy Multi-vim Service": the connector
 * and its credentials are prerequisites). A missing one is created from NSLCM's VIM record when management is
 * on: the connector in one edit-config, then its user in another (guide, "Create Vim Connector", "Create Vim
 * User"), each awaited. The password goes only into the user's edit-config.
 */
export async function ensureVimConnector(
  run: Run,
  channel: Channel,
  grantedVimId: string,
  placement: Placement,
  settings: PlacementSettings,
): Promise<void> {
  const id = placement.vimId;
  const status = (await readVimConnectorStatus(channel)).get(id);
  if (status === CONNECTED) return;
  const usable = status === undefined || status === NO_CREDENTIALS;
  if (!settings.manage || !usable) {
    const hint = settings.manage ? '' : '; configure it in ESC, map the VIM with ESC_VIM_CONNECTORS or set ESC_MANAGE_VIM_CONNECTORS=true';
    throw new EscOperationError(
      `ESC has no usable VIM connector ${id} for the granted VIM ${grantedVimId} (${status ?? 'absent'})${hint}`,
      run.errorContext('VIM connector'),
    );
  }
  const { cloudOwner, cloudRegionId } = splitVimId(grantedVimId);
  let vim;
  try {
    vim = await run.deps.nslcm.getVimInfo(cloudOwner, cloudRegionId, { signal: run.ctx.signal });
  } catch (err) {
    throw new EscOperationError(`cannot read VIM ${grantedVimId} from NSLCM: ${(err as Error).message}`, {
      ...run.errorContext('read VIM'),
      cause: err,
    });
  }
  run.log.info('creating the ESC VIM connector of the granted VIM', {
    vimConnector: id,
    vimId: grantedVimId,
    authUrl: stripUrlCredentials(vim.url),
    vimUser: vim.userName,
  });
  const connectors = async (): Promise<Map<string, string>> => readVimConnectorStatus(channel);
  await ensureResource(run, channel, {
    flag: `vimConnector:${id}`,
    resource: resourceKey('vim_connector', id),
    eventType: 'CREATE_VIM_CONNECTOR',
    what: `VIM connector ${id}`,
    config: () => buildVimConnectorConfig({ id, authUrl: vim.url, project: vim.tenant ?? placement.vimProject, domain: vim.domain }),
    present: async () => (await connectors()).has(id),
  });
  await ensureResource(run, channel, {
    flag: `vimUser:${id}`,
    resource: resourceKey('vim_user', id, vim.userName),
    eventType: 'CREATE_VIM_USER',
    what: `VIM user ${vim.userName} of connector ${id}`,
    config: () => buildVimUserConfig({ connectorId: id, userName: vim.userName, password: vim.password, domain: vim.domain }),
    present: async () => (await connectors()).get(id) === CONNECTED,
  });
}

/**
 * Creates the flavors the deployment needs, one edit-config each (guide ~lines 414-422), each awaited
 * (CREATE_FLAVOR SUCCESS, guide ~line 1765) before the next and before the deploy; a flavor ESC's opdata
 * shows already is not sent again. The flavors ESC holds are read once for all of them (flavors are shared by
 * every VNF of a VNFD, so usually all are there and nothing else is read).
 */
export async function ensureFlavors(run: Run, channel: Channel, flavors: readonly FlavorSpec[]): Promise<void> {
  if (flavors.length === 0) return;
  const held = await readFlavorNames(channel);
  for (const f of flavors) {
    if (held.has(f.name)) {
      run.log.debug(`flavor ${f.name} already exists in ESC`, { step: `flavor:${f.name}` });
      continue;
    }
    await ensureResource(run, channel, {
      flag: `flavor:${f.name}`,
      resource: resourceKey('flavor', f.name),
      eventType: 'CREATE_FLAVOR',
      what: `flavor ${f.name}`,
      config: () => buildFlavorConfig(f),
      present: async () => (await readFlavorNames(channel)).has(f.name),
    });
  }
}
