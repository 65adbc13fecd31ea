import { html } from "hono/html";
import { qaWeek, reviewHandoff } from "../../admin/qa.ts";
import type { BusinessRow } from "../../core/records.ts";
import { QA_ANSWERS, QA_QUESTIONS, type QaAnswer, type QaQuestion } from "../../domain/qa-evidence.ts";
import { AppError } from "../../errors.ts";
import { httpErrorOf, type HttpError } from "../../http/error-response.ts";
import { inZone } from "../format.ts";
import { readForm } from "../guard.ts";
import { visibleLeadId } from "../lead-forms.ts";
import { page } from "../layout.ts";
import { CONSOLE_BASE, leadHref, QA_KEYS_PATH } from "../paths.ts";
import { actorName, csrfField, detailText, errorBanner } from "./lead.ts";
import { picker, wholeBusiness } from "./business-pages.ts";
import type { ConsoleContext, ConsolePage } from "../console-env.ts";

// The SOP's weekly QA review (CONTRACT §12) in the console: one handoff of the week's sample at
// a time, its timeline beside the five questions with their evidence, answered through the same
// verb as POST /api/qa. Keyboard shortcuts come from qa-keys-script.ts.

const QA_PATH = `${CONSOLE_BASE}/qa`;

/** The question each answer is about, as a reviewer reads it. */
export const QUESTION_TEXT: Record<QaQuestion, string> = {
  ownerCorrect: "Was the owner correct?",
  notesSufficient: "Were the notes sufficient?",
  waitedTooLong: "Did the lead wait too long?",
  customerRepeated: "Did the customer have to repeat themselves?",
  outcomeMatched: "Did the outcome match the urgency and source?",
};

/** Who reviews, as POST /api/qa's `reviewer`: the signed-in member's id, or "operator". */
const reviewerOf = (c: ConsoleContext) => c.var.viewer.member?.id ?? "operator";

type Week = Awaited<ReturnType<typeof qaWeek>>;
type Item = Week["items"][number];

/** The link to the page for `week` (and a handoff of it), keeping the operator's business. */
function qaHref(c: ConsoleContext, business: BusinessRow, week: string, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ ...(c.var.viewer.operator && { business: business.slug }), week, ...extra });
  return `${QA_PATH}?${query.toString()}`;
}

/** The handoff to show: the one asked for by `lead` (id or code), else the first the reviewer has not answered. */
function pick(week: Week, reviewer: string, asked: string | undefined): Item | undefined {
  const byAsk = asked ? week.items.find((i) => i.lead.id === asked || String(i.lead.code) === asked) : undefined;
  return byAsk ?? week.items.find((i) => !i.reviews.some((r) => r.reviewer === reviewer));
}

