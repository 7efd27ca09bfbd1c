/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): a small, fast sequence of numbers in [0, 1) that
 * a seed repeats exactly. For test data and test schedules that must be reproducible (seed:scale's
 * customers, the crash test's round lengths), never for secrets.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
