import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cacheStatements } from './statement-cache';
import { openDatabase } from './database';

describe('prepared statements reused per SQL text (issue 17: native memory per settlement)', () => {
  it('the same SQL gives the same statement, and it still answers with the current rows', () => {
    const db = new Database(':memory:');
    cacheStatements(db);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    expect(db.prepare('INSERT INTO t (v) VALUES (?)')).toBe(insert);
    insert.run('a');
    db.prepare('INSERT INTO t (v) VALUES (?)').run('b');
    expect(db.prepare('SELECT v FROM t ORDER BY id').all()).toEqual([{ v: 'a' }, { v: 'b' }]);
    db.transaction(() => db.prepare('INSERT INTO t (v) VALUES (?)').run('c'))();
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 3 });
    expect(db.prepare('SELECT v FROM t WHERE id = ?').get(3)).toEqual({ v: 'c' });
    db.close();
  });

  it('holds at most `max` statements, the least recently used dropped first', () => {
    const db = new Database(':memory:');
    const cache = cacheStatements(db, 3);
    const sql = (n: number) => `SELECT ${n} AS n`;
    const first = db.prepare(sql(1));
    db.prepare(sql(2));
    db.prepare(sql(3));
    expect(db.prepare(sql(1))).toBe(first); // used again: now the most recent
    db.prepare(sql(4)); // drops 2, the least recently used
    expect(cache.size()).toBe(3);
    expect(db.prepare(sql(1))).toBe(first);
    for (let n = 5; n < 1000; n++) expect(db.prepare(sql(n)).get()).toEqual({ n });
    expect(cache.size()).toBe(3);
    db.close();
  });

  it('a statement that fails to prepare is not kept', () => {
    const db = new Database(':memory:');
    const cache = cacheStatements(db);
    expect(() => db.prepare('SELECT * FROM missing')).toThrow(/no such table/);
    expect(cache.size()).toBe(0);
    db.exec('CREATE TABLE missing (x)');
    expect(db.prepare('SELECT * FROM missing').all()).toEqual([]);
    db.close();
  });

  it('the station database reuses its statements', () => {
    const db = openDatabase(':memory:');
    expect(db.prepare('SELECT 1 AS one')).toBe(db.prepare('SELECT 1 AS one'));
    db.close();
  });
});
