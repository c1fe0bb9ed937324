/**
 * Test support: a seeded generator of malformed answers and messages (the same seed gives the same cases, so a
 * failure is reproducible by its case number). Every kind of damage a remote or a client can do to a message:
 * truncated JSON, wrong types, huge strings, missing and extra fields, binary junk, wrong content types and
 * status codes. Signatures are the caller's business: it signs some junk correctly so that the decoders behind
 * the signature check are reached too.
 */

/** mulberry32: small, fast, good enough to spread cases. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Junk {
  constructor(readonly random: () => number) {}

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  /** A string that may be empty, Chinese, control characters, lone surrogates, or (rarely) very long. */
  text(): string {
    switch (this.int(7)) {
      case 0:
        return '';
      case 1:
        return '余额不足'.repeat(1 + this.int(3));
      case 2:
        return String.fromCharCode(...Array.from({ length: 1 + this.int(20) }, () => this.int(0x20)));
      case 3:
        return '\ud800' + 'x'.repeat(this.int(5));
      case 4:
        return this.chance(0.1) ? 'z'.repeat(10_000 + this.int(20_000)) : 'y'.repeat(this.int(300));
      case 5:
        return String(this.int(1e9));
      default:
        return this.random().toString(36).slice(0, this.int(30));
    }
  }

  /** Any JSON value, nested up to `depth`. */
  value(depth = 2): unknown {
    const kind = this.int(depth > 0 ? 9 : 6);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return this.chance(0.5);
      case 2:
        return this.pick([0, -1, 1, 1.5, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 4.999999999]);
      case 3:
      case 4:
      case 5:
        return this.text();
      case 6:
      case 7:
        return Array.from({ length: this.int(4) }, () => this.value(depth - 1));
      default:
        return Object.fromEntries(Array.from({ length: this.int(5) }, () => [this.text().slice(0, 20), this.value(depth - 1)]));
    }
  }

  /**
   * Damages a well-formed answer object: fields dropped, retyped, added; or serialised and then cut, padded
   * with binary, or replaced by something that is not JSON at all.
   */
  damage(good: Record<string, unknown>): { body: string | Uint8Array; damage: string } {
    const fields = { ...good };
    const keys = Object.keys(fields);
    switch (this.int(8)) {
      case 0: {
        const text = JSON.stringify(fields);
        return { body: text.slice(0, this.int(text.length)), damage: 'truncated' };
      }
      case 1:
        for (const key of keys) if (this.chance(0.4)) fields[key] = this.value();
        return { body: JSON.stringify(fields), damage: 'wrong types' };
      case 2:
        for (const key of keys) if (this.chance(0.4)) delete fields[key];
        return { body: JSON.stringify(fields), damage: 'missing fields' };
      case 3:
        for (let i = 0; i < 1 + this.int(5); i++) fields[this.text().slice(0, 20) || '__proto__'] = this.value();
        return { body: JSON.stringify(fields), damage: 'extra fields' };
      case 4:
        return { body: Uint8Array.from({ length: this.int(2000) }, () => this.int(256)), damage: 'binary' };
      case 5:
        // Now and then past the 1 MB answer cap.
        fields[this.pick(keys)] = 'x'.repeat(this.chance(0.05) ? 1_100_000 : 20_000 + this.int(40_000));
        return { body: JSON.stringify(fields), damage: 'huge string' };
      case 6:
        return { body: JSON.stringify(this.value(3)), damage: 'not the shape' };
      default:
        return {
          body: this.pick(['', 'null', '[]', '{', '<html>502 Bad Gateway</html>', '\ufeff{}', '{"a":1}{"b":2}']),
          damage: 'not JSON',
        };
    }
  }

  /** A status: mostly 200, else anything a gateway might send. */
  status(): number {
    return this.chance(0.7) ? 200 : this.pick([201, 202, 204, 206, 301, 302, 307, 308, 400, 401, 403, 404, 413, 429, 500, 502, 503, 504]);
  }

  contentType(): string {
    return this.pick([
      'application/json',
      'application/json;charset=utf-8',
      'text/html',
      'application/octet-stream',
      'text/plain;charset=gbk',
      '',
    ]);
  }
}

/** A fetch Response for a generated answer (statuses without a body get none, as HTTP requires). */
export function junkResponse(status: number, contentType: string, body: string | Uint8Array): Response {
  const nullBody = status === 204 || status === 205 || status === 304;
  const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
  if (status >= 300 && status < 400) headers.location = 'https://elsewhere.example/';
  return new Response(nullBody ? null : body, { status, headers });
}
