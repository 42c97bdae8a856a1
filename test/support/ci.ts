/**
 * True in CI (CI=true, as CI services and .ci/run set it): there a missing Chromium or PostgreSQL
 * fails the run instead of skipping the suites that need it.
 */
export function inCi(): boolean {
  const ci = (process.env.CI ?? '').toLowerCase();
  return ci !== '' && ci !== 'false' && ci !== '0';
}
