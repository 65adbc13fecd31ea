import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { z } from "zod";

/** E.164 for a phone number as people write it, or null when it is not a valid number. */
export function toE164(input: string, defaultCountry: CountryCode = "US"): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry);
  return parsed?.isValid() ? parsed.number : null;
}

/** A phone number as people write it, validated and stored as E.164 (zod). */
export const e164Phone = z.string().transform((value, ctx) => {
  const e164 = toE164(value);
  if (!e164) {
    ctx.addIssue({ code: "custom", message: `not a valid phone number: "${value}"` });
    return z.NEVER;
  }
  return e164;
});
