/** `zen whoami`: who the node takes the CLI's credentials for (GET /v2/authentication/me). */
import type { Command } from 'commander';
import { clientCommand, type ClientIo } from '../client-command.js';

interface Me {
  readonly username?: string | null;
  readonly displayName?: string | null;
  readonly email?: string | null;
  readonly groups?: readonly string[];
  readonly roles?: readonly string[];
  readonly tenants?: readonly ({ readonly tenantId?: string } | string)[];
}

export function formatMe(me: Me): string {
  // Under --auth none the node answers for nobody: say so rather than print "null".
  if (me.username === null || me.username === undefined) return 'anonymous (the node does not authenticate callers)\n';
  const list = (items: readonly string[] | undefined) => (items && items.length > 0 ? items.join(', ') : '-');
  const tenants = (me.tenants ?? []).map((t) => (typeof t === 'string' ? t : (t.tenantId ?? '?')));
  const lines = [
    ['username', me.username],
    ['name', me.displayName || '-'],
    ['email', me.email || '-'],
    ['groups', list(me.groups)],
    ['roles', list(me.roles)],
    ['tenants', list(tenants)],
  ];
  return lines.map(([label, value]) => `${`${label}:`.padEnd(10)}${value}\n`).join('');
}

export function registerWhoami(program: Command, io: ClientIo): void {
  clientCommand(program, io, 'whoami', 'print who the node authenticates these credentials as: user, groups, roles, tenants', () => {}, async (client) => {
    const reply = await client.get('/authentication/me');
    return { reply, text: formatMe };
  });
}
