// A user-facing error is one line (the CLI prints `error: ...`, logs keep one record per line).
// Messages quote user input (a config value, a job field, a cloud's answer), which may hold
// newlines or control bytes: those are shown as escapes instead of breaking the line.

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r' };

/** `text` with line breaks and control characters escaped (`\n`, `\r`, `\x1b`, `\u2028`). */
export function oneLine(text: string): string {
  return text.replace(CONTROL, (char) => {
    const code = char.charCodeAt(0);
    return NAMED[char] ?? (code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`);
  });
}
