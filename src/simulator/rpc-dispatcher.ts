import { NETCONF_BASE_NS, NOTIFICATION_NS } from '../netconf/namespaces';
import { attrOf, childOf, writeElement, type XmlElement } from '../xml';
import type { EditOperation } from './config-tree';
import { filterBySubtree, filterByXpath, subtreeOpdataScope, xpathOpdataScope, type OpdataScope } from './data-filter';
import type { EscEngine } from './esc-engine';
import type { FaultBook } from './fault-book';
import { writeOpdata } from './opdata-writer';
import type { RpcDispatcher, ServerSession } from './server-session';
import { SimRpcError } from './sim-rpc-error';
import { ESC_NS, SIM_ADMIN_NS } from './simulator-types';

/** Session-independent services the RPCs use. */
export interface RpcContext {
  engine: EscEngine;
  faults: FaultBook;
  startedAt: number;
  /** Admin RPC handler (simulator namespace), returns the reply body. */
  admin(op: XmlElement): string;
}

const ESC_RPCS = new Set(['serviceAction', 'vmAction', 'recoveryVmAction']);

/**
 * Dispatches the RPCs ESC supports (guide, "NETCONF Operations"): get, get-config, edit-config,
 * lock, unlock, close-session, create-subscription, and ESC's serviceAction / vmAction /
 * recoveryVmAction. One lock on running is shared by all sessions.
 */
export class SimulatorRpcDispatcher implements RpcDispatcher {
  private lockOwner: number | undefined;

  constructor(private readonly ctx: RpcContext) {}

  /** Releases the lock of a session that went away (RFC 6241 §7.5). */
  sessionClosed(session: ServerSession): void {
    if (this.lockOwner === session.id) this.lockOwner = undefined;
  }

  replyDelay(op: XmlElement): number {
    if (!this.ctx.faults.has('delay-reply')) return 0; // no need to look for the deployment in every request
    const rule = this.ctx.faults.delayReply(this.deploymentOf(op));
    return rule?.delayMs ?? 0;
  }

  private deploymentOf(op: XmlElement): string | undefined {
    const find = (el: XmlElement | undefined): string | undefined => {
      if (!el) return undefined;
      if (el.name === 'depName') return el.text.trim();
      if (el.name === 'deployment') return childOf(el, 'name')?.text.trim();
      for (const c of el.children) {
        const r = find(c);
        if (r !== undefined) return r;
      }
      return undefined;
    };
    return find(op);
  }

