import { signIn, signOut } from '@/app/session-actions';
import { readSession, userOf, USERS } from '@/lib/session';

export async function UserSwitcher() {
  const current = userOf(await readSession());
  return (
    <nav className="switcher" aria-label="Sign in as">
      <span data-testid="current-user">{current ? `signed in as ${current}` : 'signed out'}</span>
      {USERS.map((user) => (
        <form key={user} action={signIn.bind(null, user)} data-action={`sign-in-${user}`}>
          <button type="submit" aria-pressed={current === user}>
            {user}
          </button>
        </form>
      ))}
      <form action={signOut} data-action="sign-out">
        <button type="submit">sign out</button>
      </form>
    </nav>
  );
}
