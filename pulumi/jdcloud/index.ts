/**
 * imageport on JD Cloud with Pulumi. JD Cloud has no Pulumi provider: the service role, policy, attachment and bucket
 * are dynamic resources, wrapped by the ImageExportRole and ExportBucket components; ImageExport and ImageImport.
 */
export * from './service-role';
export * from './policy';
export * from './role-policy-attachment';
export * from './bucket';
export * from './image-export-role';
export * from './export-bucket';
export * from './image-export';
export * from './image-import';
