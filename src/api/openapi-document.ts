import fs from 'node:fs';
import path from 'node:path';
import { SERVICE_VERSION } from './service-version';

/** Location of the northbound OpenAPI 3 document (`swagger/northbound.openapi.json`), from src/ or dist/. */
export const OPENAPI_FILE = path.join(__dirname, '..', '..', 'swagger', 'northbound.openapi.json');

let cached: Record<string, unknown> | undefined;

/** Reads (once) the northbound OpenAPI document; its `info.version` is the service's (package.json). */
export function loadOpenApiDocument(file = OPENAPI_FILE): Record<string, unknown> {
  if (file !== OPENAPI_FILE) return withVersion(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>);
  cached ??= withVersion(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>);
  return cached;
}

function withVersion(doc: Record<string, unknown>): Record<string, unknown> {
  return { ...doc, info: { ...(doc.info as Record<string, unknown>), version: SERVICE_VERSION } };
}
