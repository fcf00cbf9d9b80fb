import { resolve } from 'node:path';
import type { ZenConfig } from '../config/types.js';
import { FsBackupStore } from './fs-store.js';
import { S3BackupStore } from './s3-store.js';
import type { BackupStore } from './store.js';

type StoreConfig = Pick<ZenConfig, 'backupStore' | 'backupDir' | 'backupS3Bucket' | 'backupS3Endpoint' | 'backupS3Region'>;

/** The configured store, or null with `--backup-store none`. */
export function openBackupStore(config: StoreConfig): BackupStore | null {
  switch (config.backupStore) {
    case 'fs':
      return new FsBackupStore(resolve(config.backupDir));
    case 's3':
      return new S3BackupStore({ bucket: config.backupS3Bucket, endpoint: config.backupS3Endpoint, region: config.backupS3Region });
    case 'none':
      return null;
  }
}
