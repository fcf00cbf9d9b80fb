import type { ComponentChildren, JSX } from 'preact';
import { followLink, href } from '../lib/router';

type Props = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href'> & { readonly to: string; readonly children?: ComponentChildren };

/** A link inside the console: a real href (new tab, copy, reload work), followed in place on a plain click. */
export function Link({ to, children, ...rest }: Props) {
  return (
    <a {...rest} href={href(to)} onClick={(event) => followLink(event, to)}>
      {children}
    </a>
  );
}
