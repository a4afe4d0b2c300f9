import { ConfigurationError } from './errors';

// The subset of Python's str.format() that node-name patterns use: `{key}`, `{key:03d}` (zero
// padded to a width), `{key:3d}` (space padded), `{key:d}`, `{key:s}`, and `{{` / `}}` for literal
// braces. Anything else is rejected when the name is formed, naming the pattern and the field.

const FIELD = /\{\{|\}\}|\{([^{}:]*)(?::([^{}]*))?\}|[{}]/g;
const INTEGER_SPEC = /^(0?)(\d*)d$/;

export type NameArgs = Readonly<Record<string, string | number>>;

export function formatNamePattern(pattern: string, args: NameArgs): string {
  return pattern.replace(FIELD, (match: string, key: string | undefined, spec: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    if (key === undefined) {
      throw new ConfigurationError(`node name pattern \`${pattern}\` has an unmatched \`${match}\``, {
        hint: 'write a literal brace as `{{` or `}}`',
      });
    }
    if (!Object.hasOwn(args, key)) {
      throw new ConfigurationError(`node name pattern \`${pattern}\` uses \`{${key}}\`, which has no value`, {
        hint: `use only {kind}, {index} or a key passed to new(): ${Object.keys(args).join(', ')}`,
      });
    }
    return formatValue(pattern, key, args[key], spec ?? '');
  });
}

function formatValue(pattern: string, key: string, value: string | number, spec: string): string {
  if (spec === '' || (spec === 's' && typeof value === 'string')) return String(value);
  const integer = INTEGER_SPEC.exec(spec);
  if (integer && typeof value === 'number' && Number.isInteger(value)) {
    const width = integer[2] === '' ? 0 : Number(integer[2]);
    const digits = String(Math.abs(value));
    const sign = value < 0 ? '-' : '';
    // Python pads after the sign with zeros and before it with spaces.
    return integer[1] === '0' ? sign + digits.padStart(width - sign.length, '0') : (sign + digits).padStart(width, ' ');
  }
  throw new ConfigurationError(
    `node name pattern \`${pattern}\`: format \`${spec}\` does not apply to \`${key}\` (${JSON.stringify(value)})`,
    { hint: 'use `d` or `0Nd` for numbers (e.g. {index:03d}) and no format or `s` for text' },
  );
}
