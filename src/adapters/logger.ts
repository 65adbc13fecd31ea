import { describeError, redactQueryParams } from "../errors.ts";

/** Structured enough to grep, small enough to need no library. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * What a log line may show of a field: errors as their safe description, and never the
 * parameters of a failed query (secrets, customers' words), however the caller stringified it.
 */
export function loggable(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, v instanceof Error ? describeError(v) : typeof v === "string" ? redactQueryParams(v) : v]),
  );
}

export function consoleLogger(): Logger {
  const line = (level: string, message: string, fields?: Record<string, unknown>) =>
    `${level} ${message}${fields ? " " + JSON.stringify(loggable(fields)) : ""}`;
  return {
    info: (m, f) => console.log(line("info", m, f)),
    warn: (m, f) => console.warn(line("warn", m, f)),
    error: (m, f) => console.error(line("error", m, f)),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
