import { TrapPage } from '@/components/TrapPage';
import { loadPost } from '@/lib/traps/data';
import { revalidatePostsPattern } from '../../actions';

export default async function PostTrap({ params }: { params: Promise<{ slug: string }> }) {
  const load = async () => loadPost((await params).slug);
  return (
    <TrapPage
      title="Trap: revalidatePath of a route pattern without a type"
      blocks={[{ testid: 'dashboard', title: "'use cache' post", load }]}
      actions={[
        {
          name: 'revalidate-pattern',
          label: 'Revalidate all posts',
          code: "revalidatePath('/traps/posts/[slug]')",
          action: revalidatePostsPattern,
        },
      ]}
    >
      <p>
        <code>revalidatePath(&apos;/traps/posts/[slug]&apos;)</code> needs the type, <code>&apos;page&apos;</code>: without it Next warns in
        the server log and invalidates nothing (the cached post keeps its backend fetch number). cachescope reports the no-op and its cause.
      </p>
    </TrapPage>
  );
}
