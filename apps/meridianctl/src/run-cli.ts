import { CliFailure, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './cli-errors';
import { parseCommandLine, type CliOptions } from './cli-options';
import type { CommandContext } from './command-context';
import { explainCommand } from './explain-command';
import { hostsCommand } from './hosts-command';
import { ServiceClients, loadCredentials } from './service-clients';
import { statusCommand } from './status-command';
import { USAGE } from './usage';
import { watchCommand } from './watch-command';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Resolves on Ctrl-C. */
  interrupted: Promise<void>;
}

/** Runs one command line and returns the exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let options: CliOptions;
  try {
    const parsed = parseCommandLine(argv);
    if (parsed.help) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    options = parsed.options;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`meridianctl: ${error.message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }

  let regions: ServiceClients[] = [];
  try {
    const credentials = loadCredentials(options.tls);
    regions = options.regions.map((endpoints) => new ServiceClients(endpoints, credentials));
    const context: CommandContext = {
      regions,
      json: options.json,
      timeoutMs: options.timeoutMs,
      out: (text) => io.stdout(`${text}\n`),
      note: (text) => io.stderr(`meridianctl: ${text}\n`),
      interrupted: io.interrupted,
    };
    switch (options.command) {
      case 'status':
        await statusCommand(context);
        break;
      case 'hosts':
        await hostsCommand(context);
        break;
      case 'explain':
        await explainCommand(context, options.host!, options.clientSubnet);
        break;
      case 'watch':
        await watchCommand(context);
        break;
    }
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CliFailure) {
      io.stderr(`meridianctl: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    io.stderr(`meridianctl: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_FAILURE;
  } finally {
    for (const clients of regions) clients.close();
  }
}
