import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('job heartbeat settings', () => {
  it('default to a heartbeat every 10 s and a 40 s timeout', () => {
    expect(loadConfig({}).jobHeartbeat).toEqual({ intervalSeconds: 10, timeoutSeconds: 40 });
  });

  it('read JOB_HEARTBEAT_SECONDS and JOB_HEARTBEAT_TIMEOUT_SECONDS', () => {
    const config = loadConfig({ JOB_HEARTBEAT_SECONDS: '1', JOB_HEARTBEAT_TIMEOUT_SECONDS: '10' });
    expect(config.jobHeartbeat).toEqual({ intervalSeconds: 1, timeoutSeconds: 10 });
  });

  it('refuse a timeout under 10 s or shorter than three heartbeats', () => {
    expect(() => loadConfig({ JOB_HEARTBEAT_TIMEOUT_SECONDS: '5' })).toThrow(ConfigError);
    try {
      loadConfig({ JOB_HEARTBEAT_SECONDS: '20', JOB_HEARTBEAT_TIMEOUT_SECONDS: '40' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'JOB_HEARTBEAT_TIMEOUT_SECONDS: must be at least 3 × JOB_HEARTBEAT_SECONDS (60), so a live job survives two missed heartbeats',
      ]);
    }
  });
});
