import type { EscState } from './esc-state';
import type { EscEvent } from './esc-event-writer';
import type { IdFactory } from './id-factory';
import type { Step } from './workflow-runner';
import type { ResourceWorkflow } from './workflow-types';

function event(type: string, ok: boolean, message: string, ids: Pick<EscEvent, 'flavor' | 'vimConnectorId' | 'vimUserId'>): EscEvent {
  return { type, status: ok ? 'SUCCESS' : 'FAILURE', statusCode: ok ? 200 : 500, message, ...ids };
}

/** A one-step activation: `apply` on success; on failure opdata is left unchanged (guide, each workflow's "On Failure"). */
function step(type: string, okMessage: string, failMessage: string, ids: Parameters<typeof event>[3], apply: () => void): Step {
  return {
    type,
    // Flavors and VIM connectors are VIM resources, timed like networks.
    delay: 'network',
    ok: () => {
      apply();
      return event(type, true, okMessage, ids);
    },
    fail: (m) => event(type, false, m ?? failMessage, ids),
  };
}

/**
 * The activation step of a flavor or VIM connector/user workflow, with its escEvent and opdata change:
 * CREATE_FLAVOR / DELETE_FLAVOR (guide ~lines 1763-1815, 1853-1870), CREATE_/UPDATE_/DELETE_VIM_CONNECTOR
 * (~lines 606-660, 701-716, 775-790), CREATE_/UPDATE_/DELETE_VIM_USER (~lines 846-900, 941-960, 1012-1030).
 */
export function resourceStep(w: ResourceWorkflow, state: EscState, ids: IdFactory): Step {
  switch (w.kind) {
    case 'create-flavor':
      return step('CREATE_FLAVOR', ' Flavor creation completed successfully.', 'Flavor creation failed.', { flavor: w.flavor }, () =>
        state.flavors.set(w.flavor, { name: w.flavor, flavorId: ids.uuid() }),
      );
    case 'delete-flavor':
      return step('DELETE_FLAVOR', 'Flavor deletion completed successfully.', 'Flavor deletion failed.', { flavor: w.flavor }, () =>
        state.flavors.delete(w.flavor),
      );
    case 'create-vim-connector':
    case 'update-vim-connector': {
      const create = w.kind === 'create-vim-connector';
      const verb = create ? 'Created' : 'Updated';
      return step(
        create ? 'CREATE_VIM_CONNECTOR' : 'UPDATE_VIM_CONNECTOR',
        `${verb} vim connector successfully.`,
        `${create ? 'Creating' : 'Updating'} vim connector failed.`,
        { vimConnectorId: w.connector },
        () => {
          const c = state.vimConnectors.get(w.connector) ?? {
            id: w.connector,
            status: 'NO_CREDENTIALS' as const,
            projects: new Set<string>(),
          };
          if (w.project) c.projects.add(w.project);
          state.vimConnectors.set(w.connector, c);
        },
      );
    }
    case 'delete-vim-connector':
      return step(
        'DELETE_VIM_CONNECTOR',
        'Deleted vim connector successfully.',
        'Deleting vim connector failed.',
        { vimConnectorId: w.connector },
        () => state.vimConnectors.delete(w.connector),
      );
    case 'create-vim-user':
    case 'update-vim-user':
      return step(
        w.kind === 'create-vim-user' ? 'CREATE_VIM_USER' : 'UPDATE_VIM_USER',
        `${w.kind === 'create-vim-user' ? 'Created' : 'Updated'} vim user successfully.`,
        'Vim user activation failed.',
        { vimConnectorId: w.connector, vimUserId: w.user },
        () => {
          const c = state.vimConnectors.get(w.connector);
          if (c) Object.assign(c, { user: w.user, status: 'CONNECTION_SUCCESSFUL' });
        },
      );
    case 'delete-vim-user':
      return step(
        'DELETE_VIM_USER',
        'Deleted vim user successfully.',
        'Deleting vim user failed.',
        { vimConnectorId: w.connector, vimUserId: w.user },
        () => {
          const c = state.vimConnectors.get(w.connector);
          if (c) Object.assign(c, { user: undefined, status: 'NO_CREDENTIALS' });
        },
      );
  }
}
