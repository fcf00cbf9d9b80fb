import type { ComponentChildren } from 'preact';

/**
 * The box every wide table sits in: it scrolls sideways on a narrow screen, so it is a labelled
 * region the keyboard can reach and scroll.
 */
export function TableWrap({ label, children }: { readonly label: string; readonly children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
