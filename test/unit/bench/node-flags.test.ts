import { missingNodeFlags } from '../../../bench/lib/node-flags';

describe('missingNodeFlags', () => {
  it('when node runs with none of the flags, then all of them are missing, in their order', () => {
    expect(missingNodeFlags(['--import', 'tsx'], ['--single-threaded-gc', '--no-opt'])).toEqual(['--single-threaded-gc', '--no-opt']);
  });

  it('when node runs with some of them, then only the others are missing', () => {
    expect(missingNodeFlags(['--single-threaded-gc', '--import', 'tsx'], ['--single-threaded-gc', '--no-opt'])).toEqual(['--no-opt']);
  });

  it('when node runs with all of them, then none is missing (no second run)', () => {
    expect(missingNodeFlags(['--no-opt', '--single-threaded-gc'], ['--single-threaded-gc', '--no-opt'])).toEqual([]);
  });

  it('when only a longer flag starting with the same letters is there, then the flag is still missing (flags are compared whole)', () => {
    expect(missingNodeFlags(['--single-threaded-gc-extra'], ['--single-threaded-gc'])).toEqual(['--single-threaded-gc']);
  });
});
