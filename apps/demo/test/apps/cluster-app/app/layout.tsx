import type { ReactNode } from 'react';
import { Overlay } from '../components/overlay';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        {children}
        <Overlay />
      </body>
    </html>
  );
}
