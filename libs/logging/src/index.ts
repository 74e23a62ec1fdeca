export type { Logger, LogFields, LogLevel } from './logger';
export { LOG_LEVELS } from './logger';
export { JsonLogger, nullLogger, type JsonLoggerOptions } from './json-logger';
export { serializeError, type SerializedError } from './serialize-error';
