/** The lead columns a dispatcher scans first. */
interface LeadSummary {
  code: number;
  business: string;
  state: string;
  urgency: string | null;
  fullName: string | null;
  phone: string | null;
  ownerId: string | null;
  nextActionDueAt: string | null;
  missingFields: string[];
  createdAt: string;
}

/** A plain-text table of leads for a terminal. */
export function leadsTable(leads: LeadSummary[]): string {
  if (leads.length === 0) return "No leads yet.";
  const rows = leads.map((l) => [
    String(l.code),
    l.business,
    l.state,
    l.urgency ?? "-",
    l.fullName ?? "-",
    l.phone ?? "-",
    l.ownerId ?? "-",
    l.nextActionDueAt ? l.nextActionDueAt.slice(0, 16).replace("T", " ") : "-",
    l.missingFields.join(",") || "-",
  ]);
  const header = ["CODE", "BUSINESS", "STATE", "URGENCY", "NAME", "PHONE", "OWNER", "DUE (UTC)", "MISSING"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
