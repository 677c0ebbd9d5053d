import type { DemoAction } from './ActionForms';

type PerUserActions = { refreshMine: () => Promise<void>; refreshEveryone: () => Promise<void>; updateMine: () => Promise<void> };

/** The article's three buttons for a pattern tagged `<prefix>:dashboard-data` and `…:<sessionHash>`. */
export function perUserTagActions(prefix: string, actions: PerUserActions): DemoAction[] {
  const userTag = `\`${prefix}:dashboard-data:\${hash}\``;
  return [
    { name: 'refresh-mine', label: 'Refresh mine', code: `revalidateTag(${userTag}, 'max')`, action: actions.refreshMine },
    {
      name: 'refresh-everyone',
      label: "Refresh everyone's",
      code: `revalidateTag('${prefix}:dashboard-data', 'max')`,
      action: actions.refreshEveryone,
    },
    { name: 'update-mine', label: 'Update mine (updateTag)', code: `updateTag(${userTag})`, action: actions.updateMine },
  ];
}
