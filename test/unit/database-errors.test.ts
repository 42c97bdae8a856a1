import { describe, expect, it } from 'vitest';
import {
  DatabaseUnavailableError,
  InvalidTextError,
  SerializationFailureError,
  translatePgError,
  translateSqliteError,
  UniqueViolationError,
} from '../../src/db/errors.js';

describe('translatePgError', () => {
  it('names the table and columns of a unique violation from the server’s detail', () => {
    const err = translatePgError({
      code: '23505',
      table: 'dossiers',
      constraint: 'dossiers_form_token_key',
      detail: 'Key (form_token)=(abc) already exists.',
      message: 'duplicate key',
    });
    expect(err).toBeInstanceOf(UniqueViolationError);
    expect((err as UniqueViolationError).isOn('dossiers.form_token')).toBe(true);
    expect((err as UniqueViolationError).isOn('dossiers.code')).toBe(false);
    const pair = translatePgError({
      code: '23505',
      table: 'code_sequences',
      detail: 'Key (office_id, day)=(1, 2026-03-10) already exists.',
    }) as UniqueViolationError;
    expect(pair.columns).toEqual(['code_sequences.office_id', 'code_sequences.day']);
  });

  it.each(['40001', '40P01'])('maps SQLSTATE %s to a retryable serialization failure', (code) => {
    expect(translatePgError({ code, message: 'could not serialize' })).toBeInstanceOf(
      SerializationFailureError,
    );
  });

  it.each([
    { code: '57P01', message: 'terminating connection due to administrator command' },
    { code: '57P03', message: 'the database system is starting up' },
    { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
    { code: 'ECONNRESET', message: 'read ECONNRESET' },
    { message: 'Connection terminated unexpectedly' },
    { message: 'timeout exceeded when trying to connect' },
  ])('maps a lost or refused connection ($message) to DatabaseUnavailableError (503)', (e) => {
    expect(translatePgError(e)).toBeInstanceOf(DatabaseUnavailableError);
  });

  it.each(['22021', '22P05'])(
    'maps SQLSTATE %s (a NUL or bad byte in text) to InvalidTextError (422)',
    (code) => {
      expect(
        translatePgError({ code, message: 'invalid byte sequence for encoding "UTF8": 0x00' }),
      ).toBeInstanceOf(InvalidTextError);
    },
  );

  it('leaves every other error as it is (a bug stays a bug)', () => {
    const syntax = { code: '42601', message: 'syntax error at or near "selec"' };
    expect(translatePgError(syntax)).toBe(syntax);
    const plain = new Error('something else');
    expect(translatePgError(plain)).toBe(plain);
  });
});

describe('translateSqliteError', () => {
  it('maps SQLite’s unique and busy codes to the same neutral errors', () => {
    expect(
      translateSqliteError({
        code: 'SQLITE_CONSTRAINT_UNIQUE',
        message: 'UNIQUE constraint failed: dossiers.form_token',
      }),
    ).toBeInstanceOf(UniqueViolationError);
    expect(
      translateSqliteError({ code: 'SQLITE_BUSY', message: 'database is locked' }),
    ).toBeInstanceOf(DatabaseUnavailableError);
  });
});
