import type { EscState } from './esc-state';
import type { EscEvent } from './esc-event-writer';
import type { IdFactory } from './id-factory';
import type { Step } from './workflow-runner';
import type { ResourceWorkflow } from './workflow-types';

function event(type: string, ok: boolean, message: string, ids: Pick<EscEvent, 'flavor' | 'vimConnectorId' | 'vimUserId'>): EscEvent {
  return { type, status: ok ? 'SUCCESS' : 'FAILURE', statusCode: ok ? 200 : 500, message, ...ids };
}

/**
 * A one-step activation: `apply` on success; on failure `onFail` (default: opdata left unchanged, as each
 * create workflow's "On Failure" says, e.g. "Create Flavor" ~line 1823, "Create Vim Connector" ~line 670,
 * "Create Vim User" ~line 905). Documented assumption: for the workflows whose "On Failure" says nothing about
 * opdata (Update/Delete Vim Connector ~725/797, Update/Delete Vim User ~966/1035) opdata is also left as it was.
 * The failure messages are the simulator's (the guide shows only success messages).
 */
function step(
  type: string,
  okMessage: string,
  failMessage: string,
  ids: Parameters<typeof event>[3],
  apply: () => void,
  onFail: () => void = () => undefined,
): Step {
  return {
    type,
    // Flavors and VIM connectors are VIM resources, timed like networks.
    delay: 'network',
    ok: () => {
      apply();
      return event(type, true, okMessage, ids);
    },
    fail: (m) => {
      onFail();
      return event(type, false, m ?? failMessage, ids);
    },
  };
}

/**
 * The activation step of a flavor or VIM connector/user workflow, with its escEvent and opdata change:
 * CREATE_FLAVOR / DELETE_FLAVOR (guide "Create Flavor" ~lines 1763-1823, "Delete Flavor" ~1857-1887; the
 * CREATE_FLAVOR message keeps the guide's leading space, ~line 1771), CREATE_/DELETE_/UPDATE_VIM_CONNECTOR
 * ("Create Vim Connector" ~606-670, "Delete Vim Connector" ~701-726, "Update Vim Connector" ~775-798),
 * CREATE_/DELETE_/UPDATE_VIM_USER ("Create Vim User" ~846-905, "Delete Vim User" ~941-966, "Update Vim User"
 * ~1012-1035). Opdata: a new connector is NO_CREDENTIALS until its user is activated (~lines 625-627), then
 * CONNECTION_SUCCESSFUL (~868-870; the simulated VIM is always reachable and the credentials always
 * authenticate, so CONNECTION_FAILED / AUTHENTICATION_FAILED are never shown: documented assumption); deleting
 * the user makes it NO_CREDENTIALS again (~963). "Update Vim User" ~line 1014 names the success event
 * UPDATE_VIM_CONNECTOR in its prose but its example (~1025) and its "On Failure" (~1035) say UPDATE_VIM_USER:
 * the simulator follows the example. A failed Delete Flavor still removes the flavor from opdata ("ESC
 * cleans up the resources from its database", ~lines 1885-1887).
 */
export function resourceStep(w: ResourceWorkflow, state: EscState, ids: IdFactory): Step {
  switch (w.kind) {
    case 'create-flavor':
      return step('CREATE_FLAVOR', ' Flavor creation completed successfully.', 'Flavor creation failed.', { flavor: w.flavor }, () =>
        state.flavors.set(w.flavor, { name: w.flavor, flavorId: ids.uuid() }),
      );
    case 'delete-flavor':
      return step(
        'DELETE_FLAVOR',
        'Flavor deletion completed successfully.',
        'Flavor deletion failed.',
        { flavor: w.flavor },
        () => state.flavors.delete(w.flavor),
        () => state.flavors.delete(w.flavor),
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
    case 'create-default-vim-connector':
      // The guide's event names no connector (~lines 1068-1080); its FAILURE text is assumed (the guide shows none, ~1128).
      return step(
        'CREATE_DEFAULT_VIM_CONNECTOR',
        'Created default vim connector successfully.',
        'Creating default vim connector failed.',
        {},
        () => undefined,
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
