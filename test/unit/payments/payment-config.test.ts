import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';

describe('payment providers in the configuration', () => {
  it('reads each provider, what its confirmation means, and its secret', () => {
    const config = loadConfig({
      PAYMENT_PROVIDERS: 'bank:transfer,dvc-qg:online',
      PAYMENT_SECRET_BANK: 'b'.repeat(32),
      PAYMENT_SECRET_DVC_QG: 'd'.repeat(40),
    });
    expect(config.payments.providers).toEqual([
      { name: 'bank', method: 'transfer', secret: 'b'.repeat(32) },
      { name: 'dvc-qg', method: 'online', secret: 'd'.repeat(40) },
    ]);
    expect(config.payments.callbackWindowSeconds).toBe(300);
  });

  it('has none by default, and stops on a provider without a long enough secret or a bad list', () => {
    expect(loadConfig({}).payments.providers).toEqual([]);
    expect(() => loadConfig({ PAYMENT_PROVIDERS: 'bank:transfer' })).toThrow(/PAYMENT_SECRET_BANK/);
    expect(() =>
      loadConfig({ PAYMENT_PROVIDERS: 'bank:transfer', PAYMENT_SECRET_BANK: 'short' }),
    ).toThrow(ConfigError);
    expect(() => loadConfig({ PAYMENT_PROVIDERS: 'bank:cash' })).toThrow(/PAYMENT_PROVIDERS/);
    expect(() => loadConfig({ PAYMENT_CALLBACK_WINDOW_S: '5' })).toThrow(
      /PAYMENT_CALLBACK_WINDOW_S/,
    );
  });
});
