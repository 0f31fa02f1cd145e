// Tells the core about activity at most once per interval, so that the idle lock counts from the
// last touch without a call for every tap.
export function activityReporter(report: () => void, intervalMs: number, now: () => number = Date.now) {
  let last = -Infinity;
  return {
    activity() {
      const t = now();
      if (t - last >= intervalMs) {
        last = t;
        report();
      }
    },
    reset() {
      last = -Infinity;
    },
  };
}
