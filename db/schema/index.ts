export * from './persons';
export * from './relations';
export * from './cases';
export * from './calendar';
