import { readFileSync } from 'node:fs';
import { parseDelays } from './delay-presets';
import { parseFaultRule } from './fault-book';
import { startSimulator } from './simulator';
import type { SimulatorOptions } from './simulator-types';

const USAGE = `usage: npm run simulator -- [--host 127.0.0.1] [--port 18830] [--user admin] [--password admin]
  [--delays zero|realistic|vmDeployed=ms,vmAlive=ms,...] [--faults FILE.json] [--data-dir DIR] [--admin-port N]`;

function parseArgs(argv: string[]): SimulatorOptions {
  const opts: SimulatorOptions = { port: 18830 };
  let user = 'admin';
  let password = 'admin';
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    if (flag === '--host') opts.host = value;
    else if (flag === '--port') opts.port = Number(value);
    else if (flag === '--user') user = value;
    else if (flag === '--password') password = value;
    else if (flag === '--delays') opts.delays = parseDelays(value);
    else if (flag === '--faults') opts.faults = [JSON.parse(readFileSync(value, 'utf8')) as unknown].flat().map(parseFaultRule);
    else if (flag === '--data-dir') opts.dataDir = value;
    else if (flag === '--admin-port') opts.adminPort = Number(value);
    else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  opts.users = [{ username: user, password }];
  return opts;
}

async function main(): Promise<void> {
  const sim = await startSimulator(parseArgs(process.argv.slice(2)));
  const admin = sim.adminPort === undefined ? '' : ` admin http://127.0.0.1:${sim.adminPort}`;
  process.stdout.write(`ESC simulator ready on ${sim.host}:${sim.port} host key ${sim.hostKeyFingerprint}${admin}\n`);
  const shutdown = (): void => {
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
});
