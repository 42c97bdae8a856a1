import { describe, expect, it } from 'vitest';
import { lateByLabel } from '../../src/online/late-checks.js';

describe('how late an online check is', () => {
  it('says minutes, hours and days, never zero', () => {
    expect(lateByLabel(0.2)).toBe('1 phút');
    expect(lateByLabel(45)).toBe('45 phút');
    expect(lateByLabel(60)).toBe('1 giờ');
    expect(lateByLabel(150)).toBe('2 giờ 30 phút');
    expect(lateByLabel(1440)).toBe('1 ngày');
    expect(lateByLabel(2 * 1440 + 3 * 60 + 7)).toBe('2 ngày 3 giờ');
  });
});
