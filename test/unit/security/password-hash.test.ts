import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, hashPassword, isPasswordHash, verifyPassword } from '../../../src/security/password-hash.js';

const FAST = { ln: 4, r: 8, p: 1 };

describe('password hashes', () => {
  it('are PHC strings naming scrypt and its parameters, with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse', FAST);
    const b = await hashPassword('correct horse', FAST);
    expect(a).toMatch(/^\$scrypt\$ln=4,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
    expect(isPasswordHash(a)).toBe(true);
  });

  it('verify the password they were made from and nothing else', async () => {
    const stored = await hashPassword('pässword:with colon', FAST);
    expect(await verifyPassword('pässword:with colon', stored)).toBe(true);
    expect(await verifyPassword('pässword:with colon ', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('treat the same text in another Unicode form as the same password', async () => {
    const stored = await hashPassword('caf\u00e9', FAST);
    expect(await verifyPassword('cafe\u0301', stored)).toBe(true);
  });

  it('refuse malformed or outrageous stored strings instead of verifying against them', async () => {
    expect(await verifyPassword('x', 'plain text')).toBe(false);
    expect(isPasswordHash('$scrypt$ln=30,r=8,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA')).toBe(false);
    expect(isPasswordHash('$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA')).toBe(false);
  });

  it('default to one of the OWASP settings for scrypt', async () => {
    expect(DEFAULT_SCRYPT).toEqual({ ln: 15, r: 8, p: 3 });
    const stored = await hashPassword('slow on purpose');
    expect(stored.startsWith('$scrypt$ln=15,r=8,p=3$')).toBe(true);
    expect(await verifyPassword('slow on purpose', stored)).toBe(true);
  });
});
