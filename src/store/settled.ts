/**
 * The outcome of synchronous work as a Promise: its value, or a rejection with what it threw. The SQLite stores
 * (better-sqlite3 is synchronous) answer their asynchronous ports with it.
 */
export function settled<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}
