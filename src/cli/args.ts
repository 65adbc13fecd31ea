/** `--name value` and `--flag` options, and the positional arguments around them. */
export function parseArgs(argv: string[]): { positional: string[]; options: Record<string, string | true> } {
  const positional: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith("--")) {
      const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
      const next = argv[i + 1];
      if (inline !== undefined) options[name] = inline;
      else if (next !== undefined && !next.startsWith("--")) options[name] = (i++, next);
      else options[name] = true;
    } else positional.push(arg);
  }
  return { positional, options };
}

/** A string option, or the fallback. */
export const option = (options: Record<string, string | true>, name: string, fallback?: string) =>
  typeof options[name] === "string" ? (options[name] as string) : fallback;
