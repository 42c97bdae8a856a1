import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskIdNumbers } from '../../src/http/request-logger.js';

/** Issue 29, item 6: `/ho-so/0350-9077-9995` was logged unmasked. */
describe('maskIdNumbers', () => {
  it('masks an ID number however it is spelled in a path', () => {
    for (const path of [
      '/ho-so/035090779995',
      '/ho-so/0350-9077-9995',
      '/ho-so/0350.9077.9995',
      '/ho-so/0350%209077%209995',
      '/ho-so/0350+9077+9995',
      '/ho-so/0350_9077_9995',
      '/ho-so/0350%2D9077%2d9995',
      '/ho-so/1-0350-9077-9995-7',
    ])
      expect(maskIdNumbers(path)).toBe(path.replace(/\/[^/]*$/, '/************'));
  });

  it('leaves dossier codes, dates and ticket numbers alone', () => {
    for (const path of [
      '/ho-so/000.00.13.H40-260310-0001',
      '/xep-hang/C001',
      '/bao-cao/2026-03-10',
      '/api/v1/dossiers/123',
    ])
      expect(maskIdNumbers(path)).toBe(path);
  });

  it('no four consecutive digits of a 12-digit number survive, whatever single separators join them', () => {
    const sep = fc.constantFrom('', '', '-', '.', ' ', '%20', '+', '_', '%2D');
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }),
        fc.array(sep, { minLength: 11, maxLength: 11 }),
        fc.constantFrom('/ho-so/', '/quan-tri/truy-cap/', '/a/b-'),
        (digits, seps, prefix) => {
          const spelled = digits.map((d, i) => `${d}${seps[i] ?? ''}`).join('');
          const masked = maskIdNumbers(`${prefix}${spelled}`);
          expect(masked).toBe(`${prefix}************`);
        },
      ),
    );
  });
});
