import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { messagesPage } from "../../admin/queries.ts";
import type { AppEnv } from "../http.ts";
import { leadIdIn } from "../api-auth.ts";
import { declareRoute, OWN_BUSINESS } from "./declare-route.ts";
import { errorResponses } from "./error-schemas.ts";
import { cursor, limit } from "./leads.ts";
import { MessagePage } from "./schemas.ts";

const listMessages = createRoute({
  method: "get",
  path: "/api/messages",
  tags: ["Messages"],
  summary: "List outbound texts and calls",
  description:
    "Every SMS and call the gateway queued, newest first, as `{ messages, nextCursor }` (paged like leads). Without a `providerId`, `queued` means " +
    "still ours to send (`sendAfter`, when set, is the end of the quiet hours it waits for) and `sending` means a send is in flight; with one, the " +
    "status is Twilio's own. `suppressed` means not sent (an opted-out number), with the reason in `statusReason`.",
  request: {
    query: z.object({
      lead: z.string().optional().openapi({ description: "A lead id or `business:code`.", example: "acme:1042" }),
      business: z.string().optional().openapi({ description: "A business slug; unknown is 404." }),
      cursor,
      limit: limit(500, 200),
    }),
  },
  responses: {
    200: { description: "A page of messages.", content: { "application/json": { schema: MessagePage } } },
    ...errorResponses(400, 404),
  },
});

/** GET /api/messages of CONTRACT §8. */
export function messageRoutes(api: OpenAPIHono<AppEnv>): void {
  declareRoute(api, listMessages, async (c, { query }) => {
    const lead = query.lead === undefined ? undefined : await leadIdIn(c, query.lead, "lead");
    return c.json(await messagesPage(c.var.deps.db, { ...query, lead }));
  }, OWN_BUSINESS);
}
