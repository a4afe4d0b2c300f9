import { timingSafeEqual } from 'node:crypto';
import { type ParsedKey, utils } from 'ssh2';

/** Parses authorized_keys text (options prefixes are not supported: cloud-sim writes plain keys). */
export function parseAuthorizedKeys(text: string): ParsedKey[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .flatMap((line) => {
      const parsed = utils.parseKey(line);
      return parsed instanceof Error ? [] : [parsed];
    });
}

/** The authorized key whose algorithm and public blob equal what the client offered, if any. */
export function findAuthorizedKey(authorized: ParsedKey[], algorithm: string, blob: Buffer): ParsedKey | undefined {
  return authorized.find((key) => {
    const candidate = key.getPublicSSH();
    return key.type === algorithm && candidate.length === blob.length && timingSafeEqual(candidate, blob);
  });
}
