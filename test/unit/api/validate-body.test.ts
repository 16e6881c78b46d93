import type { ValidationError } from 'class-validator';
import { HttpError } from '../../../src/api/http-errors';
import { flattenErrors, invalidRequest, MAX_ERROR_DETAILS, validateBody } from '../../../src/api/dto/validate-body';
import { InstantiateVnfDto } from '../../../src/api/dto/instantiate-dto';

const error = (property: string, constraints: Record<string, string> = {}, children: ValidationError[] = []): ValidationError => ({
  property,
  constraints,
  children,
});

describe('flattenErrors', () => {
  it('when errors nest, then each becomes {field, reason} with a dotted path, depth first in order', () => {
    const tree = [error('a', { x: 'a bad' }, [error('0', {}, [error('b', { y: 'b bad' })])]), error('c', { z: 'c bad' })];
    expect(flattenErrors(tree)).toEqual([
      { field: 'a', reason: 'a bad' },
      { field: 'a.0.b', reason: 'b bad' },
      { field: 'c', reason: 'c bad' },
    ]);
  });

  it('when 300,000 items each carry an error, then they are flattened without exceeding the stack or argument limits', () => {
    const items = Array.from({ length: 300_000 }, (_, i) => error(String(i), {}, [error('cpdId', { isString: 'cpdId must be a string' })]));
    const flat = flattenErrors([error('extVirtualLink', {}, items)]);
    expect(flat).toHaveLength(300_000);
    expect(flat[299_999]).toEqual({ field: 'extVirtualLink.299999.cpdId', reason: 'cpdId must be a string' });
  });

  it('when errors nest 100,000 levels, then they are flattened without recursion', () => {
    let node = error('leaf', { x: 'bad' });
    for (let i = 0; i < 100_000; i++) node = error('n', {}, [node]);
    expect(flattenErrors([node])).toHaveLength(1);
  });
});

describe('invalidRequest', () => {
  it(`when there are more than ${MAX_ERROR_DETAILS} problems, then the answer lists the first ones and counts the rest`, () => {
    const details = Array.from({ length: 5000 }, (_, i) => ({ field: `f${i}`, reason: 'bad' }));
    const err = invalidRequest(details);
    expect(err).toBeInstanceOf(HttpError);
    expect(err.details).toHaveLength(MAX_ERROR_DETAILS);
    expect(err.message).toMatch(/\(and 4950 more problems\)$/);
  });

  it('when a body has 1,000 invalid links, then validation answers 400 with a bounded list', () => {
    const body = {
      vnfInstanceName: 'n',
      vnfPackageId: 'p',
      vnfDescriptorId: 'd',
      extVirtualLink: Array.from({ length: 1000 }, () => ({})),
    };
    const thrown = (() => {
      try {
        validateBody(InstantiateVnfDto, body);
      } catch (e) {
        return e as HttpError;
      }
      return undefined;
    })();
    expect(thrown?.status).toBe(400);
    expect(thrown?.details).toHaveLength(MAX_ERROR_DETAILS);
  });
});
