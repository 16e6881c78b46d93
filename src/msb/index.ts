export { MsbRegistrar, type MsbRegistrarOptions } from './msb-registrar';
export { resolveAdvertiseAddress, AdvertiseAddressError } from './advertise-address';
