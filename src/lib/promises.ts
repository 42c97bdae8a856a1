/**
 * A promise started now and awaited later, after other awaits: should one of those throw first,
 * this one's rejection is not reported as unhandled (it is dropped with the request). Awaiting
 * the returned promise still throws its error.
 */
export function settleLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
