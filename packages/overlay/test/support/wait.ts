/** Poll until `check` passes (returns its value) or time out with the last error. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 3000, stepMs = 10): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== false && value !== undefined && value !== null) return value as NonNullable<T>;
      lastError = new Error(`condition returned ${String(value)}`);
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw lastError;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
