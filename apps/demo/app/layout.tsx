import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import { Suspense, type ReactNode } from 'react';
import { BackendCounters } from '@/components/BackendCounters';
import { serverOverlayToken } from '@cachescope/overlay/token';
import { CacheScopeOverlay } from '@/components/CacheScopeOverlay';
import { UserSwitcher } from '@/components/UserSwitcher';
import { backendUrl } from '@/lib/backend';
import './globals.css';

export const metadata: Metadata = {
  title: 'Team dashboard · cachescope demo',
  description: 'The Next.js 16 per-user revalidation patterns, runnable.',
};

const PAGES = [
  ['/broken', 'Broken pattern'],
  ['/pattern-1', 'Pattern 1: unstable_cache'],
  ['/pattern-2', "Pattern 2: 'use cache'"],
  ['/pattern-3', 'Pattern 3: React.cache'],
  ['/sledgehammer', 'Sledgehammer'],
  ['/traps', 'Traps'],
] as const;

// The backend port is chosen at run time, so it must not be baked into the prerendered shell.
async function LiveCounters() {
  await connection();
  return <BackendCounters backendUrl={backendUrl()} />;
}

// CACHESCOPE=off (the differential tests' plain app) renders no overlay.
async function Overlay() {
  await connection();
  if (process.env.CACHESCOPE === 'off') return null;
  // The overlay renders from a Client Component here, so the app's token is read on the server and passed down.
  return <CacheScopeOverlay token={serverOverlayToken()} />;
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header>
          <Link href="/" className="brand">
            Team dashboard
          </Link>
          <nav aria-label="Patterns">
            {PAGES.map(([href, label]) => (
              <Link key={href} href={href}>
                {label}
              </Link>
            ))}
          </nav>
          <Suspense fallback={<span className="muted">…</span>}>
            <UserSwitcher />
          </Suspense>
        </header>
        <div className="layout">
          <div className="content">{children}</div>
          <aside>
            <Suspense fallback={<p className="muted">counters…</p>}>
              <LiveCounters />
            </Suspense>
          </aside>
        </div>
        <Suspense fallback={null}>
          <Overlay />
        </Suspense>
      </body>
    </html>
  );
}
