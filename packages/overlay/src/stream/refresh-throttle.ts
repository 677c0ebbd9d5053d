/**
 * Runs an async refresh at most once per interval, trailing: calls during the interval or while a run is in
 * flight collapse into one more run afterwards. The interval grows with slow runs (4x the last run's time), so a
 * large snapshot on a busy stream cannot keep the page busy.
 */
export interface RefreshThrottle {
  schedule(): void;
  /** Run now (still never two at once). */
  now(): Promise<void>;
  stop(): void;
}

export function createRefreshThrottle(run: () => Promise<void>, minIntervalMs: number): RefreshThrottle {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let lastStart = Number.NEGATIVE_INFINITY;
  let interval = minIntervalMs;

  const start = (): Promise<void> => {
    timer = null;
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    lastStart = Date.now();
    running = run()
      .catch(() => undefined)
      .finally(() => {
        interval = Math.max(minIntervalMs, (Date.now() - lastStart) * 4);
        running = null;
        if (again && !stopped) {
          again = false;
          schedule();
        }
      });
    return running;
  };

  function schedule() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    if (timer !== null) return;
    timer = setTimeout(start, Math.max(0, lastStart + interval - Date.now()));
  }

  return {
    schedule,
    now: () => {
      if (timer !== null) clearTimeout(timer);
      return start();
    },
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
