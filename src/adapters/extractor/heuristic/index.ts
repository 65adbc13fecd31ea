import type { ExtractedFields, ExtractionInput, Extractor } from "../extractor.ts";
import { readableInput } from "../read-cap.ts";
import { findAddress, findAnsweredAddress, findMarket } from "./addresses.ts";
import { findFollowUpDate } from "./follow-up-date.ts";
import { findLeadType } from "./lead-type.ts";
import { findName } from "./names.ts";
import { findCallbackPhone } from "./phones.ts";
import { findPromisedNextStep } from "./promise.ts";
import { findServiceType } from "./service-type.ts";
import { findDirectorySource, findReferral } from "./source.ts";
import { summarize } from "./summary.ts";
import { aboutThisJob } from "./this-job.ts";
import { callerSentences, splitTurns } from "./turns.ts";
import { findUrgency } from "./urgency.ts";

/*
 * The offline extractor: plain patterns over the transcript, used when no LLM is configured or
 * the LLM failed. It prefers leaving a field absent to guessing; intake fills the gaps. What it
 * finds, field by field, and the corpus it is measured on: docs/extraction.md.
 *
 * It runs on the event loop every tenant shares, so: every pattern is linear in its input (see
 * test/unit/heuristic-linear-time.test.ts and extraction-linear-time.test.ts), it reads a bounded part of the transcript
 * (read-cap.ts), and it yields between fields so requests are served while it works.
 */

export { findAddress, findAnsweredAddress, findMarket } from "./addresses.ts";
export { findFollowUpDate } from "./follow-up-date.ts";
export { findLeadType } from "./lead-type.ts";
export { mentions } from "./mentions.ts";
export { findName } from "./names.ts";
export { findCallbackPhone } from "./phones.ts";
export { findPromisedNextStep } from "./promise.ts";
export { findServiceType } from "./service-type.ts";
export { findDirectorySource, findReferral } from "./source.ts";
export { spokenDigitsToNumerals } from "./spoken-digits.ts";
export { summarize } from "./summary.ts";
export { aboutThisJob } from "./this-job.ts";
export { sentences, splitTurns, type Turn } from "./turns.ts";
export { findUrgency } from "./urgency.ts";

/** Lets pending I/O (other requests, /healthz) run; setImmediate where there is one (Node). */
const yieldToEventLoop = () =>
  new Promise<void>((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** The offline extractor (name "heuristic"): patterns over transcript, summary and caller ID. */
export function heuristicExtractor(): Extractor {
  return {
    name: "heuristic",
    async extract(full: ExtractionInput): Promise<ExtractedFields> {
      const input = readableInput(full);
      const turns = input.transcript ? splitTurns(input.transcript) : [];
      const said = callerSentences(turns);
      const callerText = [...said, input.summary ?? ""].join("\n");
      const fields: ExtractedFields = {};
      const set = <K extends keyof ExtractedFields>(key: K, value: ExtractedFields[K] | null | undefined) => {
        if (value !== null && value !== undefined) fields[key] = value;
      };

      // Someone else's experience of us: the referral's sentence, not this job's.
      const referral = findReferral(turns);
      const steps = [
        () => set("phone", findCallbackPhone(turns, input.callerPhone)),
        () => set("fullName", findName(turns)),
        () => {
          const address = findAddress(said.join(" ")) ?? findAnsweredAddress(turns) ?? (input.summary ? findAddress(input.summary) : null);
          set("serviceAddress", address?.serviceAddress);
          set("market", address?.market ?? findMarket(turns));
        },
        () => {
          const job = aboutThisJob(said, referral, input.summary);
          const serviceType = findServiceType(job, input.serviceTypes);
          set("serviceType", serviceType);
          set("urgency", findUrgency(job, serviceType !== null));
        },
        () => {
          set("source", referral ? "referral" : findDirectorySource(turns));
          set("referralContext", referral);
        },
        () => set("leadType", findLeadType(callerText, turns)),
        () => set("summaryNotes", summarize(input.summary, turns)),
        () => set("promisedNextStep", findPromisedNextStep(turns)),
        () => set("followUpDate", findFollowUpDate(turns, input.now, input.timezone)),
      ];
      for (const step of steps) {
        await yieldToEventLoop();
        step();
      }
      return fields;
    },
  };
}
