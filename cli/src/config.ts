import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CachedToken } from '@gateway-control-plane/sdk';

/** What `gcpctl login` keeps: the service, the API client and its home tenant, and the last token. */
export interface Credentials {
  url: string;
  clientId: string;
  clientSecret: string;
  tenantId: string;
  tenantName?: string;
  token?: CachedToken;
}

/** $XDG_CONFIG_HOME/gcpctl, or ~/.config/gcpctl. */
export function configDir(): string {
  return join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'gcpctl');
}

export function credentialsFile(): string {
  return join(configDir(), 'credentials.json');
}

export async function loadCredentials(): Promise<Credentials | undefined> {
  const file = credentialsFile();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // A secret readable by others was exposed: say so rather than use it silently.
  if (((await stat(file)).mode & 0o077) !== 0) {
    process.stderr.write(`warning: ${file} is readable by other users; \`chmod 600 ${file}\`\n`);
  }
  return JSON.parse(text) as Credentials;
}

/** Written to a file of mode 0600 in a folder of mode 0700, then renamed over the old one. */
export async function saveCredentials(credentials: Credentials): Promise<string> {
  const dir = configDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = credentialsFile();
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 });
  await chmod(temporary, 0o600); // whatever the umask
  await rename(temporary, file);
  return file;
}

export async function removeCredentials(): Promise<boolean> {
  try {
    await rm(credentialsFile());
    return true;
  } catch {
    return false;
  }
}
