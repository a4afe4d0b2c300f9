import { configurationError } from './configuration-error';

// The two value transformations ElastiCluster applies to every INI value, in this order:
// ConfigParser's BasicInterpolation (`%%`, `%(key)s`) and then Python's os.path.expandvars.

const REFERENCE = /^%\(([^)]+)\)s/;
const MAX_DEPTH = 10;

export interface InterpolationContext {
  file: string;
  section: string;
  key: string;
  /** Keys visible to `%(name)s`: the section, `[DEFAULT]` and the built-in names. */
  lookup: (name: string) => string | undefined;
}

// Errors quote the value to help find the bad `%`, except for keys that may hold a secret.
const SECRET_KEY = /secret|password|passwd|token|access_key|client_key/i;

function quoted(raw: string, context: InterpolationContext): string {
  return SECRET_KEY.test(context.key) ? '(value hidden)' : `'${raw}'`;
}

export function interpolatePercent(raw: string, context: InterpolationContext, depth = 1): string {
  if (depth > MAX_DEPTH) {
    throw configurationError(context, `has %(...)s references nested more than ${MAX_DEPTH} deep (a reference cycle?)`);
  }
  let result = '';
  let rest = raw;
  while (rest.length > 0) {
    const at = rest.indexOf('%');
    if (at < 0) return result + rest;
    result += rest.slice(0, at);
    rest = rest.slice(at);
    const next = rest.charAt(1);
    if (next === '%') {
      result += '%';
      rest = rest.slice(2);
    } else if (next === '(') {
      const reference = REFERENCE.exec(rest);
      if (!reference) {
        throw configurationError(context, `has a bad %(name)s reference in ${quoted(raw, context)}: write %(name)s, or %% for a literal %`);
      }
      const name = reference[1] as string;
      const referenced = context.lookup(name);
      if (referenced === undefined) {
        throw configurationError(
          context,
          `refers to %(${name})s, but no key '${name}' exists in this section or in [DEFAULT]: define it, or write %% for a literal %`,
        );
      }
      result += referenced.includes('%') ? interpolatePercent(referenced, context, depth + 1) : referenced;
      rest = rest.slice(reference[0].length);
    } else {
      throw configurationError(
        context,
        `contains a lone '%' in ${quoted(raw, context)}: ElastiCluster's INI dialect needs %% for a literal % (e.g. ssh -W %%h:%%p host)`,
      );
    }
  }
  return result;
}

const VARIABLE = /\$([A-Za-z0-9_]+|\{[^}]*\})/g;

/** os.path.expandvars: `$NAME` / `${NAME}` from env; an undefined variable is left as written. */
export function expandVariables(value: string, env: Record<string, string | undefined>): string {
  if (!value.includes('$')) return value;
  return value.replace(VARIABLE, (match, name: string) => {
    const bare = name.startsWith('{') ? name.slice(1, -1) : name;
    const replacement = env[bare];
    return replacement === undefined ? match : replacement;
  });
}

/** Names that match `$X`/`${X}` but are not defined: reported as warnings, never silently. */
export function undefinedVariables(value: string, env: Record<string, string | undefined>): string[] {
  const missing: string[] = [];
  for (const match of value.matchAll(VARIABLE)) {
    const name = match[1] as string;
    const bare = name.startsWith('{') ? name.slice(1, -1) : name;
    if (env[bare] === undefined) missing.push(match[0]);
  }
  return missing;
}
