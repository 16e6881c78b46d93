import type { Log } from '../logging/log';

/** XML namespace of the ESC data model, notifications and RPCs (ESC NETCONF API guide, "ESC Datamodel"). */
export const ESC_NS = 'http://www.cisco.com/esc/esc';
/** Namespace of the simulator's own admin RPCs (not part of ESC). */
export const SIM_ADMIN_NS = 'urn:x-esc-simulator:admin:1.0';

/**
 * Delay in milliseconds before each activation step is carried out and its escEvent is sent.
 * All zero means "as fast as possible" (benchmarks, unit tests).
 */
export interface SimulatorDelays {
  /** CREATE_TENANT / DELETE_TENANT. */
  tenant: number;
  /** CREATE_NETWORK / CREATE_SUBNET / DELETE_SUBNET / DELETE_NETWORK. */
  network: number;
  /** VM_DEPLOYED (the VIM creating a VM). */
  vmDeployed: number;
  /** VM_ALIVE (the VM monitor seeing the VM boot). */
  vmAlive: number;
  /** VM_UNDEPLOYED. */
  vmUndeployed: number;
  /** VM_STOPPED, VM_STARTED, VM_REBOOTED, VM_MONITOR_SET/UNSET. */
  vmAction: number;
  /** Each VM_RECOVERY_* step. */
  recovery: number;
  /** Final SERVICE_* events. */
  service: number;
}

/** What a fault rule does. */
export type FaultKind = 'reject' | 'fail-at' | 'never-finish' | 'drop-after' | 'delay-reply' | 'inject-event';

/**
 * A scripted fault. `match` selects deployments and/or VMs by exact name, glob (`*`, `?`) or
 * `/regex/`; an empty match selects everything.
 */
export interface FaultRule {
  match?: { deployment?: string; vm?: string };
  kind: FaultKind;
  /** For 'fail-at' and 'never-finish': the escEvent type at which it happens (default: the final SERVICE_* event). */
  step?: string;
  /** For 'drop-after': number of messages the server sends on a session before it drops the connection. */
  messages?: number;
  /** For 'delay-reply': how long to hold the rpc-reply, in ms. */
  delayMs?: number;
  /** For 'reject', 'fail-at' and 'inject-event': the error / status message to use. */
  message?: string;
  /** For 'inject-event': the escEvent type sent right after the `step` event, about the same deployment and VM. */
  event?: string;
  /** For 'inject-event': its status (default FAILURE). */
  status?: 'SUCCESS' | 'FAILURE';
  /** Remove the rule after it has fired once. */
  once?: boolean;
}

/** A login accepted by the simulator. */
export interface SimulatorUser {
  username: string;
  password: string;
}

/** A VIM connector with credentials configured when ESC was installed (guide ~lines 553, 1039). */
export interface SimulatorVimConnector {
  id: string;
  /** Projects that exist in that VIM (a vm_group locator's vim_project must be one of them). */
  projects: string[];
}

/** Options of {@link startSimulator}. */
export interface SimulatorOptions {
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Password logins; default admin/admin. */
  users?: SimulatorUser[];
  /** Host private key (OpenSSH or PEM). Wins over dataDir. */
  hostKey?: string | Buffer;
  /**
   * Directory where the host key is generated once and kept, and where the running configuration and
   * operational data are saved (`esc-state.json`) and read back on the next start; omitted = a fresh key and
   * an empty ESC per start.
   */
  dataDir?: string;
  /** VIM connectors installed with their credentials before the first start (default none). */
  vimConnectors?: SimulatorVimConnector[];
  /** Per-step delays in ms; unspecified steps are 0. */
  delays?: Partial<SimulatorDelays>;
  /** Fault rules active from the start. */
  faults?: FaultRule[];
  /** Port of the HTTP admin API on 127.0.0.1 (0 = any free port); omitted = no admin port. */
  adminPort?: number;
  log?: Log;
}

/** Read-only view of one VM, for assertions. */
export interface VmSnapshot {
  vmId: string;
  name: string;
  vmGroup: string;
  hostname: string;
  state: string;
  ipAddresses: string[];
}

/** Read-only view of one deployment, for assertions. */
export interface DeploymentSnapshot {
  tenant: string;
  name: string;
  deploymentId: string;
  depId: string;
  state: string;
  busy: boolean;
  vms: VmSnapshot[];
}

/** Read-only view of the whole simulator state. */
export interface SimulatorSnapshot {
  tenants: { name: string; tenantId: string }[];
  deployments: DeploymentSnapshot[];
  /** Networks the tenants hold; `deployment` names the deployment an ephemeral one was created with. */
  networks: { tenant: string; name: string; subnet?: string; deployment?: string }[];
  sessions: number;
  /** Sessions that have created their escEvent subscription: the ones an event reaches. */
  subscribers: number;
  eventsSent: number;
}

/** A started simulator. */
export interface RunningSimulator {
  host: string;
  port: number;
  /** 'SHA256:…' fingerprint of the host key, as OpenSSH prints it. */
  hostKeyFingerprint: string;
  /** Public host key in OpenSSH form ('ssh-ed25519 AAAA…'), for a known_hosts line. */
  hostPublicKey: string;
  /** Port of the HTTP admin API, when enabled. */
  adminPort?: number;
  setFaults(rules: FaultRule[]): void;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  snapshot(): SimulatorSnapshot;
  /**
   * ESC-initiated workflows on demand: a VM (by name or id) goes down and ESC recovers it (when its vm_group's VM_ALIVE
   * rule has a recovery action; otherwise it stays down, reported as VM_ALIVE FAILURE), or ESC's monitors scale a
   * vm_group out or in by one VM; `failure` makes the workflow end in FAILURE. Throws when the VM or group is unknown.
   */
  killVm(vm: string, outcome?: 'success' | 'failure'): void;
  elasticScale(
    direction: 'out' | 'in',
    target: { tenant: string; deployment: string; vmGroup: string },
    outcome?: 'success' | 'failure',
  ): void;
  /** Closes every SSH connection (the server keeps listening). */
  dropConnections(): void;
  /** Closes every SSH connection and closes each new one at once for `ms` (ESC restarting), then serves again. */
  goDown(ms: number): void;
  stop(): Promise<void>;
}
