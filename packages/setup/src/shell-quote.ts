/** Quotes one word for a POSIX shell (and for Python's shlex, which Ansible uses on ssh args). */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'"'"'`)}'`;
}
