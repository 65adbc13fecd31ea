/** Every failure the API can answer, each with its HTTP status. */
export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  illegal_transition: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * A refusal at the edge (bad input, auth, a missing header) with its code; the verbs throw typed
 * domain errors instead (domain/errors.ts). `app.onError` maps both to `{ error: { code, message, details?, requestId } }`.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status() {
    return ERROR_STATUS[this.code];
  }
}

/**
 * drizzle's failed-query errors carry the query's parameters in their message and stack: a
 * whole business config with every secret, a caller's transcript. Logs and stored error texts
 * keep the query and the database's reason, never the values.
 */
export function redactQueryParams(text: string): string {
  return text.replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/g, "\nparams: [redacted]");
}

/** One line (or a stack) describing a failure, safe to log or store. */
export function describeError(err: unknown, opts: { stack?: boolean } = {}): string {
  if (!(err instanceof Error)) return redactQueryParams(String(err));
  const text = opts.stack && err.stack ? err.stack : `${err.name}: ${err.message}`;
  const cause = err.cause instanceof Error ? ` (cause: ${err.cause.message})` : "";
  return redactQueryParams(text) + cause;
}
