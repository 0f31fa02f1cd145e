// Sync with the school server, as the mock backend plays it: the status the core reports, the
// school's devices, and linking codes with a QR code. Only what the screens need to be walked
// and tested; the protocol itself is tested in Rust.
import type { DeviceView } from '../bindings/DeviceView';
import type { SyncLine } from '../bindings/SyncLine';
import type { SyncStatus } from '../bindings/SyncStatus';
import type { User } from '../bindings/User';
import { THIS_DEVICE } from './mock-cases';

export const MOCK_SERVER = 'https://server.school.nl:8443';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A code as the core writes it: 60 base32 characters in dashed groups of five. */
export function mockCode(): string {
  const random = new Uint8Array(60);
  crypto.getRandomValues(random);
  const chars = [...random].map((b) => BASE32[b % 32]).join('');
  return chars.match(/.{5}/g)!.join('-');
}

export function mockLink(server: string, code: string): string {
  return `meldcode://koppelen?server=${encodeURIComponent(server)}&code=${code}`;
}

/** An SVG document that looks like a QR code (finder squares and modules from the link's
 * characters); the core makes a real one. */
export function mockQr(link: string): string {
  const n = 29;
  const on = new Set<string>();
  const finder = (x0: number, y0: number) => {
    for (let y = 0; y < 7; y++)
      for (let x = 0; x < 7; x++) {
        const ring = x === 0 || y === 0 || x === 6 || y === 6;
        const core = x >= 2 && x <= 4 && y >= 2 && y <= 4;
        if (ring || core) on.add(`${x0 + x},${y0 + y}`);
      }
  };
  finder(0, 0);
  finder(n - 7, 0);
  finder(0, n - 7);
  let h = 2166136261;
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const inFinder = (x < 8 && y < 8) || (x >= n - 8 && y < 8) || (x < 8 && y >= n - 8);
      if (inFinder) continue;
      h = Math.imul(h ^ link.charCodeAt((x + y * n) % link.length), 16777619);
      if ((h >>> 13) & 1) on.add(`${x},${y}`);
    }
  const q = 4; // the quiet zone
  const path = [...on].map((p) => {
    const [x, y] = p.split(',').map(Number);
    return `M${x + q} ${y + q}h1v1h-1z`;
  });
  const size = n + 2 * q;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges">` +
    `<rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${path.join('')}"/></svg>`
  );
}

/** The status the core would report for `line`, with `extra` on top. */
export function statusFor(line: SyncLine, extra: Partial<SyncStatus> = {}): SyncStatus {
  const enrolled = line.kind !== 'not_enrolled';
  const waiting = line.kind === 'waiting' ? line.count : line.kind === 'offline' ? line.waiting : 0;
  return {
    enrolled,
    server: enrolled ? MOCK_SERVER : null,
    last_contact: line.kind === 'current' ? line.at : line.kind === 'offline' ? line.since : enrolled ? new Date().toISOString() : null,
    offline_since: line.kind === 'offline' ? line.since : null,
    waiting,
    rolled_back: line.kind === 'rolled_back',
    revoked: false,
    line,
    problem: null,
    contact_overdue: false,
    ...extra,
  };
}

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const DAY = 24 * 3600_000;

/** The school's devices once this one is linked: this one with its users, a class tablet, the
 * tablet of someone this device does not know, one not seen yet and one revoked. */
export function mockDevices(here: User[], colleagues: User[]): DeviceView[] {
  const user = (u: User) => ({ user_id: u.id, full_name: u.full_name, role: u.role });
  const teacher = here.find((u) => u.role === 'teacher');
  return [
    {
      device_id: THIS_DEVICE,
      this_device: true,
      coordinator: here.some((u) => u.role === 'coordinator'),
      enrolled_at: ago(30 * DAY),
      last_seen: ago(60_000),
      revoked_at: null,
      users: here.map(user),
    },
    {
      device_id: '01900000-0000-7000-8000-00000000d002',
      this_device: false,
      coordinator: false,
      enrolled_at: ago(20 * DAY),
      last_seen: ago(2 * 3600_000),
      revoked_at: null,
      users: [...(teacher ? [user(teacher)] : []), ...colleagues.slice(0, 1).map(user)],
    },
    {
      device_id: '01900000-0000-7000-8000-00000000d003',
      this_device: false,
      coordinator: false,
      enrolled_at: ago(DAY),
      last_seen: null,
      revoked_at: null,
      users: [{ user_id: '01900000-0000-7000-8000-0000000000e9', full_name: null, role: null }],
    },
    {
      device_id: '01900000-0000-7000-8000-00000000d004',
      this_device: false,
      coordinator: false,
      enrolled_at: ago(90 * DAY),
      last_seen: ago(12 * DAY),
      revoked_at: ago(10 * DAY),
      users: [{ user_id: '01900000-0000-7000-8000-0000000000e8', full_name: 'Bram Hendriks', role: 'teacher' }],
    },
  ];
}
