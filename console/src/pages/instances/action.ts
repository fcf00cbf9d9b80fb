/** One user action against the API at a time: its pending state, its error, and what it did. */
import { useState } from 'preact/hooks';

export interface Action {
  readonly pending: boolean;
  readonly error: Error | undefined;
  readonly done: string | undefined;
  run(what: () => Promise<unknown>, done: string): Promise<boolean>;
  reset(): void;
}

export function useAction(after?: () => void): Action {
  const [state, setState] = useState<{ pending: boolean; error?: Error; done?: string }>({ pending: false });
  return {
    ...state,
    error: state.error,
    done: state.done,
    async run(what, done) {
      setState({ pending: true });
      try {
        await what();
        setState({ pending: false, done });
        after?.();
        return true;
      } catch (err) {
        setState({ pending: false, error: err instanceof Error ? err : new Error(String(err)) });
        return false;
      }
    },
    reset: () => setState({ pending: false }),
  };
}
