// Benchmark 0: the machine's maximum sustained fork rates with nobody listening, the baseline every
// other storm figure is read against (the issue quotes ~11,000 fork+_exit/s and ~2,800 fork+exec/s).
import { eventsPerChild, runStorm } from '../lib/load.mjs';
import { row } from '../lib/table.mjs';

export async function stormRates({ durationS }) {
  const rows = [];
  const rates = {};
  for (const mode of ['exit', 'exec']) {
    const s = await runStorm({ mode, durationS });
    rates[mode] = s.childrenPerS;
    rows.push(
      row({
        bench: `0. max fork rate, nobody listening (${durationS} s)`,
        metric: mode === 'exec' ? 'fork+exec /bin/true' : 'fork+_exit',
        unit: 'children/s',
        cntop: s.childrenPerS,
        note: `${Math.round(s.childrenPerS * eventsPerChild(mode))} connector events/s; ${s.forkFailures} fork failures; cntop column = the machine here`,
      }),
    );
  }
  return { rows, rates };
}
