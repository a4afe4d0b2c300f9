import { Ec2Error } from '../api/ec2-error';
import type { Filter } from '../api/param-schemas';

// EC2 filters: a resource matches when, for every filter, one of its values matches one of
// the filter's values. Values may use `*` (any run) and `?` (one character) wildcards.

/** What a filter name reads from a resource: one value, several, or none. */
export type FilterField<Resource> = (resource: Resource) => string | readonly string[] | undefined;

function wildcardMatcher(pattern: string): (value: string) => boolean {
  if (!/[*?]/.test(pattern)) return (value) => value === pattern;
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  const regex = new RegExp(`^${escaped}$`, 's');
  return (value) => regex.test(value);
}

/** Compiles filters once; unknown names answer InvalidParameterValue as EC2 does. */
export function compileFilters<Resource>(
  filters: readonly Filter[],
  fieldFor: (name: string) => FilterField<Resource> | undefined,
): (resource: Resource) => boolean {
  const compiled = filters.map((filter) => {
    const field = fieldFor(filter.Name);
    if (!field) throw new Ec2Error('InvalidParameterValue', `The filter '${filter.Name}' is invalid`);
    const matchers = (filter.Value ?? []).map(wildcardMatcher);
    return { field, matchers };
  });
  return (resource) =>
    compiled.every(({ field, matchers }) => {
      const raw = field(resource);
      const values = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
      return values.some((value) => matchers.some((matches) => matches(value)));
    });
}
