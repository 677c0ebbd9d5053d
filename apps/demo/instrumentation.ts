export async function register() {
  if (process.env.CACHESCOPE === 'off') return;
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { registerCacheScope } = await import('@cachescope/instrument/register');
    await registerCacheScope();
  }
}
