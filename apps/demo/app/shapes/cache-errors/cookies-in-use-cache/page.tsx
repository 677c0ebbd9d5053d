// cookies() inside a 'use cache' function, which Next forbids (cachescope wraps cookies() to record the read).
import { cookies } from 'next/headers';
import { ErrorProbe } from '../ErrorProbe';

async function readsCookies(): Promise<string> {
  'use cache';
  return (await cookies()).toString();
}

export default function CookiesInUseCachePage() {
  return <ErrorProbe title="cookies() inside 'use cache'" run={readsCookies} />;
}
