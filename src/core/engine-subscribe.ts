// The engine's first step: subscribe to the connector (LISTEN) before anything reads /proc, or
// decide, in words a user can act on, why the engine must poll instead.
import { describeConnectorError } from './engine-options.js';
import type { ConnectorError, EventBatch, EventSource, StartInfo } from './event-source.js';
import { ownPidNamespace } from './proc/namespace.js';
import { err, ok, type Result } from './types.js';

export interface Subscription {
  readonly source: EventSource;
  readonly startInfo: StartInfo;
}

/**
 * Starts the source, delivering batches to onBatch from then on. Returns the polling reason when the
 * source is an error, fails to start (it is closed then), throws, or would report pids of another
 * PID namespace than procRoot's.
 */
export async function subscribe(
  source: Result<EventSource, ConnectorError>,
  procRoot: string,
  onBatch: (batch: EventBatch) => void,
): Promise<Result<Subscription, string>> {
  if (!source.ok) return err(describeConnectorError(source.error));
  if (ownPidNamespace(procRoot) === 'other') {
    // Events would name host pids that this /proc cannot show: never mix them into the model.
    source.value.close();
    return err(
      'cntop runs in a non-initial PID namespace (a container): the kernel reports host pids, which this /proc cannot show',
    );
  }
  let started: Result<StartInfo, ConnectorError>;
  try {
    started = await source.value.start(onBatch);
  } catch (error) {
    started = err({ kind: 'io', syscall: 'start', errno: 0, code: String(error) });
  }
  if (!started.ok) {
    source.value.close();
    return err(describeConnectorError(started.error));
  }
  return ok({ source: source.value, startInfo: started.value });
}
