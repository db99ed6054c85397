/** Disk image header parsers: pure functions on the first (and sometimes last) bytes of an image. */
export * from './detect-format';
export * from './image-info';
export * from './inspect-image';
export * from './ova';
export * from './qcow2';
export * from './raw';
export * from './raw-tar-gz';
export * from './tar';
export * from './vdi';
export * from './vhd';
export * from './vhdx';
export * from './vmdk';
