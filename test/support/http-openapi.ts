import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/** The northbound OpenAPI document as committed. */
export const OPENAPI_PATH = path.resolve(__dirname, '..', '..', 'swagger', 'northbound.openapi.json');

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
  components: unknown;
};

/** Validates received answers against the responses the document declares for their path, method and status. */
export class ResponseValidator {
  private readonly doc: Doc;
  private readonly ajv: Ajv;
  private readonly matchers: { re: RegExp; path: string }[];

  constructor(file = OPENAPI_PATH) {
    this.doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Doc;
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ components: this.doc.components }, 'doc');
    this.matchers = Object.keys(this.doc.paths)
      .map((p) => ({ path: p, re: new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`) }))
      .sort((a, b) => b.path.length - a.path.length);
  }

  /** Returns the problems of one answer (empty when it matches the document). */
  problems(method: string, url: string, status: number, body: unknown): string[] {
    const pathname = new URL(url).pathname;
    const match = this.matchers.filter((m) => m.re.test(pathname)).sort((a, b) => literalLength(b.path) - literalLength(a.path))[0];
    if (!match) return [`${pathname} is not documented`];
    const op = this.doc.paths[match.path][method.toLowerCase()];
    if (!op) return [`${method} ${match.path} is not documented`];
    const response = op.responses[String(status)];
    if (!response) return [`${method} ${match.path} does not document status ${status}`];
    const schema = response.content?.['application/json']?.schema;
    if (!schema) return [];
    const validate = this.ajv.compile(rewriteRefs(schema) as object);
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${method} ${match.path} ${status}: ${e.instancePath} ${e.message}`);
  }
}

function literalLength(p: string): number {
  return p.replace(/\{[^}]+\}/g, '').length;
}

function rewriteRefs(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"doc#/components/')) as unknown;
}
