import type { XmlElement } from '../xml';

/**
 * Service and VM actions (ESC NETCONF API guide, "Operational Workflows", ~lines 3319-3326: the same six for a
 * deployment or one VM). Known gap: SET_MONITOR_AND_RECOVER (ESC 4.1, ~3835) is not accepted, the guide shows
 * none of its events.
 */
export type ActionType = 'STOP' | 'START' | 'REBOOT' | 'ENABLE_MONITOR' | 'DISABLE_MONITOR' | 'RECOVER';
export const ACTION_TYPES: readonly ActionType[] = ['STOP', 'START', 'REBOOT', 'ENABLE_MONITOR', 'DISABLE_MONITOR', 'RECOVER'];

/** One accepted configuration workflow, to be activated asynchronously (guide, "Configuration Workflows"). */
export type Workflow =
  | { kind: 'create-tenant'; tenant: string }
  | { kind: 'delete-tenant'; tenant: string }
  | { kind: 'deploy'; tenant: string; deployment: string; config: XmlElement }
  | { kind: 'update'; tenant: string; deployment: string; config: XmlElement }
  | { kind: 'undeploy'; tenant: string; deployment: string }
  | { kind: 'service-action'; action: ActionType; tenant: string; deployment: string }
  | { kind: 'vm-action'; action: ActionType; vmName: string }
  | ResourceWorkflow;

/**
 * Workflows on resources outside deployments (guide, "Configuration Workflows" 5.1): flavors in
 * esc_datamodel/flavors, VIM connectors and their users in esc_system_config/vim_connectors.
 */
export type ResourceWorkflow =
  | { kind: 'create-flavor'; flavor: string }
  | { kind: 'delete-flavor'; flavor: string }
  | { kind: 'create-vim-connector'; connector: string; project?: string }
  | { kind: 'update-vim-connector'; connector: string; project?: string }
  | { kind: 'delete-vim-connector'; connector: string }
  | { kind: 'create-default-vim-connector'; connector: string }
  | { kind: 'create-vim-user'; connector: string; user: string }
  | { kind: 'update-vim-user'; connector: string; user: string }
  | { kind: 'delete-vim-user'; connector: string; user: string };

/** Name of the deployment a workflow is about (for fault matching), if any. */
export function deploymentOf(w: Workflow): string | undefined {
  return 'deployment' in w ? w.deployment : undefined;
}
