import type { ServiceConfig } from '../config/config-schema';
import type { Log } from '../logging/log';
import type { Metrics } from '../metrics';
import { MsbRegistrar, resolveAdvertiseAddress } from '../msb';

/**
 * Starts keeping the service registered in MSB when MSB_URL is set and MSB_REGISTER is yes; returns
 * undefined otherwise. `boundPort` is the port the server listens on: it is advertised unless
 * SERVICE_PORT says otherwise. Throws AdvertiseAddressError when there is no address to advertise.
 */
export function startMsbRegistration(config: ServiceConfig, boundPort: number, log: Log, metrics?: Metrics): MsbRegistrar | undefined {
  if (!config.msbUrl || !config.msbRegister) {
    metrics?.msbRegistered.set(0);
    return undefined;
  }
  // The loader defaults SERVICE_PORT to PORT; with PORT=0 only the bound port means anything.
  const servicePort = config.servicePort === config.port ? boundPort : config.servicePort;
  const { ip, port } = resolveAdvertiseAddress({ serviceIp: config.serviceIp, servicePort, port: boundPort });
  const registrar = new MsbRegistrar({
    msbUrl: config.msbUrl,
    serviceName: config.vnfmType,
    ip,
    port,
    httpTimeoutMs: config.httpTimeoutMs,
    retry: { initialMs: config.msbRetryInitialMs, maxMs: config.msbRetryMaxMs },
    checkIntervalMs: config.msbCheckIntervalMs,
    log,
    metrics,
  });
  registrar.start();
  return registrar;
}
