import http from 'node:http';

/**
 * Reads a server-sent event stream as a display would, calling `onData` with each event's parsed
 * data; resolves, with the function that closes it, once the server has answered 200. Its own
 * connection (no agent), so a hundred of them are a hundred sockets.
 */
export function openEventStream(url: string, onData: (data: any) => void): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          if (data) onData(JSON.parse(data));
        }
      });
      resolve(() => req.destroy());
    });
    req.on('error', (err) => {
      if (!req.destroyed) reject(err);
    });
  });
}
