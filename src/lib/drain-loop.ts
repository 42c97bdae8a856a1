/**
 * A background sender's loop: every `everyMs` a pass runs, and runs again at once while it found
 * work (it returns how many items it took); never two passes at once. A failed pass is reported
 * and the next tick tries again. `stop()` waits for the pass under way.
 */
export function startDrainLoop(
  pass: () => Promise<number>,
  everyMs: number,
  onError: (err: unknown) => void,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = (async () => {
      try {
        while ((await pass()) > 0) {
          /* more work is due: go on without waiting for the next tick */
        }
      } catch (err) {
        onError(err);
      } finally {
        busy = false;
      }
    })();
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
