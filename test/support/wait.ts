/**
 * Waits for a condition instead of sleeping for a guessed time: polls `condition` until it holds,
 * and fails naming `what` after `timeoutMs`, a limit for a run that is stuck, not a speed check
 * (a busy machine may take many times longer than a quiet one, and still pass).
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  { timeoutMs = 30_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`gave up after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
