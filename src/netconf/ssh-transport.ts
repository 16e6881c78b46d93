import { homedir } from 'node:os';
import { join } from 'node:path';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { silentLog, type Log } from '../logging/log';
import { NetconfError } from './errors';
import { checkKnownHost, readKnownHosts, recordKnownHost, type StrictHostKeyChecking } from './known-hosts';
import type { NetconfTransport, TransportHandlers } from './transport';

/** How to reach and authenticate to a NETCONF-over-SSH server (RFC 6242 §3). */
export interface SshTransportOptions {
  host: string;
  port: number;
  username: string;
  password?: string;
  /** OpenSSH or PEM private key. */
  privateKey?: string | Buffer;
  passphrase?: string;
  /** OpenSSH known_hosts file; default ~/.ssh/known_hosts. */
  knownHostsPath?: string;
  /** Host key policy, OpenSSH's words; default 'yes' (unknown or changed key: refuse). */
  strictHostKeyChecking?: StrictHostKeyChecking;
  /** Budget for TCP connect, SSH handshake, authentication and subsystem start, in ms; default 15000. */
  connectTimeoutMs?: number;
  /** SSH keepalive interval in ms (0 = off); default 30000. Three unanswered keepalives drop the link. */
  keepaliveIntervalMs?: number;
  log?: Log;
}

/** Default known_hosts location, as OpenSSH uses it. */
export function defaultKnownHostsPath(): string {
  return join(homedir(), '.ssh', 'known_hosts');
}

class SshChannelTransport implements NetconfTransport {
  private handlers: TransportHandlers | undefined;
  private closed = false;

  constructor(
    private readonly client: Client,
    private readonly channel: ClientChannel,
  ) {}

  start(handlers: TransportHandlers): void {
    this.handlers = handlers;
    this.channel.on('data', (chunk: Buffer) => handlers.data(chunk));
    this.channel.on('close', () => this.finish());
    this.client.on('error', (err: Error) => this.finish(err));
    this.client.on('close', () => this.finish(new Error('SSH connection closed')));
  }

  write(data: Buffer): void {
    if (!this.closed) this.channel.write(data);
  }

  end(): void {
    if (this.closed) return;
    this.channel.end();
    this.client.end();
  }

  destroy(): void {
    this.client.destroy();
    this.finish();
  }

  pause(): void {
    this.channel.pause();
  }

  resume(): void {
    this.channel.resume();
  }

  private finish(err?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.client.end();
    this.handlers?.closed(err);
  }
}

/**
 * Dials, authenticates (password and/or private key), verifies the host key against known_hosts and
 * opens the `netconf` subsystem (RFC 6242 §3), all within `connectTimeoutMs`.
 * @throws NetconfError 'HOST_KEY', 'AUTH', 'TIMEOUT' or 'TRANSPORT' with host, port and step.
 */
export function openSshTransport(opts: SshTransportOptions): Promise<NetconfTransport> {
  const log = (opts.log ?? silentLog).child({ netconfHost: opts.host, netconfPort: opts.port });
  const timeoutMs = opts.connectTimeoutMs ?? 15_000;
  const ctx = { host: opts.host, port: opts.port };
  const client = new Client();
  let step = 'connect';
  let hostKeyProblem: string | undefined;

  return new Promise<NetconfTransport>((resolve, reject) => {
    let settled = false;
    const fail = (err: NetconfError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.destroy();
      reject(err);
    };
    const timer = setTimeout(
      () => fail(new NetconfError('TIMEOUT', `SSH ${step} to ${opts.host}:${opts.port} timed out after ${timeoutMs} ms`, { ...ctx, step })),
      timeoutMs,
    );

    client.on('error', (err: Error & { level?: string }) => fail(classifySshError(err, opts, hostKeyProblem, { ...ctx, step })));
    client.on('close', () =>
      fail(new NetconfError('TRANSPORT', `SSH connection to ${opts.host}:${opts.port} closed during ${step}`, { ...ctx, step })),
    );
    client.on('ready', () => {
      step = 'open netconf subsystem';
      client.subsys('netconf', (err, channel) => {
        if (err)
          return fail(new NetconfError('TRANSPORT', `cannot start the netconf subsystem: ${sshErrorText(err, opts)}`, { ...ctx, step }));
        if (settled) return void channel.close();
        settled = true;
        clearTimeout(timer);
        client.removeAllListeners('error').removeAllListeners('close');
        resolve(new SshChannelTransport(client, channel));
      });
    });

    const config: ConnectConfig = {
      host: opts.host,
      port: opts.port,
      username: opts.username,
      password: opts.password,
      privateKey: opts.privateKey,
      passphrase: opts.passphrase,
      readyTimeout: timeoutMs,
      keepaliveInterval: opts.keepaliveIntervalMs ?? 30_000,
      keepaliveCountMax: 3,
      tryKeyboard: false,
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        step = 'verify host key';
        verifyHostKey(opts, key, log).then(
          (problem) => {
            hostKeyProblem = problem;
            if (!problem) step = 'authenticate';
            verify(problem === undefined);
          },
          (err: NodeJS.ErrnoException) => {
            // The file's path stays in the log: error texts travel to NSLCM.
            log.warn('known-hosts file cannot be used', {
              knownHostsPath: opts.knownHostsPath ?? defaultKnownHostsPath(),
              error: err.message,
            });
            hostKeyProblem = `cannot use the known-hosts file (${err.code ?? 'unreadable'})`;
            verify(false);
          },
        );
      },
    };
    try {
      client.connect(config);
    } catch (err) {
      fail(new NetconfError('TRANSPORT', `invalid SSH settings: ${sshErrorText(err as Error, opts)}`, { ...ctx, step }));
    }
  });
}

