import type { z } from 'zod';
import { Ec2Error } from './ec2-error';

// The AWS Query protocol flattens structures into dotted keys: `Filter.1.Name=tag:x`,
// `Filter.1.Value.2=y`, `TagSpecification.1.Tag.1.Key=k`. They are folded back into a tree
// (numbered members become arrays, in index order) so each action can parse its input with
// one zod schema.

export type ParamTree = string | ParamTree[] | { [key: string]: ParamTree };

export function foldQueryParams(flat: URLSearchParams): Record<string, ParamTree> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of flat) {
    const parts = key.split('.');
    let node = root;
    parts.forEach((part, index) => {
      if (index === parts.length - 1) {
        if (node[part] === undefined || typeof node[part] === 'string') node[part] = value;
        return;
      }
      if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
      node = node[part] as Record<string, unknown>;
    });
  }
  return numberedMembersToArrays(root) as Record<string, ParamTree>;
}

function numberedMembersToArrays(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node as Record<string, unknown>).map(
    ([key, value]) => [key, numberedMembersToArrays(value)] as const,
  );
  const allNumbered = entries.length > 0 && entries.every(([key]) => /^[1-9]\d*$/.test(key));
  if (!allNumbered) return Object.fromEntries(entries);
  return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, value]) => value);
}

/** Turns a zod path back into the parameter name the client sent (arrays count from 1). */
function parameterName(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part) => (typeof part === 'number' ? String(part + 1) : String(part))).join('.');
}

/** Parses an action's parameters; a missing one answers `MissingParameter`, a bad one
 *  `InvalidParameterValue`, naming the parameter as the client spelled it. */
export function parseActionParams<Schema extends z.ZodType>(
  schema: Schema,
  params: Record<string, ParamTree>,
): z.infer<Schema> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = parameterName(issue.path);
  const sent = issue.path.reduce<unknown>(
    (node, part) => (node as Record<PropertyKey, unknown> | undefined)?.[part as never],
    params,
  );
  if (sent === undefined) {
    throw new Ec2Error('MissingParameter', `The request must contain the parameter ${name}`);
  }
  const shown = typeof sent === 'string' ? sent : JSON.stringify(sent);
  throw new Ec2Error('InvalidParameterValue', `Invalid value '${shown}' for ${name}. ${issue.message}`);
}
