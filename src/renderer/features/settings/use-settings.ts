import { useEffect, useState } from 'react';
import type { SettingsView } from '../../../core/ipc-contract';
import { bridge } from '../../bridge';
import { useAppStore } from '../../store';

/** Settings from main, kept current by its change events. */
export function useSettings(): [SettingsView | null, (s: SettingsView) => void] {
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const reportError = useAppStore((s) => s.reportError);
  useEffect(() => {
    const api = bridge();
    api.getSettings().then(setSettings, (e: Error) => reportError(e.message));
    return api.onSettingsChanged(setSettings);
  }, [reportError]);
  return [settings, setSettings];
}
