/** imageport on Alibaba Cloud with Pulumi: the ECS image service roles, an export bucket, ImageExport and ImageImport. */
export * from './service-role';
export * from './image-export-role';
export * from './image-import-role';
export * from './export-bucket';
export * from './image-export';
export * from './image-import';
