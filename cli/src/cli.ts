import { Command, CommanderError, Option } from 'commander';
import { GcpError } from '@gateway-control-plane/sdk';
import { registerAuth } from './commands/auth.js';
import { registerCommands } from './commands/commands.js';
import { registerGateways } from './commands/gateways.js';
import { registerMigrate } from './commands/migrate.js';
import { registerProfiles } from './commands/profiles.js';
import { registerTenants } from './commands/tenants.js';
import { registerWebhooks } from './commands/webhooks.js';
import { loadCredentials } from './config.js';
import { CliError, EXIT, hintFor } from './context.js';

export function buildProgram(): Command {
  const program = new Command('gcpctl')
    .description("The Gateway Control Plane's command line: tenants, profiles, gateways, commands, migrations, webhooks")
    .version('0.1.0')
    .addOption(new Option('-o, --output <format>', 'table or json (GCPCTL_OUTPUT)').choices(['table', 'json']))
    .option('-t, --tenant <tenantId>', "act in this tenant (a partner's client tenant); default the login's own (GCPCTL_TENANT)")
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Exit codes: 0 done, 1 the service refused or failed, 2 bad usage or not logged in, 3 a followed command, bulk or migration ended unsuccessfully.
Start with: gcpctl login --url <service> --client-id <id> --client-secret-stdin`,
    );
  registerAuth(program);
  registerTenants(program);
  registerProfiles(program);
  registerGateways(program);
  registerCommands(program);
  registerMigrate(program);
  registerWebhooks(program);
  // Every command answers --help, and usage errors exit 2 (not commander's 1) like CliError's.
  const configure = (command: Command) => {
    command.exitOverride();
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/** `error CODE: message` and `hint: …` on stderr; the exit code says what kind of failure it was. */
function report(error: unknown, url: string | undefined): number {
  if (error instanceof GcpError) {
    process.stderr.write(`error ${error.code}${error.status ? ` (HTTP ${error.status})` : ''}: ${error.detail}\n`);
    process.stderr.write(`hint: ${hintFor(error, url)}\n`);
    if (error.extra.requestId) process.stderr.write(`request id: ${error.extra.requestId}\n`);
    return EXIT.FAILED;
  }
  if (error instanceof CliError) {
    process.stderr.write(`error ${error.code}: ${error.message}\nhint: ${hintFor(error)}\n`);
    return error.exitCode;
  }
  if (error instanceof CommanderError) {
    // Commander printed the message (and the help when asked for it).
    return error.exitCode === 0 ? 0 : EXIT.USAGE;
  }
  process.stderr.write(`error INTERNAL: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT.FAILED;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  process.exitCode = report(error, process.env.GCPCTL_URL ?? (await loadCredentials().catch(() => undefined))?.url);
}
