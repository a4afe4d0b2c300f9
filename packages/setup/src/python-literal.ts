// Ansible's INI inventory reads a host variable's value with Python's `ast.literal_eval`, and
// ElastiCluster writes values with Python's `repr()` (elasticluster-notes §4.4). Writing Python
// literals keeps a value's type and content exactly, whatever quotes or newlines it holds.

/** Python `repr()` of a str: single quotes unless the text has `'` and no `"`. */
export function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let body = '';
  for (const char of text) body += escapeChar(char, quote);
  return quote + body + quote;
}

function escapeChar(char: string, quote: string): string {
  if (char === '\\') return '\\\\';
  if (char === quote) return `\\${quote}`;
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  const code = char.codePointAt(0) ?? 0;
  // Control characters (C0, DEL, C1) are not printable for Python: written as \xNN.
  if (code < 0x20 || (code >= 0x7f && code <= 0xa0)) return `\\x${code.toString(16).padStart(2, '0')}`;
  return char;
}

/** A JSON-like value as a Python literal (`True`, `None`, `[...]`, `{...}`), strings via repr. */
export function toPythonLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return pythonStringRepr(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : pythonStringRepr(String(value));
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(toPythonLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([key, item]) => `${pythonStringRepr(key)}: ${toPythonLiteral(item)}`,
    );
    return `{${entries.join(', ')}}`;
  }
  return pythonStringRepr(String(value));
}
