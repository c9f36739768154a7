import type { Command } from 'commander';
import { GcpClient, type CachedToken } from '@gateway-control-plane/sdk';
import { credentialsFile, loadCredentials, removeCredentials, saveCredentials } from '../config.js';
import { CliError, globals, tenantOfToken, USER_AGENT } from '../context.js';
import { printObject } from '../output.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

export function registerAuth(program: Command): void {
  program
    .command('login')
    .description("Check an API client's credentials and keep them (mode 0600) in $XDG_CONFIG_HOME/gcpctl or ~/.config/gcpctl")
    .requiredOption('--url <url>', 'the service, e.g. https://gcp.example.com', process.env.GCPCTL_URL)
    .requiredOption('--client-id <id>', 'the API client id', process.env.GCPCTL_CLIENT_ID)
    .option('--client-secret <secret>', 'the secret (prefer GCPCTL_CLIENT_SECRET or --client-secret-stdin: arguments show in ps)')
    .option('--client-secret-stdin', 'read the secret from standard input')
    .addHelpText(
      'after',
      '\nExample:\n  printf %s "$SECRET" | gcpctl login --url https://gcp.example.com --client-id cli-admin --client-secret-stdin',
    )
    .action(async (options: { url: string; clientId: string; clientSecret?: string; clientSecretStdin?: boolean }, command: Command) => {
      const { output } = globals(command);
      const clientSecret = options.clientSecretStdin ? await readStdin() : (options.clientSecret ?? process.env.GCPCTL_CLIENT_SECRET);
      if (!clientSecret)
        throw new CliError('MISSING_SECRET', 'no client secret', 'give --client-secret-stdin, GCPCTL_CLIENT_SECRET or --client-secret');
      let token: CachedToken | undefined;
      const client = new GcpClient({
        baseUrl: options.url,
        credentials: { clientId: options.clientId, clientSecret },
        userAgent: USER_AGENT,
        tokenCache: { load: () => undefined, save: (issued) => void (token = issued) },
      });
      const tenantId = tenantOfToken(await client.accessToken());
      const tenant = await client.ok(client.api.GET('/api/v1/tenants/{tenantId}', { params: { path: { tenantId } } }));
      const file = await saveCredentials({
        url: client.baseUrl,
        clientId: options.clientId,
        clientSecret,
        tenantId,
        tenantName: tenant.name,
        token,
      });
      printObject(
        output,
        { url: client.baseUrl, clientId: options.clientId, tenantId, tenantName: tenant.name, tenantKind: tenant.kind, credentials: file },
        [
          ['Logged in to', (v) => v.url],
          ['Client', (v) => v.clientId],
          ['Tenant', (v) => `${v.tenantName} (${v.tenantKind}, ${v.tenantId})`],
          ['Saved in', (v) => v.credentials],
        ],
      );
    });

  program
    .command('logout')
    .description('Forget the stored credentials')
    .action(async () => {
      const removed = await removeCredentials();
      process.stdout.write(removed ? `Removed ${credentialsFile()}\n` : 'Not logged in\n');
    });

  program
    .command('whoami')
    .description('The stored login: service, client and tenant')
    .action(async (_options: object, command: Command) => {
      const { output } = globals(command);
      const credentials = await loadCredentials();
      if (!credentials) throw new CliError('NOT_LOGGED_IN', 'no credentials', 'run `gcpctl login` first');
      const { clientSecret: _secret, token: _token, ...shown } = credentials;
      printObject(output, shown, [
        ['Service', (v) => v.url],
        ['Client', (v) => v.clientId],
        ['Tenant', (v) => `${v.tenantName ?? ''} (${v.tenantId})`],
      ]);
    });
}
