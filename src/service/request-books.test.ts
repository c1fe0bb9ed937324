/**
 * The request books on a real station database (migrations 029–030 applied): a nonce is good once per app, an
 * idempotency key answers its first request again and refuses another body, a claim left by a service that stopped
 * mid-request is taken over only after STALE_CLAIM_MS (at once by the next service's start), and pruning forgets what is past its horizon.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../station/store';
import { requestHash, SqliteRequestBooks, STALE_CLAIM_MS } from './request-books';

let dir: string;
let db: Db;
let books: SqliteRequestBooks;
const T = 1_764_849_600_000;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'service-books-'));
  db = openDatabase(path.join(dir, 'station.db'));
  books = new SqliteRequestBooks(db);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the request books', () => {
  it('takes a nonce once per app', () => {
    expect(books.firstUse('app-a', 'n1', T)).toBe(true);
    expect(books.firstUse('app-a', 'n1', T + 1)).toBe(false);
    expect(books.firstUse('app-b', 'n1', T)).toBe(true);
  });

  it('answers a key’s first request again, refuses another body, and says a running one is in progress', () => {
    const h = requestHash('POST', '/v1/x', '{"a":1}');
    expect(books.claim('app-a', 'key-0001', h, T)).toEqual({ kind: 'claimed' });
    expect(books.claim('app-a', 'key-0001', h, T + 1)).toEqual({ kind: 'in-progress' });
    books.answer('app-a', 'key-0001', { status: 201, body: { id: 'S1' } });
    expect(books.claim('app-a', 'key-0001', h, T + 2)).toEqual({ kind: 'answered', answer: { status: 201, body: { id: 'S1' } } });
    expect(books.claim('app-a', 'key-0001', requestHash('POST', '/v1/x', '{"a":2}'), T + 3)).toEqual({ kind: 'reused' });
    expect(books.claim('app-b', 'key-0001', h, T)).toEqual({ kind: 'claimed' });
  });

  it('lets a released or abandoned claim run again, the abandoned one only once it is stale', () => {
    const h = requestHash('POST', '/v1/x', '{}');
    books.claim('app-a', 'released', h, T);
    books.release('app-a', 'released');
    expect(books.claim('app-a', 'released', h, T + 1)).toEqual({ kind: 'claimed' });

    books.claim('app-a', 'abandoned', h, T);
    expect(books.claim('app-a', 'abandoned', h, T + STALE_CLAIM_MS - 1)).toEqual({ kind: 'in-progress' });
    expect(books.claim('app-a', 'abandoned', h, T + STALE_CLAIM_MS + 1)).toEqual({ kind: 'claimed' });
    expect(books.claim('app-a', 'abandoned', h, T + STALE_CLAIM_MS + 2)).toEqual({ kind: 'in-progress' });
  });

  it('at a service’s start frees every claim a stopped one left running, at once; answered keys keep their answers', () => {
    const h = requestHash('POST', '/v1/x', '{}');
    books.claim('app-a', 'killed-mid-request', h, T);
    books.claim('app-a', 'answered', h, T);
    books.answer('app-a', 'answered', { status: 201, body: { id: 'S1' } });
    expect(books.releaseAbandoned()).toBe(1);
    expect(books.claim('app-a', 'killed-mid-request', h, T + 1)).toEqual({ kind: 'claimed' });
    expect(books.claim('app-a', 'answered', h, T + 1)).toEqual({ kind: 'answered', answer: { status: 201, body: { id: 'S1' } } });
  });

  it('prunes nonces and keys past their horizons', () => {
    books.firstUse('app-a', 'old', T);
    books.firstUse('app-a', 'new', T + 10);
    books.claim('app-a', 'old-key1', 'h', T);
    books.answer('app-a', 'old-key1', { status: 200, body: {} });
    books.claim('app-a', 'new-key1', 'h', T + 10);
    books.prune({ nonces: T + 5, keys: T + 5 });
    expect(books.firstUse('app-a', 'old', T + 20)).toBe(true);
    expect(books.firstUse('app-a', 'new', T + 20)).toBe(false);
    expect(books.claim('app-a', 'old-key1', 'other', T + 20)).toEqual({ kind: 'claimed' });
    expect(books.claim('app-a', 'new-key1', 'other', T + 20)).toEqual({ kind: 'reused' });
  });
});
