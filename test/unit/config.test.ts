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

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'postgres://x'],
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
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: required when NODE_ENV=production/);
    const prod = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), SEED_DEMO_ACCOUNTS: 'true' });
    expect(prod.seedDemoAccounts).toBe(false);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
  });
});
