import { z } from "@hono/zod-openapi";
import type { ErrorCode } from "../../errors.ts";

// The one error shape (http/error-response.ts errorBody) as OpenAPI components, one per status
// the API answers, each naming the codes it carries and the shape of its details.

const requestId = z.string().openapi({ description: "Also in the `X-Request-Id` header; the log line of this request carries it." });

function errorOf<D extends z.ZodType>(name: string, codes: [ErrorCode, ...ErrorCode[]], details: D | undefined, description: string) {
  const error = z.object({
    code: z.enum(codes),
    message: z.string().openapi({ description: "For a person: what was wrong and what to send instead." }),
    ...(details ? { details } : {}),
    requestId,
  });
  return { description, content: { "application/json": { schema: z.object({ error }).openapi(name) } } };
}

/** One problem of a refused input, by its path (`phone`, `team.0.phone`, `(root)`). */
const Problem = z.object({ path: z.string(), message: z.string() }).openapi("Problem");

export const errors = {
  400: errorOf(
    "BadRequestError",
    ["bad_request", "validation_failed"],
    z.array(Problem).optional().openapi({ description: "With `validation_failed`: every problem, by path." }),
    "The body is not JSON, or the input is invalid (every problem listed in `details`).",
  ),
  401: errorOf("UnauthorizedError", ["unauthorized"], undefined, "No `Authorization: Bearer <ADMIN_TOKEN>` header, an empty or malformed one, a wrong token, or a revoked API key."),
  403: errorOf(
    "ForbiddenError",
    ["forbidden"],
    z.object({ offeredTo: z.array(z.string()) }).optional(),
    "An API key on a route that is the operator's, or naming another business than its own; or the member may not do this: the lead is " +
      "not offered to them (`details.offeredTo` says who it is offered to).",
  ),
  404: errorOf("NotFoundError", ["not_found"], undefined, "No such lead, business, member or route."),
  409: errorOf(
    "ConflictError",
    ["illegal_transition", "conflict"],
    z
      .union([z.object({ state: z.string(), ownerId: z.string().nullable().optional(), verb: z.string().optional() }), z.array(Problem)])
      .optional()
      .openapi({
        description:
          "The lead's state, and its owner when it was already accepted, or the verb refused; for a QA review filed under the wrong week, the problem by path (`week`).",
      }),
    "The lead's state does not allow it (already accepted by someone else, closed, …), or a QA review names a week the lead is no handoff of.",
  ),
  413: errorOf("PayloadTooLargeError", ["payload_too_large"], undefined, "The body is over 1 MiB."),
  503: errorOf(
    "UnavailableError",
    ["unavailable"],
    undefined,
    "The database is unreachable; retry after `Retry-After` seconds (a repeat of anything already stored is recognised).",
  ),
} as const;

type Status = keyof typeof errors;

/** The error responses of a route: 401, 403 (an API key) and 503 always; the ones it names besides. */
export function errorResponses<S extends Status>(...statuses: S[]) {
  const picked = {} as Record<S | 401 | 403 | 503, (typeof errors)[Status]>;
  for (const s of [...statuses, 401, 403, 503] as (S | 401 | 403 | 503)[]) picked[s] = errors[s];
  return picked;
}
