// The recorder's default intervals, apart from the recorder itself: the usage text (loaded by every
// command) names them without loading the recorder's code.

/** How often live processes and host meters are sampled, ms (`cntop record --sample`). */
export const DEFAULT_SAMPLE_MS = 10_000;
/** How often gathered changes are committed, ms: an exit is on disk well within a second. */
export const DEFAULT_FLUSH_MS = 250;
