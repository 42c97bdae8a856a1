import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * WEB_CONCURRENCY > 1: the workers share one port, so a scrape reaches any one of them. The
 * worker that gets it asks the primary, which gathers every worker's registry over the cluster's
 * IPC channel and sums them (prom-client's AggregatorRegistry; gauges read from the database
 * take the maximum, since every worker reads the same rows): one scrape, the whole server.
 * docs/DECISIONS.md says why this rather than one answer per worker.
 */
const REQUEST = 'motcua:metrics-request';
const ANSWER = 'motcua:metrics-answer';
const TIMEOUT_MS = 5_000;

interface Request {
  type: typeof REQUEST;
  id: string;
}
interface Answer {
  type: typeof ANSWER;
  id: string;
  text?: string;
  error?: string;
}

/** In the primary: answers a worker's request with the metrics of all workers. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: Request | undefined) => {
    if (message?.type !== REQUEST) return;
    const reply = (answer: Omit<Answer, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: ANSWER, id: message.id, ...answer });
    };
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (err: Error) => reply({ error: err.message }),
    );
  });
}

/** In a worker: lets the primary read this registry; the returned function reads everyone's. */
export function joinClusterMetrics(registry: Registry): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry(); // installs this worker's answer to the primary's requests
  const pending = new Map<string, (answer: Answer) => void>();
  process.on('message', (message: Answer | undefined) => {
    if (message?.type === ANSWER) pending.get(message.id)?.(message);
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = randomUUID();
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('the primary did not gather the metrics in time'));
      }, TIMEOUT_MS);
      pending.set(id, (answer) => {
        clearTimeout(timer);
        pending.delete(id);
        if (answer.text !== undefined) resolve(answer.text);
        else reject(new Error(answer.error ?? 'no metrics'));
      });
      process.send!({ type: REQUEST, id } satisfies Request);
    });
}
