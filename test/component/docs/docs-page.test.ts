import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { DOCS_CSP } from '../../../src/api/docs-router';
import { at } from '../../support/http-service';
import { waitFor } from '../../support/waiting';
import { startStandaloneService, type StandaloneService } from '../standalone/standalone-service';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BASE = '/api/ciscovnfmdriver/v1';
const SPEC_FILE = path.join(__dirname, '..', '..', '..', 'swagger', 'northbound.openapi.json');
/** Flags that keep Chromium off the network: it must only talk to the test server. */
const OFFLINE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const canRun = fs.existsSync(CHROMIUM) || process.env.CI === 'true';
if (!canRun) {
  process.stderr.write(`docs-page test skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH; never skipped under CI=true)\n`);
}
/** The part of a DOM element the page checks read. */
interface PageElement {
  querySelector(selector: string): { textContent: string | null; getAttribute(name: string): string | null } | null;
}

const describeWithBrowser = canRun ? describe : describe.skip;

describeWithBrowser('API docs page in a headless browser', () => {
  const spec = JSON.parse(fs.readFileSync(SPEC_FILE, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  let service: StandaloneService;
  let origin: string;
  let browser: BrowserContext;
  let profileDir: string;

  beforeAll(async () => {
    // The service as `npm start` runs it without MSB_URL (standalone mode), so that the page's examples can run.
    service = await startStandaloneService();
    origin = service.service.url;
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-page-chromium-'));
    // A persistent context is how Playwright takes a fresh --user-data-dir of our own.
    browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: OFFLINE_FLAGS,
      timeout: 20_000,
    });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    fs.rmSync(profileDir, { recursive: true, force: true });
  });

  it('when the docs page is opened, then every operation is listed, no CSP is violated and only 127.0.0.1 is contacted', async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));

    const res = await page.goto(`${origin}${BASE}/docs`, { timeout: 15_000 });
    await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
    // Typed by hand: the project's TypeScript library has no DOM types.
    const shown = await page.locator('.opblock').evaluateAll((blocks: PageElement[]) =>
      blocks.map((b) => {
        const method = b.querySelector('.opblock-summary-method')?.textContent ?? '';
        const p = b.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
        return `${method.toLowerCase()} ${p}`;
      }),
    );
    await page.close();

    const expected = Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(res?.headers()['content-security-policy']).toBe(DOCS_CSP);
    expect(shown.sort()).toEqual(expected.sort());
    expect(shown).toContain('post /api/{vnfmtype}/v1/{vnfmid}/vnfs');
    expect(problems).toEqual([]);
    const foreign = requested.filter((u) => !u.startsWith('data:') && new URL(u).hostname !== '127.0.0.1');
    expect(foreign).toEqual([]);
    expect(requested).toContain(`${origin}${BASE}/swagger.json`);
  }, 40_000);

  it('when a file of the package outside the page assets is asked for, then it is not served', async () => {
    const res = await fetch(`${origin}${BASE}/docs/oauth2-redirect.html`);
    const initializer = await (await fetch(`${origin}${BASE}/docs/swagger-initializer.js`)).text();

    expect(res.status).toBe(404);
    expect(initializer).toContain(`"${BASE}/swagger.json"`);
    expect(initializer).not.toContain('petstore');
  });

  it('when the instantiate example is sent as it stands with Try it out, then the VNF is created and its job finishes', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${origin}${BASE}/docs`, { timeout: 15_000 });
    const op = page.locator('#operations-lifecycle-instantiateVnf');
    await op.locator('.opblock-summary').click({ timeout: 15_000 });
    await op.locator('.try-out__btn').click();
    // The path parameters get the document's examples; the body is the example the page shows, untouched.
    for (const name of ['vnfmtype', 'vnfmid']) {
      await op.locator(`tr[data-param-name="${name}"] input`).fill(String(at(spec, 'components', 'parameters', name, 'example')));
    }
    const shownBody = await op.locator('textarea.body-param__text').inputValue();
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/vnfs'), { timeout: 15_000 });
    await op.locator('button.execute').click();
    const res = await answered;
    const sent = res.request().postData();
    const created = (await res.json()) as { jobId: string; vnfInstanceId: string };
    await page.close();

    const example = at(spec, 'paths', '/api/{vnfmtype}/v1/{vnfmid}/vnfs', 'post', 'requestBody', 'content', 'application/json', 'example');
    expect(JSON.parse(shownBody)).toEqual(example);
    expect(JSON.parse(sent ?? 'null')).toEqual(example);
    expect(res.url()).toBe(`${origin}${BASE}/standalone-esc/vnfs`);
    expect(res.status()).toBe(201);
    expect(problems).toEqual([]);
    let status = '';
    await waitFor(async () => {
      const res = await fetch(`${origin}${BASE}/standalone-esc/jobs/${created.jobId}`);
      const job = (await res.json()) as { responseDescriptor: { status: string } };
      status = job.responseDescriptor.status;
      return status === 'finished' || status === 'error';
    }, 60_000);
    expect(status).toBe('finished');
    const vnf = await fetch(`${origin}${BASE}/standalone-esc/vnfs/${created.vnfInstanceId}`);
    expect(vnf.status).toBe(200);
  }, 90_000);
});
