import type { ServiceClients } from './service-clients';

/** What every command gets: the clients per region, output, and the call settings. */
export interface CommandContext {
  regions: ServiceClients[];
  json: boolean;
  timeoutMs: number;
  /** Writes one block of output (a line or a table). */
  out(text: string): void;
  /** Writes a side note to stderr (a stream lost and resumed), keeping stdout for results. */
  note(text: string): void;
  /** Resolves when the user interrupts (Ctrl-C); streaming commands stop then. */
  interrupted: Promise<void>;
}
