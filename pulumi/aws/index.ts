/** imageport on AWS with Pulumi: the VM Import/Export role, a hardened export bucket, ImageExport and ImageImport. */
export * from './vm-import-role';
export * from './export-bucket';
export * from './image-export';
export * from './image-import';
