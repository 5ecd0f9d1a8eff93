// One AckMonitor for a whole describe block: opened before its tests (a block that cannot open one
// fails rather than checks nothing) and closed after them, which sends the monitor's own IGNORE.
import { afterAll, beforeAll } from 'vitest';
import { openAckMonitor, type AckMonitor } from './ack-monitor.js';

/** Call inside describe(); the returned function gives the open monitor inside its tests. */
export function ackMonitorForSuite(): () => AckMonitor {
  let monitor: AckMonitor | null = null;
  beforeAll(() => {
    const opened = openAckMonitor();
    if (!opened.ok) throw new Error(`ack monitor unavailable: ${opened.reason}`);
    monitor = opened.monitor;
  });
  afterAll(() => monitor?.close());
  return () => {
    if (monitor === null) throw new Error('the ack monitor is open only while its describe block runs');
    return monitor;
  };
}
