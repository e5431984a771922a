// Every timer the SDK sets goes through `clampTimer`: setTimeout fires at once (with a
// TimeoutOverflowWarning) for any delay above 2^31-1 ms, so a long timeout or deadline would
// otherwise end a call immediately instead of never.

/** The longest delay setTimeout takes as given. */
export const MAX_TIMER = 2 ** 31 - 1;

/** `ms` as a delay setTimeout honours: at least 0, at most {@link MAX_TIMER}. */
export const clampTimer = (ms: number): number => Math.min(Math.max(0, ms), MAX_TIMER);
