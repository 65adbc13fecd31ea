/** Structured enough to grep, small enough to need no library. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function consoleLogger(): Logger {
  const line = (level: string, message: string, fields?: Record<string, unknown>) =>
    `${level} ${message}${fields ? " " + JSON.stringify(fields) : ""}`;
  return {
    info: (m, f) => console.log(line("info", m, f)),
    warn: (m, f) => console.warn(line("warn", m, f)),
    error: (m, f) => console.error(line("error", m, f)),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
