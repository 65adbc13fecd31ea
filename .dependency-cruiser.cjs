/**
 * The import rule of docs/architecture.md, checked by `npm run lint:deps` (.ci/run, "import
 * rules"). Each room of src/ may import only the rooms listed for it; imports within a room are
 * free, and no import may close a cycle.
 */

// The rooms everything above the core may use.
const BASE = ["^src/domain/", "^src/errors\\.ts$", "^src/db/", "^src/adapters/", "^src/core/"];

/** `from` may import, inside src/, only its own room and `allowed`. */
function only(from, allowed, comment) {
  return {
    name: `${from.replace(/[^a-z]+/g, "-").replace(/^-|-$/g, "")}-imports-only-below`,
    comment,
    severity: "error",
    from: { path: `^src/${from}` },
    to: { path: "^src/", pathNot: [`^src/${from}`, ...allowed] },
  };
}

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "A cycle means two rooms decide about each other; the composition root (runtime/) wires who runs after whom instead.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "domain-does-no-io",
      comment:
        "domain/ is pure: no node:*, no database, no SDK. Only these libraries, which compute and never reach out. chrono-node reads dates from words (NEXT's due time) and does nothing else; the zone rule around it is domain logic.",
      severity: "error",
      from: { path: "^src/domain/" },
      to: {
        pathNot: [
          "^src/domain/",
          "^src/errors\\.ts$",
          "^node_modules/(zod|date-fns|@date-fns/tz|libphonenumber-js|chrono-node)/",
        ],
      },
    },
    only("errors\\.ts$", [], "errors.ts is the one shared leaf: it imports nothing of ours."),
    only("db/", ["^src/domain/"], "db/ is the schema and its clients: it knows domain types and nothing above."),
    only("adapters/", ["^src/domain/", "^src/errors\\.ts$"], "adapters/ translate between vendors and our shapes: domain only, never the database or a capability."),
    only("core/", ["^src/domain/", "^src/errors\\.ts$", "^src/db/", "^src/adapters/"], "core/ is the unit of work and the durable queues; it never imports what runs on top of it."),
    only("messaging/", BASE, "messaging/ sends and records; it never decides what a failed send leads to."),
    only("routing/", [...BASE, "^src/messaging/"], "routing/ gives a lead its owner (or keeps it with intake)."),
    only("escalation/", [...BASE, "^src/messaging/", "^src/routing/"], "escalation/ is what timers do; it re-offers through routing, never through handoff."),
    only("handoff/", [...BASE, "^src/messaging/", "^src/routing/", "^src/escalation/"], "handoff/ is what the team does with an offer; a failed offer may climb the ladder."),
    only("intake/", [...BASE, "^src/messaging/", "^src/routing/"], "intake/ turns stored events into leads and hands them to routing."),
    only("admin/", BASE, "admin/ is businesses and read queries."),
    only("reconcile/", [...BASE, "^src/messaging/", "^src/routing/", "^src/handoff/", "^src/intake/", "^src/admin/"], "reconcile/ pulls what push missed and hands it to the webhooks' own verbs."),
    only("events/", BASE, "events/ delivers outbound events to the business's webhooks; it decides nothing about a lead."),
    only("console/", [...BASE, "^src/http/", "^src/messaging/", "^src/routing/", "^src/escalation/", "^src/handoff/", "^src/intake/", "^src/admin/", "^src/events/"], "console/ renders pages and calls the same verbs as http/; it reuses http/'s validation and error table, never the other way round."),
    only("http/", [...BASE, "^src/messaging/", "^src/routing/", "^src/escalation/", "^src/handoff/", "^src/intake/", "^src/admin/", "^src/reconcile/", "^src/events/"], "http/ validates, calls one verb, maps the result; it never builds deps."),
    only("app\\.ts$", [...BASE, "^src/http/", "^src/console/"], "app.ts mounts the routes."),
    {
      name: "runtime-is-not-imported-by-rooms",
      comment: "runtime/ wires everything; only the entries, app.ts's callers and the CLI may import it.",
      severity: "error",
      from: { path: "^src/", pathNot: ["^src/runtime/", "^src/(node|worker|cli)\\.ts$", "^src/cli/"] },
      to: { path: "^src/runtime/" },
    },
    {
      name: "entries-are-not-imported",
      comment: "node.ts, worker.ts and cli.ts are where the process starts; nothing imports them.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^src/(node|worker|cli)\\.ts$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
