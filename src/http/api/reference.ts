import { Scalar } from "@scalar/hono-api-reference";
import { Hono } from "hono";
import type { AppEnv } from "../http.ts";

/** Where the reference page loads Scalar's script from: this server, never a CDN. */
export const DOCS_SCRIPT_PATH = "/api/docs/scalar.js";

/**
 * Serves Scalar's standalone script: on Node read from node_modules (runtime/docs-script.ts); on
 * Workers the static assets answer that path before the Worker runs, so none is given there.
 */
export type DocsScript = () => Promise<Response>;

/**
 * `GET /api/openapi.json` and the reference page `GET /api/docs` (CONTRACT §8: no token; they
 * describe, they reveal nothing). The page is Scalar's, with everything that would reach the
 * vendor's hosts turned off: its fonts, its request proxy, its telemetry, its AI agent, its
 * hosted client and its share-and-deploy toolbar. Operators run this on private networks.
 */
export function referenceRoutes(document: () => object, docsScript?: DocsScript) {
  const docs = new Hono<AppEnv>();
  docs.get("/api/openapi.json", (c) => c.json(document()));
  docs.get(
    "/api/docs",
    Scalar({
      url: "/api/openapi.json",
      cdn: DOCS_SCRIPT_PATH,
      pageTitle: "Handoff gateway API",
      withDefaultFonts: false,
      telemetry: false,
      hideClientButton: true,
      agent: { disabled: true },
      // Its toolbar (shown on localhost) offers to share and deploy the document on Scalar's hosts.
      showDeveloperTools: "never",
      // An empty proxy: "Try it" requests go straight to this server, same origin.
      proxyUrl: "",
      authentication: { preferredSecurityScheme: "bearerAuth" },
    } as Parameters<typeof Scalar>[0]),
  );
  if (docsScript) docs.get(DOCS_SCRIPT_PATH, () => docsScript());
  return docs;
}
