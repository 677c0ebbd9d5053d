export async function register() {
  if (process.env.CACHESCOPE === 'off') return;
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    // DEMO_OTEL=app: the app registers its own OpenTelemetry SDK first (with cachescope's processor).
    const appTracing = process.env.DEMO_OTEL === 'app' ? await import('./lib/otel-app') : undefined;
    appTracing?.registerAppTracing();
    const { registerCacheScope } = await import('@cachescope/instrument/register');
    await registerCacheScope();
    appTracing?.reportProviders();
  }
}
