export * from './persons';
export * from './relations';
export * from './cases';
export * from './calendar';
export * from './agencies';
export * from './transfers';
export * from './accounts';
export * from './parameters';
