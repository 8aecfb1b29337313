/** Jittered exponential back-off between attempts (runMutation retries, afterCommit re-reads). */
export function backoffMs(attempt: number): number {
  const base = Math.min(200, 5 * 2 ** (attempt - 1));
  return base / 2 + Math.random() * base;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

