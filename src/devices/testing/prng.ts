/** mulberry32: small, fast, seedable; good enough to drive fuzz tests reproducibly. */
export function prng(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const bytes = (length: number, exclude?: (byte: number) => boolean): Uint8Array => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      let byte = int(0, 255);
      while (exclude?.(byte)) byte = int(0, 255);
      out[i] = byte;
    }
    return out;
  };
  return { next, int, pick, bytes };
}
export type Rng = ReturnType<typeof prng>;
