import fs from 'node:fs';
import path from 'node:path';

/** The package.json at the top of the package, from src/ or dist/. */
const PACKAGE_FILE = path.join(__dirname, '..', '..', 'package.json');

/** The service's version, as package.json says (what the index and the OpenAPI document show). */
export const SERVICE_VERSION = (JSON.parse(fs.readFileSync(PACKAGE_FILE, 'utf8')) as { version: string }).version;
