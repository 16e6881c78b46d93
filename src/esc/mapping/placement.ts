import { xml, type XmlNode } from '../../xml';

/** Where a vm_group is deployed: an ESC VIM connector and a project of that VIM (guide, "Deploy Multi-vim Service"). */
export interface Placement {
  /** Id of the ESC VIM connector (`locator/vim_id`). */
  vimId: string;
  /** The out-of-band project / tenant in that VIM (`locator/vim_project`). */
  vimProject: string;
}

/** ONAP VIM id (`owner_region`) → ESC VIM connector id, from ESC_VIM_CONNECTORS. */
export type VimConnectorMap = Readonly<Record<string, string>>;

/**
 * The ESC VIM connector serving an ONAP VIM: the one ESC_VIM_CONNECTORS names for it, else a connector whose
 * id is the ONAP VIM id itself.
 */
export function vimConnectorFor(onapVimId: string, map: VimConnectorMap): string {
  return Object.hasOwn(map, onapVimId) ? map[onapVimId] : onapVimId;
}

/**
 * `<locator>` of a vm_group (guide, "Deploy Multi-vim Service", ~lines 2871-2878 and the request at
 * ~2899-2902): `vim_id` references the VIM connector, `vim_project` a project that exists in that VIM.
 */
export function buildLocatorXml(p: Placement): XmlNode {
  return xml('locator', {}, xml('vim_id', {}, p.vimId), xml('vim_project', {}, p.vimProject));
}
