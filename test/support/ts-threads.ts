/**
 * Node options for the threads the service starts (its poll front) while the tests run its TypeScript sources:
 * the thread loads its .ts module through tsx, a development dependency. Built code (dist/) needs none.
 */
export const TS_THREAD_EXEC_ARGV: readonly string[] = ['--require', require.resolve('tsx/cjs')];
