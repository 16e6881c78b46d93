import fs from 'node:fs';
import path from 'node:path';

/** Location of the northbound OpenAPI 3 document (`swagger/northbound.openapi.json`), from src/ or dist/. */
export const OPENAPI_FILE = path.join(__dirname, '..', '..', 'swagger', 'northbound.openapi.json');

let cached: Record<string, unknown> | undefined;

/** Reads (once) the northbound OpenAPI document. */
export function loadOpenApiDocument(file = OPENAPI_FILE): Record<string, unknown> {
  if (file !== OPENAPI_FILE) return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  cached ??= JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  return cached;
}
