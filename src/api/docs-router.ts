import path from 'node:path';
import { Router, type Request, type Response } from 'express';

/** Options of {@link createDocsRouter}. */
export interface DocsRouterOptions {
  /** Where the page loads the OpenAPI document from, e.g. `/api/ciscovnfmdriver/v1/swagger.json`. */
  specUrl: string;
  /** Page title; default "VNFM driver API". */
  title?: string;
}

/**
 * Content-Security-Policy of the docs page: everything from this origin only. `img-src` also allows
 * `data:` because swagger-ui.css draws its icons as data URIs (no network involved).
 */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The swagger-ui-dist files the page needs; nothing else of the package is served. */
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/** Folder of the installed swagger-ui-dist package (resolved without loading its 1 MB bundle). */
const ASSET_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));

/**
 * Router serving Swagger UI at `GET <mount>/docs` from the local swagger-ui-dist package (no CDN).
 * The page, its start-up script and its assets are all same-origin, under a CSP allowing only 'self';
 * the start-up script is served as a file because the CSP forbids inline scripts.
 */
export function createDocsRouter(opts: DocsRouterOptions): Router {
  const router = Router();
  const initializer = buildInitializer(opts.specUrl);
  const title = opts.title ?? 'VNFM driver API';
  router.get('/docs', (req, res) => {
    secure(res)
      .type('html')
      .send(buildIndexHtml(`${req.baseUrl}/docs/`, title));
  });
  router.get('/docs/swagger-initializer.js', (_req, res) => {
    secure(res).type('text/javascript; charset=utf-8').send(initializer);
  });
  router.get('/docs/:asset', (req: Request<{ asset: string }>, res, next) => {
    const type = Object.hasOwn(ASSETS, req.params.asset) ? ASSETS[req.params.asset] : undefined;
    if (type === undefined) {
      next();
      return;
    }
    secure(res).type(type).set('Cache-Control', 'public, max-age=86400');
    res.sendFile(req.params.asset, { root: ASSET_DIR, dotfiles: 'deny' }, (err) => {
      if (err) next(err);
    });
  });
  return router;
}

function secure(res: Response): Response {
  return res.set({ 'Content-Security-Policy': DOCS_CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
}

/**
 * The start-up script: loads `specUrl`; the online validator badge is off (it would call an outside
 * host). BaseLayout, without the standalone top bar: we serve one document, and the top bar's logo
 * carries an inline <style> that the CSP blocks.
 */
export function buildInitializer(specUrl: string): string {
  const url = JSON.stringify(specUrl).replace(/</g, '\\u003c');
  return [
    'window.onload = function () {',
    '  window.ui = SwaggerUIBundle({',
    `    url: ${url},`,
    "    dom_id: '#swagger-ui',",
    '    deepLinking: true,',
    '    validatorUrl: null,',
    '    presets: [SwaggerUIBundle.presets.apis],',
    '    plugins: [SwaggerUIBundle.plugins.DownloadUrl],',
    "    layout: 'BaseLayout'",
    '  });',
    '};',
    '',
  ].join('\n');
}

function buildIndexHtml(assetBase: string, title: string): string {
  const a = (name: string): string => escapeHtml(`${assetBase}${name}`);
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>${escapeHtml(title)}</title>
    <link rel="stylesheet" type="text/css" href="${a('swagger-ui.css')}">
    <link rel="stylesheet" type="text/css" href="${a('index.css')}">
    <link rel="icon" type="image/png" href="${a('favicon-32x32.png')}" sizes="32x32">
    <link rel="icon" type="image/png" href="${a('favicon-16x16.png')}" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${a('swagger-ui-bundle.js')}"></script>
    <script src="${a('swagger-initializer.js')}"></script>
  </body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
