import { describe, expect, it } from 'vitest';
import { readBuildInfo } from '../../src/lib/build-info.js';
import { statementKind } from '../../src/metrics/metrics.js';

describe('statementKind', () => {
  it.each([
    ['select 1', 'select'],
    ['  SELECT "id" from "dossiers"', 'select'],
    ['with hit as (select 1) select * from hit', 'select'],
    ['insert into "tickets" ("day") values (?)', 'insert'],
    ['update "counters" set "name" = ?', 'update'],
    ['delete from "rate_limit_windows"', 'delete'],
    ['begin immediate', 'begin'],
    ['commit', 'transaction'],
    ['savepoint "sp1"', 'transaction'],
    ['release savepoint "sp1"', 'transaction'],
    ['rollback', 'transaction'],
    ['pragma foreign_keys = ON', 'other'],
    ['', 'other'],
  ])('%s → %s', (sql, kind) => {
    expect(statementKind(sql)).toBe(kind);
  });
});

describe('readBuildInfo', () => {
  it('takes the commit from GIT_COMMIT when the build sets it, shortened', () => {
    expect(readBuildInfo({ GIT_COMMIT: 'a'.repeat(40) })).toEqual({
      version: '0.1.0',
      commit: 'a'.repeat(12),
    });
  });

  it("otherwise reads the checkout's commit (this repository's), or says unknown", () => {
    expect(readBuildInfo({}).commit).toMatch(/^([0-9a-f]{12}|unknown)$/);
  });
});
