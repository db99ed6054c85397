export * from './export-format';
export * from './image-export';
export * from './image-export-bucket';
export * from './image-import';
export * from './import-disk';
export * from './import-options';
export * from './vm-import-role';
export * from './wait-strategy';
