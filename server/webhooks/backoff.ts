// Retry schedule for webhook deliveries: five attempts, waiting 30 s, 2 min, 10 min and 1 h between them.
export const RETRY_DELAYS_MS = [30_000, 2 * 60_000, 10 * 60_000, 60 * 60_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** How long to wait after the given (1-based) failed attempt, or null when that was the last one. */
export function retryDelayMs(failedAttempts: number, maxAttempts = MAX_ATTEMPTS): number | null {
  if (failedAttempts >= maxAttempts) return null;
  return RETRY_DELAYS_MS[Math.min(failedAttempts, RETRY_DELAYS_MS.length) - 1];
}
