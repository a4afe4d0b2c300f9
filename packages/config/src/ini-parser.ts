import { configurationError } from './configuration-error';
import { type ConfigDocument, type ConfigEntry, sectionOf } from './config-document';

// A small parser of our own, on purpose: ElastiCluster reads its files with Python's
// `ConfigParser(strict=False)` and `optionxform=str`. The npm INI parsers we checked (`ini`,
// `configparser`, `config-ini-parser`) each miss part of that dialect: indented continuation
// lines, inline `#`/`;` kept as part of the value, `:` as a delimiter, case-sensitive keys, and
// repeated sections/keys merged instead of rejected. Getting any of these wrong silently
// changes a user's templates, so the rules below follow ConfigParser line by line.

const SECTION_HEADER = /^\[(.+)\]/;
const DEFAULT_SECTION = 'DEFAULT';

/** A line as quoted in an error: a 200 kB line would make a 200 kB message. */
function preview(line: string): string {
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}

interface OpenValue {
  entry: ConfigEntry;
  lines: string[];
}

/** Reads one INI file into `document`, merging with what earlier files put there. */
export function readIniInto(document: ConfigDocument, text: string, file: string): void {
  let current: Map<string, ConfigEntry> | undefined;
  let open: OpenValue | undefined;
  let indentLevel = 0;
  const values: OpenValue[] = [];

  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    const lineNumber = index + 1;
    const stripped = line.trim();
    if (stripped === '' || stripped.startsWith('#') || stripped.startsWith(';')) {
      // Blank lines belong to a multi-line value (trailing ones are trimmed at the end);
      // whole-line comments are skipped without ending the value.
      if (stripped === '' && open) open.lines.push('');
      return;
    }
    const indent = line.search(/\S/);
    if (open && indent > indentLevel) {
      open.lines.push(stripped);
      return;
    }
    indentLevel = indent;
    const header = SECTION_HEADER.exec(stripped);
    if (header) {
      const name = header[1] as string;
      current = name === DEFAULT_SECTION ? document.defaults : sectionOf(document, name);
      open = undefined;
      return;
    }
    if (!current) {
      throw configurationError(
        { file, line: lineNumber },
        `a key appears before any section header: add a line such as [cluster/NAME] above '${stripped}'`,
      );
    }
    // The first '=' or ':' splits key from value. Found with a search, not a regular expression:
    // /^(.*?)\s*([=:])\s*(.*)$/ backtracked quadratically on long lines (10 s for 100 kB of blanks).
    const delimiter = stripped.search(/[=:]/);
    const key = delimiter < 0 ? '' : stripped.slice(0, delimiter).trimEnd();
    if (key === '') {
      throw configurationError(
        { file, line: lineNumber },
        `cannot parse '${preview(stripped)}': expected 'key = value', a [section] header or a comment starting with # or ;`,
      );
    }
    const entry: ConfigEntry = { value: '', file, line: lineNumber, interpolate: true };
    current.set(key, entry);
    open = { entry, lines: [stripped.slice(delimiter + 1).trim()] };
    values.push(open);
  });

  for (const value of values) value.entry.value = value.lines.join('\n').trimEnd();
}
