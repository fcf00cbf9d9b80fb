/**
 * What a user's fields may hold, as Camunda 8.8's REST gateway checks them: a username of
 * letters, digits and `_~@.+-` (so `:` never splits Basic credentials wrongly), at most 256
 * characters; a password that is not blank; an email that looks like one. Messages name the
 * field and never repeat a password.
 */
import { ZenError } from '../../errors.js';

export const USERNAME_PATTERN = /^[a-zA-Z0-9_~@.+-]+$/;
export const MAX_USERNAME_LENGTH = 256;
const MAX_TEXT_LENGTH = 1024;
/** Long enough for any pass phrase; short enough that scrypt's input stays small. */
export const MAX_PASSWORD_LENGTH = 1024;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function invalid(message: string): ZenError {
  return new ZenError('INVALID_ARGUMENT', message);
}

/** Why a username is not acceptable, or null. */
export function usernameProblem(username: string): string | null {
  if (username.trim() === '') return 'No username provided';
  if (username.length > MAX_USERNAME_LENGTH) return `The username is longer than ${MAX_USERNAME_LENGTH} characters`;
  if (!USERNAME_PATTERN.test(username)) return `The username '${username}' contains illegal characters: it must match ${USERNAME_PATTERN.source}`;
  return null;
}

export function checkUsername(username: unknown, field = 'username'): string {
  if (typeof username !== 'string') throw invalid(`Property '${field}' is required, but it was not given`);
  const problem = usernameProblem(username);
  if (problem) throw invalid(problem);
  return username;
}

export function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || password.trim() === '') throw invalid('No password provided');
  if (password.length > MAX_PASSWORD_LENGTH) throw invalid(`The password is longer than ${MAX_PASSWORD_LENGTH} characters`);
  return password;
}

export function checkName(name: unknown): string {
  if (name === undefined || name === null) return '';
  if (typeof name !== 'string') throw invalid("Property 'name' is invalid: expected a string");
  if (name.length > MAX_TEXT_LENGTH) throw invalid(`Property 'name' is longer than ${MAX_TEXT_LENGTH} characters`);
  return name;
}

export function checkEmail(email: unknown): string {
  if (email === undefined || email === null || email === '') return '';
  if (typeof email !== 'string') throw invalid("Property 'email' is invalid: expected a string");
  if (email.length > MAX_TEXT_LENGTH || !EMAIL.test(email)) throw invalid(`The provided email '${email.slice(0, 100)}' is not valid`);
  return email;
}
