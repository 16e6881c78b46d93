/**
 * The ESC simulator: a NETCONF-over-SSH server that behaves as the Cisco ESC NETCONF API guide
 * describes, for tests, benchmarks and demos without an ESC.
 */
export { startSimulator } from './simulator';
export * from './simulator-types';