  /** The reply body of one rpc; a SimRpcError becomes a rejection, as the session expects. */
  dispatch(session: ServerSession, op: XmlElement): Promise<string> {
    try {
      return Promise.resolve(this.route(session, op));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private route(session: ServerSession, op: XmlElement): string {
    const isClose = op.ns === NETCONF_BASE_NS && op.name === 'close-session';
    if (session.subscribed && !isClose) {
      throw new SimRpcError('operation-not-supported', 'Only <close-session> is accepted while a subscription is active (no :interleave)', {
        type: 'protocol',
      });
    }
    if (op.ns === NETCONF_BASE_NS) return this.base(session, op);
    if (op.ns === NOTIFICATION_NS && op.name === 'create-subscription') return this.subscribe(session, op);
    if (op.ns === ESC_NS && ESC_RPCS.has(op.name)) {
      this.ctx.engine.action(op);
      return '<ok/>';
    }
    if (op.ns === SIM_ADMIN_NS) return this.ctx.admin(op);
    throw new SimRpcError('operation-not-supported', `<${op.name}> in "${op.ns}" is not supported`, {
      type: 'protocol',
      badElement: op.name,
    });
  }

  private base(session: ServerSession, op: XmlElement): string {
    switch (op.name) {
      case 'get':
        return this.data(op, true);
      case 'get-config':
        this.checkDatastore(op, 'source');
        return this.data(op, false);
      case 'edit-config':
        return this.editConfig(session, op);
      case 'lock':
        return this.lock(session, op);
      case 'unlock':
        return this.unlock(session, op);
      case 'close-session':
        return '<ok/>';
      default:
        throw new SimRpcError('operation-not-supported', `<${op.name}> is not supported by ESC`, { type: 'protocol', badElement: op.name });
    }
  }

  private checkDatastore(op: XmlElement, which: 'source' | 'target'): void {
    const ds = childOf(op, which)?.children[0]?.name;
    if (ds !== 'running')
      throw new SimRpcError('invalid-value', `only <running/> is supported as ${which}`, { type: 'protocol', badElement: ds ?? which });
  }

  private data(op: XmlElement, withState: boolean): string {
    const filter = childOf(op, 'filter');
    const type = filter && (attrOf(filter, 'type') ?? 'subtree');
    if (type !== undefined && type !== 'xpath' && type !== 'subtree') {
      throw new SimRpcError('invalid-value', `unknown filter type ${type}`, { type: 'protocol', badElement: 'filter' });
    }
    const select = filter && attrOf(filter, 'select');
    const config = this.ctx.engine.running;
    let root = config;
    if (withState) {
      const scope: OpdataScope | undefined =
        type === 'xpath' ? xpathOpdataScope(select ?? '') : type === 'subtree' ? subtreeOpdataScope(filter!.children) : undefined;
      const opdata = writeOpdata(this.ctx.engine.state, Math.round((Date.now() - this.ctx.startedAt) / 1000), scope);
      root = { ...config, children: [...config.children, opdata] };
    }
    // esc_system_config is a second top-level container of the data model (guide, "Create Vim Connector").
    const system = this.ctx.engine.systemConfig;
    let nodes = system.children.length > 0 ? [root, system] : [root];
    if (type === 'xpath') nodes = filterByXpath(nodes, select ?? '');
    else if (type === 'subtree') nodes = filterBySubtree(nodes, filter!.children);
    const body = nodes.map((n) => writeElement(n, NETCONF_BASE_NS)).join('');
    return body === '' ? '<data/>' : `<data>${body}</data>`;
  }

  private editConfig(session: ServerSession, op: XmlElement): string {
    // ESC's own examples put <running/> under <source> as often as under <target>.
    const target = childOf(op, 'target') ?? childOf(op, 'source');
    if (target?.children[0]?.name !== 'running')
      throw new SimRpcError('invalid-value', 'edit-config target must be <running/>', { type: 'protocol', badElement: 'target' });
    if (this.lockOwner !== undefined && this.lockOwner !== session.id) {
      throw new SimRpcError('in-use', `running is locked by session ${this.lockOwner}`, { type: 'protocol' });
    }
    const config = childOf(op, 'config');
    if (!config) throw new SimRpcError('missing-element', 'edit-config without <config>', { type: 'protocol', badElement: 'config' });
    const defOp = (childOf(op, 'default-operation')?.text.trim() ?? 'merge') as EditOperation | 'none';
    this.ctx.engine.editConfig(config, defOp === 'none' ? 'merge' : defOp);
    return '<ok/>';
  }

  private lock(session: ServerSession, op: XmlElement): string {
    this.checkDatastore(op, 'target');
    if (this.lockOwner !== undefined) {
      throw new SimRpcError('lock-denied', `Lock held by session ${this.lockOwner}`, { type: 'protocol' });
    }
    this.lockOwner = session.id;
    return '<ok/>';
  }

  private unlock(session: ServerSession, op: XmlElement): string {
    this.checkDatastore(op, 'target');
    if (this.lockOwner !== session.id)
      throw new SimRpcError('operation-failed', 'running is not locked by this session', { type: 'protocol' });
    this.lockOwner = undefined;
    return '<ok/>';
  }

  private subscribe(session: ServerSession, op: XmlElement): string {
    const stream = childOf(op, 'stream')?.text.trim() ?? 'NETCONF';
    if (stream !== 'NETCONF' && stream !== 'escEvent') {
      throw new SimRpcError('invalid-value', `unknown stream ${stream}`, { type: 'protocol', badElement: 'stream' });
    }
    session.subscribed = true;
    return '<ok/>';
  }
}
