/**
 * Deploy by dropping .bpmn, .dmn and .form files on the panel, or choosing them with the file
 * picker (the keyboard's way in). All files go in one deployment, as Camunda Modeler sends them.
 */
import { useState } from 'preact/hooks';
import { ErrorNotice } from '../../shell/page';
import { Link } from '../../shell/link';
import { deploy, DEPLOYABLE, isDeployable, type Deployed } from './deploy';

type State = { readonly status: 'idle' } | { readonly status: 'deploying'; readonly names: string } | { readonly status: 'done'; readonly deployed: Deployed[] } | { readonly status: 'failed'; readonly error: Error };

export function DeployPanel({ onDeployed }: { readonly onDeployed: () => void }) {
  const [state, setState] = useState<State>({ status: 'idle' });
  const [over, setOver] = useState(false);

  const send = async (files: File[]) => {
    if (files.length === 0) return;
    const refused = files.filter((f) => !isDeployable(f));
    if (refused.length > 0) {
      setState({ status: 'failed', error: new Error(`Only ${DEPLOYABLE.join(', ')} files can be deployed: ${refused.map((f) => f.name).join(', ')}`) });
      return;
    }
    setState({ status: 'deploying', names: files.map((f) => f.name).join(', ') });
    try {
      const deployed = await deploy(files);
      setState({ status: 'done', deployed });
      onDeployed();
    } catch (err) {
      setState({ status: 'failed', error: err as Error });
    }
  };

  return (
    <section class="deploy" aria-labelledby="deploy-title">
      <h2 id="deploy-title">Deploy</h2>
      <div
        class={`drop-zone${over ? ' over' : ''}`}
        data-testid="drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(event) => {
          event.preventDefault();
          setOver(false);
          void send([...(event.dataTransfer?.files ?? [])]);
        }}
      >
        <p>Drop {DEPLOYABLE.join(', ')} files here, or</p>
        <input
          id="deploy-files"
          class="visually-hidden-input"
          type="file"
          multiple
          accept={DEPLOYABLE.join(',')}
          onChange={(event) => {
            const input = event.currentTarget;
            void send([...(input.files ?? [])]);
            input.value = '';
          }}
        />
        <label class="button" for="deploy-files">
          Choose files
        </label>
      </div>
      <div aria-live="polite">
        {state.status === 'deploying' ? <p role="status">Deploying {state.names}…</p> : null}
        {state.status === 'done' ? <DeployedList deployed={state.deployed} /> : null}
      </div>
      {state.status === 'failed' ? <ErrorNotice error={state.error} what="The deployment was refused." /> : null}
    </section>
  );
}

function DeployedList({ deployed }: { readonly deployed: Deployed[] }) {
  return (
    <div class="notice success" role="status">
      <p>Deployed:</p>
      <ul>
        {deployed.map((d) => (
          <li key={d.key}>
            {d.kind} {d.to ? <Link to={d.to}>{d.id}</Link> : <code>{d.id}</code>} version {d.version}
          </li>
        ))}
      </ul>
    </div>
  );
}
