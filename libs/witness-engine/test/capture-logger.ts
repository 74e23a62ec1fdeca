import type { LogFields, Logger, LogLevel } from '@meridian/logging';

export interface Captured {
  level: LogLevel;
  msg: string;
  fields: LogFields;
}

/** A Logger that keeps every record, for assertions. */
export class CaptureLogger implements Logger {
  constructor(
    readonly records: Captured[] = [],
    private readonly bindings: LogFields = {},
  ) {}
  debug(msg: string, fields: LogFields = {}): void {
    this.records.push({ level: 'debug', msg, fields: { ...this.bindings, ...fields } });
  }
  info(msg: string, fields: LogFields = {}): void {
    this.records.push({ level: 'info', msg, fields: { ...this.bindings, ...fields } });
  }
  warn(msg: string, fields: LogFields = {}): void {
    this.records.push({ level: 'warn', msg, fields: { ...this.bindings, ...fields } });
  }
  error(msg: string, fields: LogFields = {}): void {
    this.records.push({ level: 'error', msg, fields: { ...this.bindings, ...fields } });
  }
  child(bindings: LogFields): Logger {
    return new CaptureLogger(this.records, { ...this.bindings, ...bindings });
  }
  isLevelEnabled(): boolean {
    return true;
  }
}
