/** Disk image formats EC2 ImportImage reads (`DiskContainer.Format`). */
export enum ImportFormat {
  /** Open Virtual Appliance. */
  OVA = 'OVA',
  /** Microsoft Virtual Hard Disk. */
  VHD = 'VHD',
  /** Microsoft Virtual Hard Disk v2. */
  VHDX = 'VHDX',
  /** VMware virtual disk. */
  VMDK = 'VMDK',
  /** Raw disk image. */
  RAW = 'RAW',
}

/** Operating-system platform of an imported VM (`Platform`). */
export enum ImportPlatform {
  /** Linux. */
  LINUX = 'Linux',
  /** Windows. */
  WINDOWS = 'Windows',
}

/** CPU architecture of an imported VM (`Architecture`). */
export enum ImportArchitecture {
  /** 64-bit x86. */
  X86_64 = 'x86_64',
  /** 32-bit x86 (Windows only: Linux imports must be 64-bit). */
  I386 = 'i386',
  /** 64-bit Arm (UEFI only). */
  ARM64 = 'arm64',
}

/** License type of an imported VM (`LicenseType`). */
export enum ImportLicenseType {
  /** License included: AWS provides the Windows license. */
  AWS = 'AWS',
  /** Bring your own license. */
  BYOL = 'BYOL',
}

/** Boot mode of an imported VM (`BootMode`). */
export enum ImportBootMode {
  /** Legacy BIOS. */
  LEGACY_BIOS = 'legacy-bios',
  /** UEFI. */
  UEFI = 'uefi',
}
