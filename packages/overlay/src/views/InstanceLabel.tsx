/** Cluster mode: which instance of the app a request ran on (nothing outside cluster mode). */
export function InstanceLabel({ instance }: { instance: string | undefined }) {
  if (instance === undefined) return null;
  return (
    <span
      className="cs-badge cs-badge-info"
      data-testid="cachescope-instance"
      title="instance of the app (CACHESCOPE_INSTANCE or host:pid)"
    >
      {instance}
    </span>
  );
}
