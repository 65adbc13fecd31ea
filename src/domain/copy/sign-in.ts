/** The console sign-in text (CONTRACT §11): the code, how long it lasts, and who did not ask for it. */
import { toGsm7 } from "./gsm7.ts";
import { fitIn } from "./sms-fit.ts";

export function signInCodeText({ code, businessName, minutes }: { code: string; businessName: string; minutes: number }): string {
  return fitIn((name) => `${code} is your ${name} console code. It expires in ${minutes} min. Did not ask for it? Ignore this text.`, toGsm7(businessName));
}

/** How a sign-in text reads wherever it is listed (GET /api/messages, the CLI): the code hidden. */
export function maskSignInCode(body: string): string {
  return body.replace(/\b\d{6}\b/g, "******");
}
