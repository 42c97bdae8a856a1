import type { Role } from '../db/schema.js';
import { vi } from '../locale/vi.js';

interface NavItem {
  href: string;
  label: string;
  roles: Role[];
}

const NAV_ITEMS: NavItem[] = [
  { href: '/ho-so/hom-nay', label: vi.nav.board, roles: ['officer', 'supervisor', 'admin'] },
  { href: '/quay', label: vi.queue.counter.nav, roles: ['officer', 'supervisor', 'admin'] },
  { href: '/ho-so/moi', label: vi.nav.intake, roles: ['officer', 'supervisor', 'admin'] },
  { href: '/truc-tuyen', label: vi.online.inboxTitle, roles: ['officer', 'supervisor', 'admin'] },
  { href: '/ho-so', label: vi.nav.search, roles: ['officer', 'supervisor', 'admin'] },
  { href: '/viec-cua-toi', label: vi.nav.worklist, roles: ['officer', 'supervisor', 'admin'] },
  { href: '/thu-phi/so-thu', label: vi.payments.nav, roles: ['officer', 'supervisor', 'admin'] },
  { href: '/bao-cao', label: vi.nav.reports, roles: ['supervisor', 'admin'] },
  { href: '/quan-tri/nhat-ky', label: vi.nav.audit, roles: ['supervisor', 'admin'] },
  { href: '/quan-tri', label: vi.nav.admin, roles: ['admin'] },
];

/** The menu a role sees: only pages it may open. */
export function navigationFor(role: Role | undefined): { href: string; label: string }[] {
  if (!role) return [];
  return NAV_ITEMS.filter((item) => item.roles.includes(role)).map(({ href, label }) => ({
    href,
    label,
  }));
}
