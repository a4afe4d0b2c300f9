// Variables handed to setup end up in files and logs: a value that *is* key material (rather
// than a path to it) must never get there, whoever put it into `extra`.
const KEY_MATERIAL = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----|PuTTY-User-Key-File-/;

export function isKeyMaterial(value: unknown): boolean {
  return typeof value === 'string' && KEY_MATERIAL.test(value);
}

/** A deep copy of `value` without any entry whose value is private key material. */
export function withoutKeyMaterial<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((item) => !isKeyMaterial(item)).map(withoutKeyMaterial) as T;
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (!isKeyMaterial(item)) copy[key] = withoutKeyMaterial(item);
    }
    return copy as T;
  }
  return value;
}