async function renderQa(c: ConsoleContext, failed?: HttpError, form?: Record<string, string>): Promise<Response> {
  const business = await wholeBusiness(c);
  const zone = business.config.timezone;
  const askedWeek = (form?.week ?? c.req.query("week"))?.slice(0, 20) || undefined;
  const week = await qaWeek(c.var.deps, business, askedWeek);
  const reviewer = reviewerOf(c);
  const item = pick(week, reviewer, (form?.leadId ?? c.req.query("lead"))?.slice(0, 100));
  const target = week.items.length;
  const reviewedInSample = week.items.filter((i) => i.reviews.length > 0).length;
  const done = c.req.query("done");
  const mine = item?.reviews.find((r) => r.reviewer === reviewer);
  const chosen = (q: QaQuestion): string | undefined => form?.[q] ?? mine?.answers[q];
  return page(
    c,
    "QA review",
    html`<h1>QA review · ${business.config.name} · ${week.week}</h1>
      ${await picker(c, business, QA_PATH)}
      <form class="search" method="get" action="${QA_PATH}">
        ${c.var.viewer.operator ? html`<input type="hidden" name="business" value="${business.slug}" />` : ""}
        <label for="week" class="muted">Week</label><input id="week" name="week" value="${week.week}" pattern="\\d{4}-W\\d{2}" maxlength="8" />
        <button type="submit" class="secondary">Show</button>
      </form>
      <p id="qa-progress" class="muted" role="status">${reviewedInSample} of ${target} reviewed
        (${week.handoffs} handoff${week.handoffs === 1 ? "" : "s"} this week; ${week.reviewed} with a review)</p>
      ${done && !failed ? html`<p class="notice" role="status">Saved: ${done}.</p>` : ""}
      ${errorBanner(failed)}
      <nav aria-label="The week's sample" class="sample">
        <ol>${week.items.map((i) => html`<li><a href="${qaHref(c, business, week.week, { lead: i.lead.id })}" ${i.lead.id === item?.lead.id ? html`aria-current="true"` : ""}>#${i.lead.code} ${i.lead.fullName ?? i.lead.phone ?? ""}</a>
          ${i.reviews.length ? html`<span class="tag ok">reviewed</span>` : html`<span class="tag">to review</span>`}${i.priority.map((p) => html` <span class="tag warn">${p}</span>`)}</li>`)}</ol>
      </nav>
      ${!item
        ? html`<p class="notice">${target === 0 ? "No handoffs this week yet: a handoff is a lead first offered in the week." : `You have reviewed all ${target} handoffs of the sample.`}</p>`
        : html`<div class="grid2 qa">
          <section class="panel" aria-labelledby="h-qa-lead">
            <h2 id="h-qa-lead"><a href="${leadHref(business.slug, item.lead.code)}">Lead #${item.lead.code}</a> · ${item.lead.fullName ?? item.lead.phone ?? "Unknown caller"} <span class="tag">${item.lead.state}</span></h2>
            <p class="muted">${item.lead.urgency ?? "no urgency"} · ${item.lead.source ?? "no source"} · ${item.lead.serviceType ?? ""}</p>
            ${item.lead.summaryNotes ? html`<p>${item.lead.summaryNotes}</p>` : ""}
            <h3>Timeline <span class="muted">(${zone})</span></h3>
            <ol class="timeline">${item.timeline.map((e) => html`<li><span class="when">${inZone(e.at, zone)}</span><br /><strong>${e.type}</strong> by ${actorName(business.config, e.actor)} <span class="muted">${detailText(e.detail, zone)}</span></li>`)}</ol>
          </section>
          <form method="post" action="${QA_PATH}/${item.lead.id}${c.var.viewer.operator ? `?business=${encodeURIComponent(business.slug)}` : ""}" class="panel qa-form" id="qa-form">
            ${csrfField(c)}
            <input type="hidden" name="week" value="${week.week}" />
            <h2>The five questions</h2>
            ${QA_QUESTIONS.map((q, n) => html`<fieldset class="question" data-question="${q}" id="q-${q}" tabindex="-1">
              <legend>${n + 1}. ${QUESTION_TEXT[q]}</legend>
              <ul class="evidence">${item.evidence[q].map((s) => html`<li>${s}</li>`)}</ul>
              <div class="answers">${QA_ANSWERS.map((a) => html`<label><input type="radio" name="${q}" value="${a}" required ${chosen(q) === a ? "checked" : ""} /> ${a}</label> `)}</div>
            </fieldset>`)}
            <label for="qa-note">Note <span class="muted">(optional)</span></label>
            <textarea id="qa-note" name="note" maxlength="2000">${form?.note ?? mine?.note ?? ""}</textarea>
            <p><button type="submit">Save review and go to the next</button></p>
            <p class="muted keys">Keys: <kbd>y</kbd> yes, <kbd>n</kbd> no, <kbd>u</kbd> unsure for the highlighted question (then the next);
              <kbd>j</kbd>/<kbd>↓</kbd> next question, <kbd>k</kbd>/<kbd>↑</kbd> previous; <kbd>Enter</kbd> saves. Not while typing in the note.</p>
          </form>
        </div>`}
      <script src="${QA_KEYS_PATH}" defer></script>`,
    (failed?.status ?? 200) as 200,
  );
}

export const qaPage: ConsolePage = {
  path: QA_PATH,
  label: "QA review",
  wholeBusiness: true,
  render: (c) => renderQa(c),
};

/** The form's answers as POST /api/qa takes them; 400 naming each question left unanswered or answered otherwise. */
function answersOf(form: Record<string, string>): Record<QaQuestion, QaAnswer> {
  const problems = QA_QUESTIONS.filter((q) => !(QA_ANSWERS as readonly string[]).includes(form[q] ?? "")).map((q) => ({
    path: `answers.${q}`,
    message: `answer ${QA_ANSWERS.join(", ")}`,
  }));
  if ((form.note ?? "").length > 2000) problems.push({ path: "note", message: "at most 2000 characters" });
  if (problems.length) throw new AppError("validation_failed", "The review is incomplete.", problems);
  return Object.fromEntries(QA_QUESTIONS.map((q) => [q, form[q] as QaAnswer])) as Record<QaQuestion, QaAnswer>;
}

/** POST /console/qa/:leadId: the same verb as POST /api/qa, then the next handoff (303), or the page again with the refusal. */
export async function qaReview(c: ConsoleContext): Promise<Response> {
  const business = await wholeBusiness(c);
  const id = await visibleLeadId(c, c.req.param("leadId") ?? "");
  const form = await readForm(c);
  const week = (form.week ?? "").slice(0, 20);
  try {
    await reviewHandoff(c.var.deps, id, { week, reviewer: reviewerOf(c), answers: answersOf(form), note: form.note?.replace(/\r\n?/g, "\n") });
  } catch (err) {
    const known = httpErrorOf(err);
    if (!known) throw err;
    return renderQa(c, known, { ...form, leadId: id });
  }
  return c.redirect(qaHref(c, business, week, { done: "review stored" }), 303);
}
