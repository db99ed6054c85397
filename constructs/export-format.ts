/** Disk image formats EC2 ExportImage writes (`DiskImageFormat`). */
export enum ExportFormat {
  /** VMware virtual disk (stream-optimized), `.vmdk`. */
  VMDK = 'VMDK',
  /** Raw disk image, `.raw`. */
  RAW = 'RAW',
  /** Microsoft Virtual Hard Disk, `.vhd`. */
  VHD = 'VHD',
}
