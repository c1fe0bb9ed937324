/** The core's logging: the port, the redaction every line passes, the rolling file logger and crash records. */
export { silentLogger, errorFields, type Logger, type LogFields, type LogLevel } from './logger';
export { redactText, redactValue, REDACTED } from './redact';
export { createFileLogger, LOG_FILE_BASE, type FileLogger, type FileLoggerOptions } from './file-logger';
export { writeCrashRecord, CRASH_FILE, type CrashRecord } from './crash-record';
export { installCrashHandlers } from './crash-handlers';
