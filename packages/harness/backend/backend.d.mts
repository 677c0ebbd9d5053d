export declare const USERS: readonly string[];
export declare function userFromSession(value: string | undefined): string;
export type BackendStats = { hits: Record<string, Record<string, number>>; total: number };
export declare function createCounters(): { hit(pattern: string, user: string): number; snapshot(): BackendStats; reset(): void };
export declare function startBackend(options?: { port?: number; latencyMs?: number }): Promise<{
  url: string;
  port: number;
  stats(): BackendStats;
  reset(): void;
  close(): Promise<void>;
}>;
