/**
 * The most growthRatio may give for linear work. Linear code measures 1 to ~3.5 (a 1 MB string
 * no longer fits the CPU caches, and its copies cost the GC more); quadratic code measures ~10,
 * n^1.5 ~3.2. So: the 10× input must take under 50× the time.
 */
export const LINEAR_BOUND = 5;

/**
 * How much longer `run` takes on a 10× larger input, measured in one process so machine speed
 * cancels out: the time of one run on `make(big)` over the mean time of ten runs on
 * `make(big / 10)`. Linear work gives about 1; quadratic work about 10.
 *
 * Timing noise on a shared machine (another process, a GC pause) only ever makes a ratio look
 * worse, so a ratio over `bound` is measured again, up to `tries` times, and the best one kept:
 * quadratic code fails every try, a noisy moment does not repeat.
 */
export function growthRatio(
  run: (input: string) => unknown,
  make: (chars: number) => string,
  { big = 1_000_000, bound = LINEAR_BOUND, tries = 3 }: { big?: number; bound?: number; tries?: number } = {},
): number {
  const smallInput = make(big / 10);
  const bigInput = make(big);
  run(smallInput); // warm the JIT and the regexp compiler before anything is timed
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < tries && best >= bound; i++) {
    const small = timed(() => {
      for (let j = 0; j < 10; j++) run(smallInput);
    });
    const large = timed(() => run(bigInput));
    best = Math.min(best, large / Math.max(small, 1e-3));
  }
  return best;
}

function timed(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

/**
 * `unit` repeated to exactly `chars` characters, as one flat string: `repeat()` makes a rope that
 * the first regexp over it copies flat, a cost that would be timed as the large run's own.
 */
export const fill = (unit: string, chars: number) => new Array(Math.ceil(chars / unit.length)).fill(unit).join("").slice(0, chars);
