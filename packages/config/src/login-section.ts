import { z } from 'zod';
import { type Diagnostics, SectionDrop } from './diagnostics';
import { absolutePath, isReadableFile } from './paths';
import type { ResolvedSection } from './resolved-section';
import { parseSectionKeys } from './section-schema';
import type { LoginTemplate } from './template-schema';
import { booleanField, nonEmptyField } from './value-schemas';

const LoginKeysSchema = z.object({
  image_user: nonEmptyField('the SSH user of the VM image'),
  image_sudo: booleanField().default(true),
  image_user_sudo: nonEmptyField('the user to become with sudo').default('root'),
  image_userdata: z.string().default(''),
  user_key_name: z.string(),
  user_key_private: nonEmptyField('path of the SSH private key'),
  user_key_public: nonEmptyField('path of the SSH public key'),
});

export interface PathContext {
  homeDir: string;
  cwd: string;
}

/** ElastiCluster requires the key files to be readable when the configuration is loaded. */
async function readableKeyPath(section: ResolvedSection, key: string, value: string, paths: PathContext): Promise<string> {
  const path = absolutePath(value, paths.homeDir, paths.cwd);
  if (!(await isReadableFile(path))) {
    throw new SectionDrop(section.locate(key), `must name a readable key file, but ${path} does not exist or cannot be read`);
  }
  return path;
}

export async function parseLoginSection(section: ResolvedSection, paths: PathContext, diagnostics: Diagnostics): Promise<LoginTemplate> {
  const keys = parseSectionKeys(section, LoginKeysSchema, diagnostics, {
    booleanKeys: ['image_sudo'],
    unknownKeyAdvice: `a login section knows ${Object.keys(LoginKeysSchema.shape).join(', ')}`,
  });
  return {
    name: section.name,
    imageUser: keys.image_user,
    imageSudo: keys.image_sudo,
    imageUserSudo: keys.image_user_sudo,
    imageUserdata: keys.image_userdata,
    userKeyName: keys.user_key_name,
    userKeyPrivate: await readableKeyPath(section, 'user_key_private', keys.user_key_private, paths),
    userKeyPublic: await readableKeyPath(section, 'user_key_public', keys.user_key_public, paths),
  };
}
