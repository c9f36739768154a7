import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { GcpClient, GcpError } from '@gateway-control-plane/sdk';
import { loadCredentials, saveCredentials, type Credentials } from './config.js';
import type { OutputFormat } from './output.js';

/** Exit codes: 1 a call failed, 2 bad usage or not logged in, 3 a followed operation ended unsuccessfully. */
export const EXIT = { FAILED: 1, USAGE: 2, UNSUCCESSFUL: 3 } as const;

/** An error of the CLI itself (not the service's), printed like the service's: code, message, hint. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly exitCode: number = EXIT.USAGE,
  ) {
    super(message);
  }
}

export interface GlobalOptions {
  output: OutputFormat;
  tenant?: string;
}

export interface Context {
  client: GcpClient;
  credentials: Credentials;
  output: OutputFormat;
  /** --tenant, or GCPCTL_TENANT, or the logged-in client's own tenant. */
  tenantId: string;
}

export function globals(command: Command): GlobalOptions {
  const options = command.optsWithGlobals<{ output?: string; tenant?: string }>();
  const output = options.output ?? process.env.GCPCTL_OUTPUT ?? 'table';
  if (output !== 'table' && output !== 'json') throw new CliError('INVALID_OPTION', `--output must be table or json, not ${output}`);
  return { output, tenant: options.tenant ?? process.env.GCPCTL_TENANT };
}

export const USER_AGENT = 'gcpctl/0.1.0';

/** A client for the logged-in API client (or GCPCTL_URL, GCPCTL_CLIENT_ID and GCPCTL_CLIENT_SECRET). */
export async function context(command: Command): Promise<Context> {
  const { output, tenant } = globals(command);
  const stored = await loadCredentials();
  const fromEnv = process.env.GCPCTL_URL && process.env.GCPCTL_CLIENT_ID && process.env.GCPCTL_CLIENT_SECRET;
  const credentials: Credentials | undefined = fromEnv
    ? {
        url: process.env.GCPCTL_URL!,
        clientId: process.env.GCPCTL_CLIENT_ID!,
        clientSecret: process.env.GCPCTL_CLIENT_SECRET!,
        tenantId: stored && stored.clientId === process.env.GCPCTL_CLIENT_ID ? stored.tenantId : '',
      }
    : stored;
  if (!credentials) {
    throw new CliError(
      'NOT_LOGGED_IN',
      'no credentials',
      'run `gcpctl login --url <service> --client-id <id>` first (or set GCPCTL_URL, GCPCTL_CLIENT_ID, GCPCTL_CLIENT_SECRET)',
    );
  }
  const client = new GcpClient({
    baseUrl: credentials.url,
    credentials: { clientId: credentials.clientId, clientSecret: credentials.clientSecret },
    userAgent: USER_AGENT,
    // The stored login keeps its token: one token request per hour, not per command.
    tokenCache: fromEnv
      ? undefined
      : {
          load: () => credentials.token,
          save: async (token) => void (await saveCredentials({ ...credentials, token })),
        },
    onRetry: ({ status, delayMs }) => process.stderr.write(`(${status}: retrying in ${(delayMs / 1000).toFixed(1)} s)\n`),
  });
  let tenantId = tenant ?? credentials.tenantId;
  if (!tenantId) tenantId = tenantOfToken(await client.accessToken());
  return { client, credentials, output, tenantId };
}

/** The tenant an access token was issued for (its `tenantId` claim; read, not verified: the service verifies). */
export function tenantOfToken(token: string): string {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { tenantId?: unknown };
    if (typeof claims.tenantId === 'string') return claims.tenantId;
  } catch {
    // not a JWT: fall through
  }
  throw new CliError('NO_TENANT', 'the access token names no tenant', 'give --tenant <id>');
}

/** A JSON value given inline or as @file. */
export async function jsonArgument(value: string, name: string): Promise<Record<string, unknown>> {
  const text = value.startsWith('@') ? await readFile(value.slice(1), 'utf8') : value;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // below
  }
  throw new CliError('INVALID_OPTION', `${name} must be a JSON object (inline or @file)`);
}

/** key=value pairs (repeatable --param) into an object; values that parse as JSON are JSON. */
export function pairs(values: string[] = [], name = '--param'): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const pair of values) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new CliError('INVALID_OPTION', `${name} takes key=value, not ${pair}`);
    const raw = pair.slice(at + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a plain string
    }
    result[pair.slice(0, at)] = value;
  }
  return result;
}

export const collect = (value: string, previous: string[] = []) => [...previous, value];

export const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new CliError('INVALID_OPTION', `${value} is not a positive whole number`);
  return n;
};

/** What to suggest for an error code. */
export function hintFor(error: GcpError | CliError, url?: string): string {
  if (error instanceof CliError) return error.hint ?? 'see `gcpctl --help`';
  if (error.status === 404) return 'check the id, and the tenant it belongs to (--tenant <id>)';
  switch (error.code) {
    case 'UNREACHABLE':
      return `is the service running at ${url ?? 'the logged-in URL'}? (\`gcpctl login --url <service>\` to change it)`;
    case 'INVALID_CLIENT':
      return 'check the client id and secret, then `gcpctl login` again';
    case 'UNAUTHENTICATED':
    case 'ACCESS_TOKEN_EXPIRED':
    case 'ACCESS_TOKEN_REVOKED':
      return 'the token was refused: `gcpctl login` again';
    case 'FORBIDDEN':
      return "this API client's roles do not allow it: use an admin or operator client";
    case 'TENANT_SUSPENDED':
      return 'the tenant is suspended: its partner can reactivate it';
    case 'INVALID_REQUEST':
      return error.errors.length
        ? error.errors.map((e) => `${e.field ?? ''}: ${e.message ?? JSON.stringify(e)}`).join('; ')
        : 'check the arguments (`--help`)';
    case 'PROFILE_NAME_TAKEN':
      return 'choose another name, or `gcpctl profiles list` to find the existing one';
    case 'QUOTA_EXCEEDED':
      return "the tenant's quota is used up: delete what is unused, or ask the partner to raise it";
    case 'TOO_MANY_REQUESTS':
    case 'RATE_LIMITED':
      return `rate limited: try again${error.retryAfterSeconds !== undefined ? ` in ${error.retryAfterSeconds} s` : ' later'}`;
    case 'SERVICE_UNAVAILABLE':
    case 'SHUTTING_DOWN':
      return `the service is unavailable: try again${error.retryAfterSeconds !== undefined ? ` in ${error.retryAfterSeconds} s` : ' later'}`;
    default:
      return 'see docs/errors.md for this code';
  }
}
