import { childOf, childrenOf, textOf, type XmlElement } from '../xml';
import { flavorsOpdataFilter } from './mapping/edit-builders';
import { vimConnectorsOpdataFilter } from './mapping/vim-connector-builders';
import type { EscOpdataSource } from './esc-steps';

function opdataOf(data: XmlElement): XmlElement | undefined {
  return childOf(childOf(data, 'esc_datamodel'), 'opdata');
}

/** Names of the flavors ESC has created (opdata `flavors/flavor`, guide ~lines 1797-1810). */
export async function readFlavorNames(channel: EscOpdataSource): Promise<Set<string>> {
  const data = await channel.get(flavorsOpdataFilter());
  return new Set(childrenOf(childOf(opdataOf(data), 'flavors'), 'flavor').map((f) => textOf(f, 'name') ?? ''));
}

/** VIM connector id → status (opdata `system_config/vim_connectors`, guide ~lines 645-660; e.g. CONNECTION_SUCCESSFUL). */
export async function readVimConnectorStatus(channel: EscOpdataSource): Promise<Map<string, string>> {
  const data = await channel.get(vimConnectorsOpdataFilter());
  const list = childrenOf(childOf(childOf(opdataOf(data), 'system_config'), 'vim_connectors'), 'vim_connector');
  return new Map(list.map((c) => [textOf(c, 'id') ?? '', textOf(c, 'status') ?? '']));
}
