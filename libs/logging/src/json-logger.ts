import { LOG_LEVELS, type LogFields, type Logger, type LogLevel } from './logger';
import { serializeError } from './serialize-error';

export interface JsonLoggerOptions {
  level: LogLevel;
  /** Bindings written into every record, for example `{ service: 'dns', region: 'eu' }`. */
  bindings?: LogFields;
  /** Where a finished line goes; stderr by default so stdout stays free for tools. */
  sink?: (line: string) => void;
  /** Clock for the `time` field (ISO 8601). */
  now?: () => Date;
}

/** Writes one JSON object per line: `{"time","level","msg",...bindings,...fields}`. */
export class JsonLogger implements Logger {
  private readonly minimum: number;
  private readonly bindings: LogFields;
  private readonly sink: (line: string) => void;
  private readonly now: () => Date;

  constructor(options: JsonLoggerOptions) {
    this.minimum = LOG_LEVELS.indexOf(options.level);
    this.bindings = options.bindings ?? {};
    this.sink = options.sink ?? ((line) => process.stderr.write(line + '\n'));
    this.now = options.now ?? (() => new Date());
  }

  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }

  isLevelEnabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) >= this.minimum;
  }

  child(bindings: LogFields): Logger {
    return new JsonLogger({
      level: LOG_LEVELS[this.minimum] ?? 'info',
      bindings: { ...this.bindings, ...bindings },
      sink: this.sink,
      now: this.now,
    });
  }

  private write(level: LogLevel, message: string, fields?: LogFields): void {
    if (!this.isLevelEnabled(level)) return;
    const record: LogFields = { time: this.now().toISOString(), level, msg: message, ...this.bindings };
    if (fields) {
      for (const [key, value] of Object.entries(fields)) {
        record[key] = value instanceof Error ? serializeError(value) : value;
      }
    }
    this.sink(safeStringify(record));
  }
}

// A log call must never throw: cyclic or BigInt values are written as strings.
function safeStringify(record: LogFields): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(record, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[circular]';
      seen.add(value);
    }
    return value;
  });
}

/** A logger that drops everything; for tests and tools that must stay quiet. */
export const nullLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => nullLogger,
  isLevelEnabled: () => false,
};
