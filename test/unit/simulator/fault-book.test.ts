import { FaultBook, matchesName, parseFaultRule } from '../../../src/simulator/fault-book';
import type { FaultRule } from '../../../src/simulator/simulator-types';

describe('matchesName', () => {
  it.each([
    [undefined, 'anything', true],
    [undefined, undefined, true],
    ['dep-1', undefined, false],
    ['dep-1', 'dep-1', true],
    ['dep-1', 'dep-10', false],
    ['dep-*', 'dep-10', true],
    ['dep-*', 'xdep-1', false],
    ['dep-?', 'dep-1', true],
    ['dep-?', 'dep-10', false],
    ['a.b*', 'axb-1', false],
    ['a.b*', 'a.b-1', true],
    ['(x)*', '(x)y', true],
    ['/^dep-\\d+$/', 'dep-42', true],
    ['/^dep-\\d+$/', 'dep-x', false],
    ['/vm/', 'my-vm-1', true],
    ['//', '//', true],
  ])('when the pattern is %p and the name %p, then it matches: %p', (pattern, name, expected) => {
    expect(matchesName(pattern, name)).toBe(expected);
  });
});

describe('parseFaultRule', () => {
  it('when a rule is valid, then it is copied with a match object', () => {
    const raw = { kind: 'fail-at', step: 'VM_ALIVE', message: 'boom' };
    const rule = parseFaultRule(raw);
    expect(rule).toEqual({ kind: 'fail-at', step: 'VM_ALIVE', message: 'boom', match: {} });
    expect(rule).not.toBe(raw);
  });

  it.each([
    ['an unknown kind', { kind: 'explode' }, /kind must be one of reject, fail-at, never-finish, drop-after, delay-reply/],
    ['null', null, /invalid fault rule null/],
    ['drop-after without messages', { kind: 'drop-after' }, /drop-after needs messages >= 1/],
    ['drop-after with 0 messages', { kind: 'drop-after', messages: 0 }, /drop-after needs messages >= 1/],
    ['drop-after with 1.5 messages', { kind: 'drop-after', messages: 1.5 }, /drop-after needs messages >= 1/],
    ['delay-reply without delayMs', { kind: 'delay-reply' }, /delay-reply needs delayMs >= 0/],
    ['delay-reply with a negative delay', { kind: 'delay-reply', delayMs: -1 }, /delay-reply needs delayMs >= 0/],
    ['a match that is not an object', { kind: 'reject', match: 'dep-1' }, /match must be an object/],
    ['a deployment pattern that is not a string', { kind: 'reject', match: { deployment: 5 } }, /match.deployment must be a string/],
    ['a vm regex that does not compile', { kind: 'reject', match: { vm: '/[/' } }, /match.vm \/\[\/ is not a valid regular expression/],
  ])('when the rule has %s, then it throws a readable error', (_what, raw, message) => {
    expect(() => parseFaultRule(raw)).toThrow(message);
  });
});

describe('FaultBook', () => {
  it('when a rule with a bad regex is added, then it is refused and the book still answers', () => {
    const book = new FaultBook();
    expect(() => book.add({ kind: 'reject', match: { deployment: '/(/' } })).toThrow(/not a valid regular expression/);
    expect(book.list()).toEqual([]);
    expect(book.reject('dep-1')).toBeUndefined();
  });

  it('when a reject rule matches by deployment and vm, then it is returned; otherwise not', () => {
    const book = new FaultBook();
    book.set([{ kind: 'reject', match: { deployment: 'dep-*', vm: '/_g_0_/' }, message: 'no' }]);
    expect(book.reject('dep-1', 'dep-1_g_0_x')?.message).toBe('no');
    expect(book.reject('dep-1', 'dep-1_g_1_x')).toBeUndefined();
    expect(book.reject('other', 'other_g_0_x')).toBeUndefined();
    expect(book.reject('dep-1')).toBeUndefined();
  });

  it('when a rule is marked once, then it fires once and is removed', () => {
    const book = new FaultBook();
    book.add({ kind: 'reject', once: true });
    expect(book.reject('d')).toEqual({ kind: 'reject', once: true, match: {} });
    expect(book.reject('d')).toBeUndefined();
    expect(book.list()).toEqual([]);
  });

  it('when a rule is not marked once, then it keeps firing', () => {
    const book = new FaultBook();
    book.add({ kind: 'reject' });
    expect([book.reject('a'), book.reject('b')].map((r) => r?.kind)).toEqual(['reject', 'reject']);
  });

  it('when a fail-at rule has no step, then it applies to the final step only', () => {
    const book = new FaultBook();
    book.add({ kind: 'fail-at', message: 'late' });
    expect(book.atStep('d', undefined, 'VM_ALIVE', false)).toBeUndefined();
    expect(book.atStep('d', undefined, 'SERVICE_ALIVE', true)).toEqual({ kind: 'fail', message: 'late' });
  });

  it('when a fail-at rule names a step, then it applies to that step type and VM', () => {
    const book = new FaultBook();
    book.add({ kind: 'fail-at', step: 'VM_ALIVE', match: { vm: '*_1_*' } });
    expect(book.atStep('d', 'd_g_0_u', 'VM_ALIVE', false)).toBeUndefined();
    expect(book.atStep('d', 'd_g_1_u', 'VM_DEPLOYED', false)).toBeUndefined();
    expect(book.atStep('d', 'd_g_1_u', 'VM_ALIVE', false)).toEqual({ kind: 'fail', message: undefined });
  });

  it('when fail-at and never-finish both fit, then fail-at wins; never-finish alone hangs', () => {
    const book = new FaultBook();
    book.set([{ kind: 'never-finish' }, { kind: 'fail-at', once: true }]);
    expect(book.atStep('d', undefined, 'SERVICE_ALIVE', true)).toEqual({ kind: 'fail', message: undefined });
    expect(book.atStep('d', undefined, 'SERVICE_ALIVE', true)).toEqual({ kind: 'hang' });
  });

  it('when a delay-reply rule has no match, then it applies to any request', () => {
    const book = new FaultBook();
    book.add({ kind: 'delay-reply', delayMs: 250 });
    expect(book.delayReply(undefined)?.delayMs).toBe(250);
    expect(book.delayReply('dep')?.delayMs).toBe(250);
  });

  it('when rules come and go, then has() tells whether one of a kind is active', () => {
    const book = new FaultBook();
    expect(book.has('delay-reply')).toBe(false);
    book.add({ kind: 'delay-reply', delayMs: 5, once: true });
    book.add({ kind: 'reject' });
    expect([book.has('delay-reply'), book.has('reject'), book.has('fail-at')]).toEqual([true, true, false]);
    book.delayReply('d');
    expect([book.has('delay-reply'), book.has('reject')]).toEqual([false, true]);
  });

  it('when a drop-after rule fires and is consumed, then a once rule is removed and a lasting one kept', () => {
    const book = new FaultBook();
    book.set([
      { kind: 'drop-after', messages: 3, once: true, match: { deployment: 'a' } },
      { kind: 'drop-after', messages: 5 },
    ]);
    const first = book.dropAfter('a')!;
    expect(first.messages).toBe(3);
    book.consume(first);
    expect(book.dropAfter('a')?.messages).toBe(5);
    book.consume(book.dropAfter('a')!);
    expect(book.list().map((r) => r.messages)).toEqual([5]);
  });

  it('when the rules are listed, then changing the list does not change the book', () => {
    const book = new FaultBook();
    book.add({ kind: 'reject', message: 'x' });
    const listed = book.list();
    listed[0].message = 'changed';
    listed.push({ kind: 'never-finish' });
    expect(book.list()).toEqual([{ kind: 'reject', message: 'x', match: {} }]);
  });

  it('when the book is cleared or set, then the old rules are gone', () => {
    const book = new FaultBook();
    book.add({ kind: 'reject' });
    book.clear();
    expect(book.reject('d')).toBeUndefined();
    book.add({ kind: 'reject' });
    book.set([{ kind: 'never-finish' }]);
    expect(book.list().map((r) => r.kind)).toEqual(['never-finish']);
  });
});

describe('inject-event rules', () => {
  it('when a rule names no step or no event, then it is refused', () => {
    expect(() => parseFaultRule({ kind: 'inject-event', event: 'VM_RECOVERY_REBOOT' })).toThrow(/inject-event needs step/);
    expect(() => parseFaultRule({ kind: 'inject-event', step: 'VM_DEPLOYED' })).toThrow(/inject-event needs step/);
    expect(() => parseFaultRule({ kind: 'inject-event', step: 'VM_DEPLOYED', event: 'VM_ALIVE', status: 'BAD' })).toThrow(
      /SUCCESS or FAILURE/,
    );
  });

  it('when an inject-event rule names an event type the ESC guide never shows, then it is refused', () => {
    expect(() => parseFaultRule({ kind: 'inject-event', step: 'VM_DEPLOYED', event: 'X' })).toThrow(
      /not an escEvent type the ESC guide shows/,
    );
    expect(() => parseFaultRule({ kind: 'inject-event', step: 'VM_DEPLOYED', event: 'VM_RECOVERY_REBOOT' })).not.toThrow();
  });

  it('when a once rule matches its step and VM, then it is given once, and never for another step or VM', () => {
    const book = new FaultBook();
    const rule: FaultRule = { kind: 'inject-event', step: 'VM_DEPLOYED', event: 'VM_RECOVERY_REBOOT', match: { vm: 'vm-1' }, once: true };
    book.add(rule);
    expect(book.injectAfter('dep', 'vm-1', 'VM_ALIVE')).toBeUndefined();
    expect(book.injectAfter('dep', 'vm-2', 'VM_DEPLOYED')).toBeUndefined();
    expect(book.injectAfter('dep', 'vm-1', 'VM_DEPLOYED')).toMatchObject({ event: 'VM_RECOVERY_REBOOT' });
    expect(book.injectAfter('dep', 'vm-1', 'VM_DEPLOYED')).toBeUndefined();
  });
});
