// The UI's clocks. Process times in the model are CLOCK_MONOTONIC milliseconds; Node's hrtime reads
// the same clock on Linux, so ages and "ago" figures need no conversion.

export interface UiClock {
  /** CLOCK_MONOTONIC, milliseconds. */
  monotonicMs(): number;
  /** Wall clock (Date.now()), for printing event times of day. */
  epochMs(): number;
}

export const SYSTEM_CLOCK: UiClock = {
  monotonicMs: () => Number(process.hrtime.bigint()) / 1e6,
  epochMs: () => Date.now(),
};
