/** /ui/identity/{users|groups|roles|tenants|mapping-rules|authorizations}: the tabs, and the list the path names. */
import { Link } from '../../shell/link';
import { PageHeader } from '../../shell/page';
import { AuthorizationsList } from './authorizations-list';
import { EntityList } from './entity-list';
import { KINDS, kindOf } from './kinds';
import './identity.css';

const TABS = [...KINDS.map((k) => ({ tab: k.tab, title: k.title })), { tab: 'authorizations', title: 'Authorizations' }];

export function IdentityTabs({ current }: { readonly current: string }) {
  return (
    <nav aria-label="Identity" class="identity-tabs">
      <ul>
        {TABS.map((t) => (
          <li key={t.tab}>
            <Link to={`/identity/${t.tab}`} aria-current={t.tab === current ? 'page' : undefined}>
              {t.title}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function IdentityPage({ tab = 'users' }: { readonly tab?: string }) {
  const kind = kindOf(tab);
  const title = kind ? kind.title : tab === 'authorizations' ? 'Authorizations' : 'Identity';
  return (
    <section>
      <PageHeader title={`Identity: ${title}`} />
      <IdentityTabs current={tab} />
      {kind ? <EntityList key={kind.tab} kind={kind} /> : null}
      {tab === 'authorizations' ? <AuthorizationsList /> : null}
      {!kind && tab !== 'authorizations' ? <p class="empty">No such identity page: {tab}.</p> : null}
    </section>
  );
}
