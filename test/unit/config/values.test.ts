import { describe, expect, it } from 'vitest';
import { byteSize, duration, formatByteSize, formatDuration, hostAddress, integer, integerOrAuto, oneOf, port, urlGroups } from '../../../src/config/values.js';

describe('byteSize', () => {
  const size = byteSize(1, 1024 ** 3);

  it.each([
    ['4MB', 4 * 1024 ** 2],
    ['4mb', 4 * 1024 ** 2],
    ['4 MB', 4 * 1024 ** 2],
    ['512KB', 512 * 1024],
    ['1GB', 1024 ** 3],
    ['1000', 1000],
    ['1000B', 1000],
    [' 64kb ', 64 * 1024],
    [2048, 2048],
  ])('reads %j as %d bytes', (raw, bytes) => {
    expect(size(raw)).toEqual({ ok: true, value: bytes });
  });

  it.each(['4.5MB', '4M', 'MB', '', 'four', '4TB', true, null, 1.5])('rejects %j', (raw) => {
    expect(size(raw).ok).toBe(false);
  });

  it('says "must not be negative" for negative sizes', () => {
    expect(size('-1')).toEqual({ ok: false, rule: 'must not be negative' });
    expect(size(-1)).toEqual({ ok: false, rule: 'must not be negative' });
  });
});

describe('formatByteSize', () => {
  it('uses the largest exact unit', () => {
    expect([formatByteSize(4 * 1024 ** 2), formatByteSize(1536), formatByteSize(1000), formatByteSize(1024 ** 3)]).toEqual([
      '4MB',
      '1536B',
      '1000B',
      '1GB',
    ]);
  });
});

describe('integer and port', () => {
  it('accepts integer strings and numbers only', () => {
    expect(integer(1, 10)('7')).toEqual({ ok: true, value: 7 });
    expect(integer(1, 10)(7)).toEqual({ ok: true, value: 7 });
    for (const bad of ['7.0', '0x7', '7a', '', ' ', 7.5, Number.NaN, Infinity, '99999999999999999999']) {
      expect(integer(1, 10)(bad).ok, String(bad)).toBe(false);
    }
  });

  it('accepts 0 and 65535 as ports, not 65536', () => {
    expect(port('0')).toEqual({ ok: true, value: 0 });
    expect(port(65535)).toEqual({ ok: true, value: 65535 });
    expect(port(65536).ok).toBe(false);
  });
});

describe('integerOrAuto', () => {
  const gap = integerOrAuto(0, 1000);

  it('takes auto in any case, or an integer in range', () => {
    expect(gap('auto')).toEqual({ ok: true, value: 'auto' });
    expect(gap(' AUTO ')).toEqual({ ok: true, value: 'auto' });
    expect(gap('20')).toEqual({ ok: true, value: 20 });
    expect(gap(0)).toEqual({ ok: true, value: 0 });
  });

  it('names both choices when it refuses', () => {
    for (const bad of ['automatic', '', '1001', -1, 2.5, true]) {
      expect(gap(bad), String(bad)).toEqual({ ok: false, rule: 'must be auto or an integer from 0 to 1000' });
    }
  });
});

describe('oneOf', () => {
  it('normalises case and rejects non-strings', () => {
    const level = oneOf(['info', 'warn'] as const);
    expect(level(' WARN ')).toEqual({ ok: true, value: 'warn' });
    expect(level(1).ok).toBe(false);
  });
});

describe('hostAddress', () => {
  it.each(['0.0.0.0', '127.0.0.1', '::', '::1', 'localhost', 'zen-0.zen.svc', 'zen_node'])('accepts %s', (h) => {
    expect(hostAddress(h).ok).toBe(true);
  });
  it.each(['', 'a b', 'http://x', '-bad', 'x..y'])('rejects %j', (h) => {
    expect(hostAddress(h).ok).toBe(false);
  });
});

describe('urlGroups (etcd clusters, each a list of endpoints)', () => {
  it.each([
    ['http://a:1', [['http://a:1']]],
    ['http://a:1,http://a:2;http://b:1', [['http://a:1', 'http://a:2'], ['http://b:1']]],
    [' http://a:1 ; ; http://b:1 ;', [['http://a:1'], ['http://b:1']]],
    ['', []],
    [[], []],
    [['http://a:1,http://a:2', ['http://b:1', 'https://b:2']], [['http://a:1', 'http://a:2'], ['http://b:1', 'https://b:2']]],
  ])('reads %j', (raw, groups) => {
    expect(urlGroups(raw)).toEqual({ ok: true, value: groups });
  });

  it('names the URL that is not http(s)', () => {
    expect(urlGroups('http://a:1;b:2')).toEqual({ ok: false, rule: 'must list http:// or https:// URLs, not "b:2"' });
  });

  it('refuses one endpoint in two clusters, however it is spelled', () => {
    expect(urlGroups('http://a:1;http://b:1,http://a:1/')).toEqual({
      ok: false,
      rule: 'must list each URL in one etcd cluster only, but "http://a:1/" is in clusters 1 and 2',
    });
  });

  it.each([42, true, [42], [['http://a:1', 7]], { a: 'http://a:1' }])('rejects %j', (raw) => {
    expect(urlGroups(raw).ok).toBe(false);
  });
});

describe('duration', () => {
  const parse = duration(365 * 86_400_000);

  it.each([
    ['7d', 7 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['1h30m', 90 * 60_000],
    [' 90S ', 90_000],
    ['500ms', 500],
    ['0', 0],
    ['off', 0],
    [0, 0],
    [86_400_000, 86_400_000],
  ])('reads %j as %d ms', (raw, ms) => {
    expect(parse(raw)).toEqual({ ok: true, value: ms });
  });

  it.each(['7', -1, 1.5, '1.5h', 'd', '', '-1d', '7 days', true, null])('rejects %j', (raw) => {
    expect(parse(raw).ok).toBe(false);
  });

  it('names the maximum', () => {
    expect(parse('366d')).toEqual({ ok: false, rule: 'must be at most 365d' });
  });

  it('formats back in the largest exact unit', () => {
    expect([formatDuration(7 * 86_400_000), formatDuration(90 * 60_000), formatDuration(1500), formatDuration(0)]).toEqual(['7d', '90m', '1500ms', 'off']);
  });
});
