/**
 * The ESC simulator: a NETCONF-over-SSH server that behaves as the Cisco ESC NETCONF API guide
 * describes, for tests, benchmarks and demos without an ESC.
 */
export { startSimulator, SIMULATOR_CAPABILITIES, ZERO_DELAYS } from './simulator';
export { REALISTIC_DELAYS } from './delay-presets';
export * from './simulator-types';
