// Types for build-freshness.mjs (plain JavaScript, so npm start and bin/handoff.mjs run it without tsx).

/** The parts of the build and what each is made from, relative to the package root. */
export declare const BUILD_PARTS: { code: string[]; template: string[]; assets: string[] };
export type BuildPart = keyof typeof BUILD_PARTS;
/** The file whose modification time says when a part's build began. */
export declare function stampPath(root: string, part: BuildPart): string;
/** The newest modification time (ms) of `paths` under `root` and everything below them; 0 if none exist. */
export declare function newestChange(root: string, paths: string[]): number;
/** True when `part` was never built, or one of its inputs changed since its build began. */
export declare function isStale(root: string, part: BuildPart): boolean;
/** The parts of the build that need making again. */
export declare function staleParts(root: string): BuildPart[];
/** Records that `part` was built from its inputs as they were at `startedAt` (ms). */
export declare function markBuilt(root: string, part: BuildPart, startedAt: number): void;
