import fs from 'node:fs';
import path from 'node:path';
import { VesCaFileError, VesCollectorClient, VesDeliveryError } from '../../../src/ves/ves-collector-client';
import { toVesEvent } from '../../../src/ves/ves-event-mapper';
import { startFakeVesCollector, type FakeVesCollector } from '../../support/fake-ves-collector';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'ves');
const CA_FILE = path.join(FIXTURES, 'collector-cert.pem');

const event = toVesEvent(
  {
    kind: 'notification',
    sourceName: 'vnf-1',
    eventSourceType: 'VNF',
    vnfInstanceId: 'vnf-1',
    vnfType: 'vFW',
    changeType: 'scaleIn',
    changeIdentifier: 'dep-1',
    eventTimeMs: 1_700_000_000_000,
    details: {},
  },
  { eventId: 'e-1', sequence: 1, reportingEntityName: 'ciscovnfmdriver', reportedAtMs: 1_700_000_000_000 },
);

describe('the VES collector client over HTTPS', () => {
  let collector: FakeVesCollector;
  const client = (extra: { caFile?: string; tlsInsecure?: boolean }): VesCollectorClient =>
    new VesCollectorClient({ baseUrl: collector.url, user: 'u', password: 'p-secret', timeoutMs: 5000, ...extra });

  beforeAll(async () => {
    collector = await startFakeVesCollector({
      user: 'u',
      password: 'p-secret',
      tls: { key: fs.readFileSync(path.join(FIXTURES, 'collector-key.pem')), cert: fs.readFileSync(CA_FILE) },
    });
  });
  afterAll(async () => {
    await collector.stop();
  });

  it('when VES_CA_FILE holds the collector certificate, then the event is delivered', async () => {
    await client({ caFile: CA_FILE }).post([event]);
    expect(collector.events.at(-1)?.commonEventHeader.eventId).toBe('e-1');
  });

  it('when the certificate is not trusted, then the POST fails as retryable; VES_TLS_INSECURE accepts it', async () => {
    const err = await client({})
      .post([event])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VesDeliveryError);
    expect((err as VesDeliveryError).permanent).toBe(false);
    expect((err as Error).message).toMatch(/connection failed: .*(SELF_SIGNED|self-signed)/i);
    const before = collector.events.length;
    await client({ tlsInsecure: true }).post([event, event]);
    expect(collector.events.length).toBe(before + 2);
    expect(collector.requests.at(-1)?.path).toBe('/eventListener/v7/eventBatch');
  });

  it('when VES_CA_FILE cannot be read, then the client is not made and the error names the file', () => {
    expect(() => client({ caFile: path.join(FIXTURES, 'missing.pem') })).toThrow(VesCaFileError);
    expect(() => client({ caFile: path.join(FIXTURES, 'missing.pem') })).toThrow(/missing\.pem/);
  });

  it('when the collector answers 4xx, then only 408 and 429 are worth another attempt', () => {
    const permanent = [400, 401, 403, 404, 408, 429, 500, 503].map((s) => new VesDeliveryError('x', 'u', s, undefined).permanent);
    expect(permanent).toEqual([true, false, false, false, false, false, false, false]);
  });
});
