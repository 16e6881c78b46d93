import {
  deploymentNameFor,
  MAX_DEPLOYMENT_NAME,
  MAX_VM_GROUP_NAME,
  networkNameFor,
  vmGroupNameFor,
} from '../../../../src/esc/mapping/deployment-naming';

const SAFE = /^[A-Za-z0-9_-]+$/;

describe('deploymentNameFor', () => {
  it('when given a UUID, then the name is readable, ESC-safe, bounded and stable', () => {
    const name = deploymentNameFor('3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b');
    expect(name).toMatch(/^vnf-3f2a9c1e-7b4d-4e8f-9a0b-1c2-[0-9a-f]{8}$/);
    expect(name.length).toBeLessThanOrEqual(MAX_DEPLOYMENT_NAME);
    expect(deploymentNameFor('3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b')).toBe(name);
  });

  it.each([
    ['ids that differ only after the cut', 'a'.repeat(40) + '1', 'a'.repeat(40) + '2'],
    ['ids that differ only in unsafe characters', 'vnf/1', 'vnf:1'],
  ])('when given %s, then the names differ', (_what, a, b) => {
    expect(deploymentNameFor(a)).not.toBe(deploymentNameFor(b));
  });

  it('when the id holds XML or path characters, then only safe characters remain', () => {
    expect(deploymentNameFor('<x>&"/../y')).toMatch(SAFE);
  });
});

describe('vmGroupNameFor', () => {
  it('when the VDU id is already safe and short, then it is the name', () => {
    expect(vmGroupNameFor('vdu_vNat')).toBe('vdu_vNat');
  });

  it('when the VDU id is unsafe or long, then a safe bounded name with a hash is made', () => {
    const unsafe = vmGroupNameFor('vdu.one two');
    expect(unsafe).toMatch(/^vduonetwo-[0-9a-f]{6}$/);
    const long = vmGroupNameFor('v'.repeat(50));
    expect(long.length).toBeLessThanOrEqual(MAX_VM_GROUP_NAME);
    expect(long).toMatch(SAFE);
    expect(vmGroupNameFor('vdu.a')).not.toBe(vmGroupNameFor('vdu:a'));
  });
});

describe('networkNameFor', () => {
  it('when the link id is safe and short, then the name is the deployment name and the link id', () => {
    expect(networkNameFor('vnf-abc-12345678', 'internal_vl')).toBe('vnf-abc-12345678-internal_vl');
  });

  it('when link ids are unsafe or long, then each gets a safe bounded part with a hash, distinct per id', () => {
    const a = networkNameFor('dep', 'vl.one two');
    expect(a).toMatch(/^dep-vlonetwo-[0-9a-f]{6}$/);
    expect(networkNameFor('dep', 'l'.repeat(60)).length).toBeLessThanOrEqual('dep-'.length + 20);
    expect(networkNameFor('dep', 'vl.a')).not.toBe(networkNameFor('dep', 'vl:a'));
    expect(networkNameFor('dep', 'vl.a')).toMatch(SAFE);
  });
});
