/** A `.cpuprofile` summed by place (package, source folder, V8) and by function, printed. */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** Where a function lives: a package, a folder of ours, Node.js itself, or V8's own work. */
function placeOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const ours = /\/dist\/(src\/[^/]+|bench)\//.exec(url);
  return ours ? ours[1]! : url;
}

export function summarise(file: string, top = 25) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  );
  const total = [...self.entries()]
    .filter(([id]) => byId.get(id)!.callFrame.functionName !== '(idle)')
    .reduce((sum, [, t]) => sum + t, 0);
  const places = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, t] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const place = placeOf(url, functionName);
    places.set(place, (places.get(place) ?? 0) + t);
    const key = `${functionName || '(anonymous)'} ${place}:${lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + t);
  }
  const show = (title: string, map: Map<string, number>) => {
    console.log(`\n${title} (share of the busy CPU time, ${(total / 1e6).toFixed(1)} s)`);
    for (const [k, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`${((100 * t) / total).toFixed(1).padStart(6)} %  ${k}`);
  };
  show('Self time by place', places);
  show('Busiest functions (self time)', functions);
}
