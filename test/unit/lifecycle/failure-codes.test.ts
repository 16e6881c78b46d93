import {
  EscConnectionRefusedError,
  EscDeadlineError,
  EscDeploymentGoneError,
  EscEventFailureError,
  EscOperationError,
  EscRejectedError,
  EscRequestError,
  EscUnreachableError,
  isLinkError,
} from '../../../src/esc/esc-errors';
import { FAILURE_CODES, failureCodeOf } from '../../../src/lifecycle/failure-codes';
import { JobDeadlineError } from '../../../src/lifecycle/lifecycle-errors';
import { NetconfError, RpcError } from '../../../src/netconf/errors';
import { GrantRefusedError, NslcmError } from '../../../src/nslcm/nslcm-errors';

const ctx = { step: 'deploy', escHost: '127.0.0.1:830', tenant: 't', deployment: 'd', jobId: 'j' };
const wrapped = (step: string, cause: unknown): EscOperationError => new EscOperationError('x', { ...ctx, step, cause });
const link = new NetconfError('TIMEOUT', 'no rpc-reply within 5000 ms');

describe('failureCodeOf', () => {
  it.each<[string, unknown, number]>([
    ['a grant refused by NSLCM', wrapped('grant', new GrantRefusedError('no capacity', { call: 'grantVnf', url: 'u' })), 10],
    ['a failed grant call', wrapped('grant', new NslcmError('HTTP 500', { call: 'grantVnf', url: 'u', status: 500 })), 11],
    ['an unreadable VNFD', wrapped('read VNFD', new Error('bad JSON')), 20],
    ['an unmappable VNFD', wrapped('map VNFD', new Error('no image')), 20],
    ['a request that does not apply', new EscRequestError('aspect unknown', ctx), 21],
    ['an rpc-error', new EscRejectedError('deploy', new RpcError([]), ctx), 30],
    ['a final FAILURE event', new EscEventFailureError('SERVICE_ALIVE', 'no host', ctx), 31],
    ['a failed scale wrapping the FAILURE event', wrapped('scale', new EscEventFailureError('SERVICE_UPDATED', 'x', ctx)), 31],
    ['ESC unreachable', new EscUnreachableError('connect to ESC', link, ctx), 32],
    ['a refused login', new EscConnectionRefusedError(new NetconfError('AUTH', 'denied'), ctx), 33],
    ['a refused login while connecting', wrapped('connect to ESC', new NetconfError('HOST_KEY', 'changed')), 33],
    ['a deployment ESC no longer holds', new EscDeploymentGoneError(ctx), 34],
    ['the wait deadline', new EscDeadlineError('SERVICE_ALIVE', 1000, ctx), 40],
    ['the job deadline', new JobDeadlineError('j', 60), 40],
    ['anything else', new TypeError('x is undefined'), 1],
  ])('when the job threw %s, then errorCode is %d', (_what, err, code) => {
    expect(failureCodeOf(err)).toBe(code);
  });

  it('when the codes are listed, then each class has its own integer', () => {
    const codes = Object.values(FAILURE_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((c) => Number.isInteger(c) && c > 0)).toBe(true);
  });
});

describe('ESC error messages', () => {
  it.each<[string, NetconfError, RegExp]>([
    ['no reply', new NetconfError('TIMEOUT', 'no rpc-reply within 5000 ms'), /unreachable during deploy: timed out/],
    ['a closed session', new NetconfError('CLOSED', 'session closed'), /unreachable during deploy: link lost/],
    ['a refused connection', new NetconfError('TRANSPORT', 'connect ECONNREFUSED'), /unreachable during deploy: link lost/],
  ])('when ESC is unreachable after %s, then the message says what happened and names the ESC', (_what, cause, re) => {
    const err = new EscUnreachableError('deploy', cause, ctx);
    expect(err.message).toMatch(re);
    expect(err.message).toContain('127.0.0.1:830');
  });

  it('when ESC rejects a request, then the message says rejected and quotes ESC', () => {
    expect(new EscRejectedError('deploy', new Error('rpc-error (1): application/data-exists'), ctx).message).toBe(
      'ESC rejected deploy: rpc-error (1): application/data-exists',
    );
  });
});

describe('isLinkError', () => {
  it.each<[string, unknown, boolean]>([
    ['a timeout', new NetconfError('TIMEOUT', 'x'), true],
    ['a closed session', new NetconfError('CLOSED', 'x'), true],
    ['a broken transport', new NetconfError('TRANSPORT', 'x'), true],
    ['a refused socket', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), true],
    ['an rpc-error', new RpcError([]), false],
    ['a refused login', new NetconfError('AUTH', 'x'), false],
    ['a configuration error with an E… code', Object.assign(new Error('x'), { code: 'ESC_DRIVER_CONFIG' }), false],
    ['a plain error', new Error('x'), false],
  ])('when the call failed with %s, then its outcome is unknown: %p', (_what, err, expected) => {
    expect(isLinkError(err)).toBe(expected);
  });
});
