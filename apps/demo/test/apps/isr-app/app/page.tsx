export const revalidate = 3;

export default async function Page() {
  const res = await fetch(`${process.env.ORIGIN_URL}/data?app=isr`, { next: { tags: ['isr-data'] } });
  const data = (await res.json()) as { n: number };
  return <p data-testid="value">origin answer {data.n}</p>;
}
