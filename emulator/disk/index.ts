/** Disk-image writers and the format sniffer shared by every cloud of the emulator. */
export * from './boot-sector';
export * from './build-disk-image';
export * from './disk-image-layout';
export * from './qcow2-image';
export * from './raw-image';
export * from './raw-tar-gz-image';
export * from './sniff-disk-image';
export * from './vdi-image';
export * from './vhd-dynamic-image';
export * from './vmdk-stream-image';
