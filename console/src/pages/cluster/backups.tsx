/**
 * The cluster's backups on the Cluster page, and taking one (take-backup.tsx); deleting and
 * restoring stay with the management port and `zen restore` (ADR 015). Read less often than the
 * topology: listing asks the backup store, which may be a bucket far away. The change feed does
 * not see a backup's progress, so this list polls whether the feed is open or not.
 */
import './backups.css';
import { useLive } from '../../lib/live';
import { ErrorNotice, Loading } from '../../shell/page';
import { TableWrap } from '../../shell/table-wrap';
import { getBackups, nextBackupId, takenAt, type Backup } from './backups-data';
import { TakeBackup } from './take-backup';

const BACKUPS_INTERVAL_MS = 5000;

export function Backups() {
  const backups = useLive((signal) => getBackups(signal), [], BACKUPS_INTERVAL_MS, { unseenByFeed: true });
  const list = backups.data;
  return (
    <section class="backups-section">
      <h2>Backups</h2>
      {backups.error ? <ErrorNotice error={backups.error} what="The backups could not be read." /> : null}
      {!list && !backups.error ? <Loading what="the backups" /> : null}
      {list && !list.configured ? (
        <p class="empty">
          Backups are not configured on this node: start every node with <code>--backup-store</code> (a directory or an S3 bucket).
        </p>
      ) : null}
      {list?.configured && list.items.length === 0 ? <p class="empty">No backups yet.</p> : null}
      {list?.configured && list.items.length > 0 ? <BackupTable backups={list.items} /> : null}
      {list?.configured ? <TakeBackup suggested={nextBackupId(list.items)} onTaken={backups.refresh} /> : null}
    </section>
  );
}

function BackupTable({ backups }: { readonly backups: readonly Backup[] }) {
  return (
    <TableWrap label="Backups">
      <table class="data-table backups">
        <thead>
          <tr>
            <th scope="col">Backup</th>
            <th scope="col">State</th>
            <th scope="col">Taken</th>
            <th scope="col">Partitions</th>
          </tr>
        </thead>
        <tbody>
          {backups.map((b) => {
            const taken = takenAt(b);
            return (
              <tr key={b.backupId} data-backup-id={b.backupId}>
                <th scope="row">{b.backupId}</th>
                <td>
                  <span class={`badge backup-${b.state.toLowerCase()}`}>{b.state}</span>
                  {b.failureReason ? <p class="failure">{b.failureReason}</p> : null}
                </td>
                <td>{taken ? <time dateTime={taken}>{new Date(taken).toLocaleString()}</time> : '—'}</td>
                <td>
                  <ul class="backup-partitions" aria-label={`Partitions of backup ${b.backupId}`}>
                    {b.details.map((p) => (
                      <li key={p.partitionId} title={p.failureReason ?? `position ${p.checkpointPosition}, by node ${p.brokerId}`}>
                        Partition {p.partitionId}: <span class={`badge backup-${p.state.toLowerCase()}`}>{p.state}</span>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}
