import { describe, expect, it } from 'vitest';
import { REPEAT_WARNING_MS, WarnThrottle } from '../../../src/security/oidc/warn-throttle.js';
import { RecordingLogger } from '../../support/recording-logger.js';

describe('WarnThrottle', () => {
  it('logs the first warning, a changed reason at once, the same one again after a minute', () => {
    let now = 0;
    const logger = new RecordingLogger();
    const throttle = new WarnThrottle(logger, () => now);
    throttle.warn({ n: 1 }, 'issuer down', 'ECONNREFUSED');
    now = 10_000;
    throttle.warn({ n: 2 }, 'issuer down', 'ECONNREFUSED');
    throttle.warn({ n: 3 }, 'issuer down', 'HTTP 503');
    now = 10_000 + REPEAT_WARNING_MS;
    throttle.warn({ n: 4 }, 'issuer down', 'HTTP 503');
    expect(logger.at('warn').map((l) => l.obj)).toEqual([{ n: 1 }, { n: 3 }, { n: 4 }]);
  });
});
