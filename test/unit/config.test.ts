import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('gives working defaults for development', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databasePath).toBe('./data/motcua.db');
    expect(config.env).toBe('development');
    expect(config.seedDemoAccounts).toBe(true);
    expect(config.sessionSecretGenerated).toBe(true);
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
    expect(config.supplementClock).toBe('restart');
  });

  it('accepts an in-memory database', () => {
    expect(loadConfig({ DATABASE_URL: ':memory:' }).databasePath).toBe(':memory:');
  });

  it('takes a postgres:// URL as the PostgreSQL engine, with shared state in the database', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://motcua:pw@db.example:5432/motcua',
      DATABASE_READ_URL: 'postgresql://motcua:pw@replica:5432/motcua',
      DATABASE_POOL_SIZE: '20',
    });
    expect(config.databaseEngine).toBe('postgres');
    expect(config.databaseUrl).toBe('postgres://motcua:pw@db.example:5432/motcua');
    expect(config.databaseReadUrl).toBe('postgresql://motcua:pw@replica:5432/motcua');
    expect(config.databasePoolSize).toBe(20);
    expect(config.sharedState).toBe('database');
  });

  it('keeps shared state in memory for one SQLite process, in the database for several', () => {
    expect(loadConfig({}).sharedState).toBe('memory');
    expect(loadConfig({ WEB_CONCURRENCY: '4' }).sharedState).toBe('database');
    expect(loadConfig({ SHARED_STATE: 'database' }).sharedState).toBe('database');
  });

  it('refuses a read replica for a SQLite database', () => {
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://replica/motcua' })).toThrow(
      /DATABASE_READ_URL: a read replica needs DATABASE_URL to be a postgres/,
    );
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_READ_URL', 'file:./replica.db'],
    ['DATABASE_POOL_SIZE', '0'],
    ['WEB_CONCURRENCY', 'many'],
    ['LOG_LEVEL', 'loud'],
    ['PUBLIC_BASE_URL', 'not a url'],
    ['OFFICE_CLOSING_TIME', '25:00'],
    ['SUPPLEMENT_CLOCK', 'sometimes'],
    ['SESSION_SECRET', 'short'],
  ])('names the bad variable %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}:`));
  });

  it('requires SESSION_SECRET in production and never seeds demo accounts there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /SESSION_SECRET: required when NODE_ENV=production/,
    );
    const prod = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 's'.repeat(40),
      SEED_DEMO_ACCOUNTS: 'true',
    });
    expect(prod.seedDemoAccounts).toBe(false);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
  });
});
