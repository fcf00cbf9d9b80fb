/**
 * Taking a backup of the whole cluster from the Cluster page: offered with SYSTEM UPDATE, and
 * only after the user confirmed the id (ids must grow, and a backup copies every partition).
 * The node answers once the request is recorded; the list above then shows its progress.
 */
import { useState } from 'preact/hooks';
import { ErrorNotice } from '../../shell/page';
import { Permitted } from '../../shell/permitted';
import { parseBackupId, takeBackup } from './backups-data';

export function TakeBackup({ suggested, onTaken }: { readonly suggested: number; readonly onTaken: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [text, setText] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [taken, setTaken] = useState<number | null>(null);
  const id = parseBackupId(text);

  const start = () => {
    setText(String(suggested));
    setError(null);
    setTaken(null);
    setConfirming(true);
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    if (id === null) return;
    setPending(true);
    setError(null);
    try {
      await takeBackup(id);
      setTaken(id);
      setConfirming(false);
      onTaken();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setPending(false);
    }
  };

  return (
    <Permitted resourceType="SYSTEM" permission="UPDATE" what="Taking a backup">
      <div class="take-backup">
        {confirming ? null : (
          <button type="button" onClick={start}>
            Take a backup…
          </button>
        )}
        {confirming ? (
          <form class="notice" aria-label="Confirm the backup" onSubmit={(e) => void submit(e)} noValidate>
            <p>Every partition of the cluster is copied into the backup store, under an id greater than every id requested before.</p>
            <div class="field">
              <label for="backup-id">Backup id</label>
              <input
                id="backup-id"
                inputMode="numeric"
                value={text}
                aria-invalid={id === null}
                aria-describedby={id === null ? 'backup-id-error' : undefined}
                onInput={(e) => setText((e.target as HTMLInputElement).value)}
              />
              {id === null ? (
                <p id="backup-id-error" class="field-error">
                  A backup id is a whole number from 1.
                </p>
              ) : null}
            </div>
            <div class="actions">
              <button type="submit" class="primary" disabled={pending || id === null}>
                {id === null ? 'Take the backup' : `Take backup ${id}`}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </div>
          </form>
        ) : null}
        {taken !== null ? (
          <p class="notice" role="status">
            Backup {taken} requested: every partition's leader is taking its part now.
          </p>
        ) : null}
        {error ? <ErrorNotice error={error} what="The backup could not be requested." /> : null}
      </div>
    </Permitted>
  );
}
