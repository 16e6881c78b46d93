import { execFile } from 'node:child_process';
import path from 'node:path';

/**
 * Validates an OpenAPI document with @apidevtools/swagger-parser in a separate node process (the parser ships
 * ES modules that jest's CommonJS runtime cannot load). Resolves to the dereferenced paths' keys and version.
 */
export function validateOpenApi(doc: unknown): Promise<{ openapi: string; paths: Record<string, Record<string, unknown>> }> {
  const script = `
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', async () => {
  try {
    const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
    const api = await SwaggerParser.validate(JSON.parse(input));
    process.stdout.write(JSON.stringify({ openapi: api.openapi, paths: api.paths }));
  } catch (err) {
    process.stderr.write(String(err && err.message));
    process.exit(2);
  }
});`;
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['-e', script],
      { cwd: path.resolve(__dirname, '..', '..'), timeout: 20000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`OpenAPI document invalid: ${stderr || err.message}`));
        else resolve(JSON.parse(stdout) as { openapi: string; paths: Record<string, Record<string, unknown>> });
      },
    );
    child.stdin!.end(JSON.stringify(doc));
  });
}
