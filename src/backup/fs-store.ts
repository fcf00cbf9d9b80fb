/**
 * Backups in a directory (`--backup-store fs --backup-dir PATH`): `<dir>/<backupId>/<name>`.
 * Every object is written under a temporary name and renamed into place, so a reader never
 * sees half an object, and a manifest is replaced whole. The directory may be a mounted
 * network file system shared by all nodes; a local directory serves a single node.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FileEntry } from './manifest.js';
import { corruptFile, type BackupStore } from './store.js';
import { writeHashed } from './file-hash.js';

const ID_DIR = /^\d+$/;

export class FsBackupStore implements BackupStore {
  constructor(private readonly root: string) {}

  get description(): string {
    return `directory ${this.root}`;
  }

  private path(backupId: number, name: string): string {
    return join(this.root, String(backupId), ...name.split('/'));
  }

  private static temp(path: string): string {
    return `${path}.${randomBytes(6).toString('hex')}.tmp`;
  }

  async putFile(backupId: number, name: string, localPath: string): Promise<FileEntry> {
    const target = this.path(backupId, name);
    await mkdir(dirname(target), { recursive: true });
    const temp = FsBackupStore.temp(target);
    const digest = await writeHashed(createReadStream(localPath), temp);
    await rename(temp, target);
    return { name, ...digest };
  }

  async getFile(backupId: number, entry: FileEntry, localPath: string): Promise<void> {
    const digest = await writeHashed(createReadStream(this.path(backupId, entry.name)), localPath);
    if (digest.size !== entry.size || digest.sha256 !== entry.sha256) {
      await rm(localPath, { force: true });
      throw corruptFile(backupId, entry, digest);
    }
  }

  async writeManifest(backupId: number, name: string, manifest: unknown): Promise<void> {
    const target = this.path(backupId, name);
    await mkdir(dirname(target), { recursive: true });
    const temp = FsBackupStore.temp(target);
    await writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(temp, target);
  }

  async readManifest(backupId: number, name: string): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(this.path(backupId, name), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return JSON.parse(text) as unknown;
  }

  async listNames(backupId: number): Promise<string[]> {
    const base = join(this.root, String(backupId));
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw err;
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (!entry.name.endsWith('.tmp')) out.push(relative(base, full).split(sep).join('/'));
      }
    };
    await walk(base);
    return out.sort();
  }

  async listBackupIds(): Promise<number[]> {
    let entries;
    try {
      entries = await readdir(this.root, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return entries
      .filter((e) => e.isDirectory() && ID_DIR.test(e.name))
      .map((e) => Number(e.name))
      .sort((a, b) => a - b);
  }

  async deleteObjects(backupId: number, names: readonly string[]): Promise<void> {
    const base = join(this.root, String(backupId));
    for (const name of names) {
      await rm(this.path(backupId, name), { force: true });
      // Folders a file had to itself (partition-N/) go with it; the backup's own folder stays.
      for (let dir = dirname(this.path(backupId, name)); dir !== base && dir.startsWith(base); dir = dirname(dir)) {
        if (!(await rmdir(dir).then(() => true, () => false))) break;
      }
    }
  }
}
