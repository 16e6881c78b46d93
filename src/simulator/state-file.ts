import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLog, type Log } from '../logging/log';
import type { XmlElement } from '../xml';
import type { EscEngine } from './esc-engine';
import type { DeploymentState, NetworkState, TenantState, VimConnectorStatus } from './esc-state';

/** File in the simulator's data directory, next to its host key. */
export const STATE_FILE = 'esc-state.json';
const VERSION = 1;

interface SavedTenant extends Omit<TenantState, 'networks' | 'deployments' | 'creatingIn'> {
  networks: NetworkState[];
  deployments: DeploymentState[];
}

/** What is saved: the running configuration (esc_datamodel, esc_system_config) and the operational data behind opdata. */
interface SavedState {
  version: number;
  config: XmlElement;
  system: XmlElement;
  tenants: SavedTenant[];
  flavors: { name: string; flavorId: string }[];
  vimConnectors: { id: string; status: VimConnectorStatus; user?: string; projects: string[] }[];
}

function snapshot(engine: EscEngine): SavedState {
  const s = engine.state;
  return {
    version: VERSION,
    config: engine.running,
    system: engine.systemConfig,
    tenants: [...s.tenants.values()].map((t) => ({
      name: t.name,
      tenantId: t.tenantId,
      active: t.active,
      networks: [...t.networks.values()],
      deployments: [...t.deployments.values()],
    })),
    flavors: [...s.flavors.values()],
    vimConnectors: [...s.vimConnectors.values()].map((c) => ({ ...c, projects: [...c.projects] })),
  };
}

/**
 * Keeps ESC's state across restarts of the simulator, as a real ESC keeps its database (the guide speaks of
 * "its database", e.g. "Delete Flavor" ~line 1885, but says nothing of restarts: documented assumption). Saved to
 * `esc-state.json` (mode 0600, written whole then renamed) at most every `delayMs` after a change and on
 * stop, and read back on start.
 */
export class StateFile {
  private readonly file: string;
  private timer?: NodeJS.Timeout;

  constructor(
    dir: string,
    private readonly engine: EscEngine,
    private readonly log: Log = silentLog,
    private readonly delayMs = 50,
  ) {
    this.file = join(dir, STATE_FILE);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /**
   * Loads the saved state into the engine (nothing when there is none). Returns the deployments whose
   * activation was still running when the simulator stopped, for the engine to activate again. Documented
   * assumption (the guide is silent): flavors and VIM connectors/users in the configuration whose activation
   * had not finished are activated again by the engine (EscEngine.resumeActivations), sending their CREATE_ events then.
   */
  load(): DeploymentState[] {
    if (!existsSync(this.file)) return [];
    const saved = JSON.parse(readFileSync(this.file, 'utf8')) as SavedState;
    if (saved.version !== VERSION) throw new Error(`${STATE_FILE}: unsupported version ${String(saved.version)}`);
    const s = this.engine.state;
    this.engine.restoreConfig(saved.config, saved.system);
    const interrupted: DeploymentState[] = [];
    for (const t of saved.tenants) {
      const tenant: TenantState = {
        name: t.name,
        tenantId: t.tenantId,
        active: t.active,
        networks: new Map(t.networks.map((n) => [n.name, n])),
        deployments: new Map(),
      };
      s.tenants.set(t.name, tenant);
      for (const d of t.deployments) {
        const vms = d.vms;
        const dep: DeploymentState = { ...d, vms: [] };
        tenant.deployments.set(d.name, dep);
        for (const vm of vms) s.addVm(dep, vm);
        if (dep.busy) interrupted.push(dep);
      }
    }
    for (const f of saved.flavors) s.flavors.set(f.name, f);
    for (const c of saved.vimConnectors) s.vimConnectors.set(c.id, { ...c, projects: new Set(c.projects) });
    return interrupted;
  }

  /** Saves soon (changes come in bursts: one write per burst). */
  changed(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      try {
        this.save();
      } catch (err) {
        this.log.error('ESC simulator state not saved', { error: (err as Error).message });
      }
    }, this.delayMs);
    this.timer.unref();
  }

  /** Saves now and stops saving later (the simulator is stopping). */
  close(): void {
    this.save();
    this.closed = true;
  }

  private closed = false;

  /** Saves now. */
  save(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(snapshot(this.engine)), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
