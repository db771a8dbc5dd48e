/** A small in-process sliding-window limiter (per key). One server process per deployment keeps it honest. */
export class RateLimiter {
  private hits = new Map<string, number[]>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** True while the key still has budget (does not record anything). */
  allows(key: string, now = Date.now()): boolean {
    return (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs).length < this.max;
  }

  /** Records a hit; returns false when the key is over its budget. */
  take(key: string, now = Date.now()): boolean {
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length >= this.max) {
      this.hits.set(key, list);
      return false;
    }
    list.push(now);
    this.hits.set(key, list);
    if (this.hits.size > 10_000) this.sweep(now);
    return true;
  }

  private sweep(now: number) {
    for (const [k, v] of this.hits) if (!v.some((t) => t > now - this.windowMs)) this.hits.delete(k);
  }
}
