import { connection } from 'next/server';

export default async function Page() {
  await connection();
  const app = process.env.APP_NAME;
  const res = await fetch(`${process.env.ORIGIN_URL}/data?app=${app}`, { cache: 'force-cache', next: { tags: ['shared'] } });
  const data = (await res.json()) as { n: number };
  return (
    <main>
      <h1>{app}</h1>
      <p data-testid="value" data-app={app}>
        origin answer {data.n}
      </p>
    </main>
  );
}
