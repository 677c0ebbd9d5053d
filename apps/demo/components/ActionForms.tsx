export type DemoAction = {
  /** data-action attribute; tests find the form (and its $ACTION_ID_) by it */
  name: string;
  label: string;
  /** the code it runs, shown to the reader */
  code: string;
  action: () => Promise<void>;
};

export function ActionForms({ actions }: { actions: DemoAction[] }) {
  return (
    <div className="actions">
      {actions.map((a) => (
        <form key={a.name} action={a.action} data-action={a.name}>
          <button type="submit">{a.label}</button>
          <code>{a.code}</code>
        </form>
      ))}
    </div>
  );
}
