export { MsbRegistrar, type MsbRegistrarOptions } from './msb-registrar';
export { MsbClient, MsbError, buildRegistration, MSB_SERVICES_PATH, type MsbNode, type MsbServiceRegistration } from './msb-client';
export { firstExternalIpv4, resolveAdvertiseAddress, AdvertiseAddressError, type InterfaceTable } from './advertise-address';
