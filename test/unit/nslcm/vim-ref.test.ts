import { parseVimRef, splitVimId } from '../../../src/nslcm/vim-ref';

describe('VIM references', () => {
  it.each([
    [
      { cloud_owner: 'o', cloud_regionid: 'r' },
      { cloudOwner: 'o', cloudRegionId: 'r' },
    ],
    ['{"cloud_owner":"o","cloud_regionid":"r_1"}', { cloudOwner: 'o', cloudRegionId: 'r_1' }],
    ['o_r_1', { cloudOwner: 'o', cloudRegionId: 'r_1' }],
  ])('when the reference is %j, then it reads %j', (input, out) => {
    expect(parseVimRef(input)).toEqual(out);
  });

  it.each([['noUnderscore'], ['{bad json'], [{ cloud_owner: 'o' }], [42]])('when the reference is %j, then it is rejected', (input) => {
    expect(() => parseVimRef(input)).toThrow();
  });

  it('when a VIM id has no region, then splitVimId throws', () => {
    expect(() => splitVimId('owner_')).toThrow(/cloud_owner/);
  });
});
