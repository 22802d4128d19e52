import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { db } from '../../db/instance';
import { setPref } from '../../db/rota-repo';
import { useAppStore } from '../../store';

/** "I am …": the name the rota uses for me, which drives my shifts and reminders. */
export function MeForm({ me }: { me: string }) {
  const { t } = useTranslation();
  const [value, setValue] = useState(me);
  const reportError = useAppStore((s) => s.reportError);
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        setPref(db, 'me', value.trim()).catch((err: Error) => reportError(err.message));
      }}
    >
      <label htmlFor="me">{t('rota.me')}</label>
      <input id="me" value={value} placeholder={t('rota.mePlaceholder')} onChange={(e) => setValue(e.target.value)} />
      <button type="submit">{t('rota.meSave')}</button>
    </form>
  );
}