/** Applies the StrictHostKeyChecking policy; resolves to a refusal reason, or undefined to accept. */
async function verifyHostKey(opts: SshTransportOptions, key: Buffer, log: Log): Promise<string | undefined> {
  const policy = opts.strictHostKeyChecking ?? 'yes';
  const path = opts.knownHostsPath ?? defaultKnownHostsPath();
  const status = checkKnownHost(await readKnownHosts(path), opts.host, opts.port, key);
  if (status === 'match') return undefined;
  if (policy === 'no') {
    log.warn('host key not verified (strictHostKeyChecking=no)', { status, knownHostsPath: path });
    return undefined;
  }
  if (status === 'unknown' && policy === 'accept-new') {
    await recordKnownHost(path, opts.host, opts.port, key);
    log.info('new host key recorded (strictHostKeyChecking=accept-new)', { knownHostsPath: path });
    return undefined;
  }
  // The refusal names the setting, not the file's path (error texts travel to NSLCM); the log has the path.
  log.warn('host key refused', { status, knownHostsPath: path });
  if (status === 'unknown')
    return `host key of ${opts.host}:${opts.port} is not in the known-hosts file (ESC_KNOWN_HOSTS; strictHostKeyChecking=yes)`;
  return `host key of ${opts.host}:${opts.port} does not match the known-hosts file (ESC_KNOWN_HOSTS; ${status}): possible man-in-the-middle`;
}

/**
 * The NetconfError of an ssh2 failure. Only the failure's text is kept, masked (ssh2 may echo the user name, never
 * should it carry a secret): not ssh2's error itself, which is not ours to vouch for.
 */
function classifySshError(
  err: Error & { level?: string },
  opts: SshTransportOptions,
  hostKeyProblem: string | undefined,
  ctx: Record<string, unknown>,
): NetconfError {
  if (hostKeyProblem) return new NetconfError('HOST_KEY', hostKeyProblem, ctx);
  const text = sshErrorText(err, opts);
  if (err.level === 'client-authentication') return new NetconfError('AUTH', `SSH authentication failed: ${text}`, ctx);
  if (err.level === 'client-timeout') return new NetconfError('TIMEOUT', `SSH handshake timed out: ${text}`, ctx);
  return new NetconfError('TRANSPORT', `SSH ${String(ctx.step)} failed: ${text}`, ctx);
}

/** Longest part of an ssh2 error text kept. */
const MAX_SSH_ERROR_CHARS = 200;

/** An ssh2 error's first line, shortened, with the login's password and passphrase masked wherever they appear. */
function sshErrorText(err: Error, opts: SshTransportOptions): string {
  let text = String(err.message ?? err).split('\n')[0] ?? '';
  for (const secret of [opts.password, opts.passphrase]) if (secret) text = text.split(secret).join('***');
  return text.length > MAX_SSH_ERROR_CHARS ? `${text.slice(0, MAX_SSH_ERROR_CHARS)}…` : text;
}
