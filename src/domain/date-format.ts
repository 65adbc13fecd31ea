/**
 * Intl.DateTimeFormat instances, made once per locale and options. Building one loads ICU data
 * and costs tens of microseconds; an offer text formats a due time with three of them (issue 16:
 * ~1 ms of CPU per offer before this cache). The set of zones and option shapes is small and
 * fixed by the code and the businesses' configs, so the cache stays small.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}
