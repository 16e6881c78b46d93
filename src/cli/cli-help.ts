import fs from 'node:fs';
import path from 'node:path';

/** Name of the command (package.json "bin"). */
export const COMMAND = 'esc-vnfm-driver';

/** Version of the package, read from its package.json (beside dist/ and src/). */
export function packageVersion(): string {
  const file = path.join(__dirname, '..', '..', 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

/** What `--help` prints. */
export const HELP = `Usage: ${COMMAND} <command> [options]

ONAP VF-C VNFM driver for Cisco ESC over NETCONF.

Commands:
  serve                       run the driver (what npm start and node dist/main.js run); settings from the
                              environment and CONFIG_FILE, see the README
  check-config                validate the settings from the environment and CONFIG_FILE; exit 0 when valid,
                              1 naming every bad key
  vnfs list                   the VNFs of a VNFM, newest first  [--status S[,S]] [--limit N] [--cursor C]
  vnfs show <vnfInstanceId>   one VNF (GET …/vnfs/{id})
  jobs list                   the jobs of a VNFM, newest first  [--status S[,S]] [--operation O[,O]] [--limit N] [--cursor C]
  jobs show <jobId>           one job with its whole history
  jobs follow <jobId>         show a job's progress live until it finishes (exit 0) or fails (exit 1)

Options of vnfs and jobs (against a running driver):
  --url URL                   the driver (default http://127.0.0.1:$PORT, PORT default 8489)
  --vnfm-type TYPE            vnfm type in the API path (default $VNFM_TYPE, else ciscovnfmdriver)
  --vnfm ID                   VNFM id (default $VNFM_ID, else standalone-esc, the standalone mode's VNFM)
  --json                      print the driver's JSON answer as it is
  --timeout-ms N              timeout of each HTTP call (default 10000)

  -h, --help                  this text
  -v, --version               the version

Exit codes: 0 success, 1 failure (driver unreachable, error answer, failed job, invalid configuration), 2 bad usage.
`;
