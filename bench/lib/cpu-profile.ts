import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

/**
 * When the environment variable BENCH_CPU_PROFILE_DIR names a directory, records a V8 CPU profile of this
 * process (the same as `node --cpu-prof`, but only for the bench's server process) and writes
 * `<dir>/<name>-<pid>.cpuprofile` when the returned function is called. Without it, does nothing.
 */
export function startCpuProfileFromEnv(name: string): () => Promise<void> {
  const dir = process.env.BENCH_CPU_PROFILE_DIR;
  if (!dir) return () => Promise.resolve();
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  const started = post('Profiler.enable')
    .then(() => post('Profiler.setSamplingInterval', { interval: 200 }))
    .then(() => post('Profiler.start'));
  return async () => {
    await started;
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    const file = join(dir, `${name}-${process.pid}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    process.stderr.write(`cpu profile written: ${file}\n`);
  };
}
