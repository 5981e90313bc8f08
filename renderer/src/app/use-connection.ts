/**
 * Whether the core answers: a cheap contract call (getAppInfo) every couple of seconds, judged
 * unreachable when the bridge says so or no answer comes in time. The event stream alone cannot
 * tell: a quiet core and a dead one send the same nothing.
 */
import { useEffect, useState } from 'react';
import { bridge } from '../shared/entente.js';
import type { Connection } from './ConnectionStatus.js';

/** How often the core is asked, and how long an answer may take before it counts as lost. */
export const HEARTBEAT_MS = 2000;
export const ANSWER_WITHIN_MS = 3000;

async function ask(): Promise<Connection> {
  try {
    const answer = await Promise.race([
      bridge().getAppInfo({}),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), ANSWER_WITHIN_MS)),
    ]);
    if (answer === null) return { state: 'unreachable', since: new Date().toISOString() };
    if (!answer.ok) return answer.error.code === 'unavailable' ? { state: 'unreachable', since: new Date().toISOString() } : { state: 'connected', version: '?' };
    return { state: 'connected', version: answer.value.version };
  } catch {
    return { state: 'unreachable', since: new Date().toISOString() };
  }
}

export function useConnection(): Connection {
  const [connection, setConnection] = useState<Connection>({ state: 'connecting' });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const beat = async () => {
      const next = await ask();
      if (stopped) return;
      // Keep the first moment it was lost, so the header can say for how long.
      setConnection((current) => (next.state === 'unreachable' && current.state === 'unreachable' ? current : next));
      timer = setTimeout(() => void beat(), HEARTBEAT_MS);
    };
    void beat();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  return connection;
}
