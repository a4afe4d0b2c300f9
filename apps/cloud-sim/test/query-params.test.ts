import { z } from 'zod';
import { Ec2Error } from '../src/api/ec2-error';
import { filterList } from '../src/api/param-schemas';
import { foldQueryParams, parseActionParams } from '../src/api/query-params';

describe('Query protocol parameters', () => {
  it('folds numbered members into arrays in index order, nesting structures', () => {
    const flat = new URLSearchParams(
      'Filter.2.Name=tag:b&Filter.1.Name=tag:a&Filter.1.Value.2=y&Filter.1.Value.1=x&Filter.10.Name=z&Action=DescribeInstances',
    );
    expect(foldQueryParams(flat)).toEqual({
      Action: 'DescribeInstances',
      Filter: [{ Name: 'tag:a', Value: ['x', 'y'] }, { Name: 'tag:b' }, { Name: 'z' }],
    });
  });

  it('names a missing parameter as the client spells it (MissingParameter)', () => {
    const schema = z.object({ Filter: filterList });
    const params = foldQueryParams(new URLSearchParams('Filter.1.Value.1=x'));
    expect(() => parseActionParams(schema, params)).toThrow(
      expect.objectContaining({ code: 'MissingParameter', message: expect.stringContaining('Filter.1.Name') }),
    );
  });

  it('names an invalid value and the parameter (InvalidParameterValue)', () => {
    const schema = z.object({ MaxCount: z.string().regex(/^\d+$/) });
    const params = foldQueryParams(new URLSearchParams('MaxCount=lots'));
    try {
      parseActionParams(schema, params);
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(Ec2Error);
      expect((error as Ec2Error).code).toBe('InvalidParameterValue');
      expect((error as Ec2Error).message).toContain("Invalid value 'lots' for MaxCount");
    }
  });
});
