import type { SettingsView } from '../../../core/ipc-contract';

/** The Alertmanager receiver a user pastes into alertmanager.yml to reach this app. */
export function alertmanagerSnippet(s: SettingsView, showToken: boolean): string {
  return [
    'receivers:',
    '  - name: on-call-companion',
    '    webhook_configs:',
    `      - url: ${s.listener.url}`,
    '        send_resolved: true',
    '        http_config:',
    '          authorization:',
    '            type: Bearer',
    `            credentials: ${showToken ? s.listener.token : '<token>'}`,
  ].join('\n');
}
