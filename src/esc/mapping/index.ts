/** VNF ↔ ESC mapping: pure functions from VF-C requests and VNFDs to ESC data model XML, and back. */
export * from './mapping-errors';
export * from './vnfd-model';
export { parseVnfdModel } from './vnfd-parser';
export { parsePythonLiteral, PythonLiteralError } from './python-literal';
export * from './deployment-naming';
export * from './deployment-inputs';
export * from './deployment-mapper';
export * from './vm-group-builder';
export * from './edit-builders';
export * from './esc-namespace';
