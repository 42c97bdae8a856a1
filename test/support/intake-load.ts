/**
 * Intakes posted to real server processes through the API, for the durability tests of both
 * engines: one intake, and a load of concurrent ones until told to stop.
 */
export interface IntakeClient {
  token: string;
  body: Record<string, unknown>;
}

export async function postIntake(
  baseUrl: string,
  client: IntakeClient,
): Promise<{ status: number; code?: string; message?: string }> {
  const res = await fetch(`${baseUrl}/api/v1/dossiers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(client.body),
  });
  const body = (await res.json().catch(() => ({}))) as {
    dossier?: { code: string };
    error?: { message?: string };
  };
  return { status: res.status, code: body.dossier?.code, message: body.error?.message };
}

export interface IntakeLoad {
  /** Codes of the intakes answered 201, growing while the load runs. */
  acknowledged: string[];
  statuses: number[];
  messages: string[];
  /** Settles when every loop has stopped. */
  done: Promise<void>;
}

/**
 * `workers` loops posting intakes (spread over `baseUrls`) until `stop()` is true or `max` were
 * sent; the arrays fill while it runs, so a test can wait for the load to be under way.
 */
export function startIntakeLoad(
  baseUrls: string[],
  client: IntakeClient,
  workers: number,
  max: number,
  stop: () => boolean,
): IntakeLoad {
  const acknowledged: string[] = [];
  const statuses: number[] = [];
  const messages: string[] = [];
  let sent = 0;
  const done = Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (!stop() && sent < max) {
        sent++;
        try {
          const r = await postIntake(baseUrls[w % baseUrls.length]!, client);
          statuses.push(r.status);
          if (r.message) messages.push(r.message);
          if (r.status === 201 && r.code) acknowledged.push(r.code);
        } catch {
          return; // the connection died with the server: this request was never acknowledged
        }
      }
    }),
  ).then(() => undefined);
  return { acknowledged, statuses, messages, done };
}

/** startIntakeLoad, waited for to its end. */
export async function loadIntakes(
  baseUrls: string[],
  client: IntakeClient,
  workers: number,
  max: number,
  stop: () => boolean,
) {
  const load = startIntakeLoad(baseUrls, client, workers, max, stop);
  await load.done;
  return load;
}
