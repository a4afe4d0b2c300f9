import { stat } from 'node:fs/promises';

/** The given paths that are directories, in order, without duplicates. */
export async function existingDirs(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of new Set(paths)) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) found.push(path);
  }
  return found;
}
