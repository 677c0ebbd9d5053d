import type { ReactNode } from 'react';

type EntryLike = { key: string; kind: string; route?: string; scope?: string };

/** Cache entries as a table (key, kind, route, user scope) plus one column of the caller's. */
export function EntryTable<E extends EntryLike>({
  entries,
  last,
  rowKey,
}: {
  entries: E[];
  last: { title: string; cell: (entry: E) => ReactNode };
  rowKey: (entry: E) => string;
}) {
  return (
    <table className="cs-table">
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">Kind</th>
          <th scope="col">Route</th>
          <th scope="col">Scope</th>
          <th scope="col">{last.title}</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={rowKey(e)}>
            <td className="cs-mono">{e.key}</td>
            <td>{e.kind}</td>
            <td>{e.route ?? '—'}</td>
            <td className="cs-mono">{e.scope ?? '—'}</td>
            <td>{last.cell(e)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
