export * from './xml-element';
export * from './xml-parser';
export * from './xml-writer';
