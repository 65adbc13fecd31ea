import type { z } from "zod";
import { AppError } from "../../errors.ts";
import { toE164 } from "../../domain/phone.ts";
import { tooDeep } from "../../domain/json-depth.ts";
import { cleanJson } from "../../domain/storable-text.ts";
import type { IntakeEvent } from "./intake-event.ts";

/**
 * What a provider parser makes of one webhook body. `idempotencyKey` is unique per provider
 * event, so a redelivery is recognised before anything is stored twice.
 */
export type ParseResult =
  | {
      kind: "lead";
      idempotencyKey: string;
      event: IntakeEvent;
      /**
       * True only for a Retell `call_ended` of a call that connected: its `call_analyzed`
       * follows and supersedes it. Everything else is final.
       */
      provisional: boolean;
    }
  | { kind: "ignored"; idempotencyKey: string; reason: string };

/** The JSON of a webhook body, or a bad_request AppError saying it is not JSON. */
export function parseJsonBody(rawBody: string): unknown {
  const deep = tooDeep(rawBody);
  if (deep) throw new AppError("bad_request", `body is not accepted: ${deep}`);
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new AppError("bad_request", "body is not valid JSON");
  }
  // Verified already; what PostgreSQL cannot store (NUL) is dropped, never the webhook.
  return cleanJson(json);
}

/**
 * `schema` applied to `value`; on failure a bad_request AppError naming the first problem by its
 * path, e.g. "message.call.id is required", so a provider's support can see what was missing.
 */
export function validatePayload<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String).join(".");
  // Every field we read tolerates null, so a problem at an absent value means it is required.
  const message = !path
    ? "body must be a JSON object"
    : valueAt(value, issue.path) == null
      ? `${path} is required`
      : `${path}: ${issue.message}`;
  throw new AppError("bad_request", message, { issues: result.error.issues });
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Caller ID in E.164, or null for "anonymous", "restricted", web calls and other non-numbers. */
export function callerPhone(raw: string | null | undefined): string | null {
  return raw ? toE164(raw) : null;
}

/** A trimmed string, or null when it is absent or blank. */
export function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** A Date from an ISO string or epoch milliseconds, or null when absent or unparseable. */
export function toDate(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Whether a value is a plain JSON object (not an array or null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
