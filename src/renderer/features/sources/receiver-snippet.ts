import type { SourceKind } from '../../../core/sources/kinds';

/** What a snippet needs: where the app listens for this source, and its secret (masked unless shown). */
export interface SnippetInput {
  kind: SourceKind;
  webhookUrl: string;
  secret: string | null;
  showSecret: boolean;
}

const MASK = '<secret>';

/**
 * The receiver configuration to paste into the sending tool, per kind. Setting names stay as the
 * tool spells them, so the user can find them there; the explanations come from the catalog.
 */
export function receiverSnippet({ kind, webhookUrl, secret, showSecret }: SnippetInput, t: (key: string) => string): string {
  const s = secret === null ? null : showSecret ? secret : MASK;
  switch (kind) {
    case 'alertmanager':
      return [
        `# ${t('sources.snippet.alertmanagerWhere')}`,
        'receivers:',
        '  - name: on-call-companion',
        '    webhook_configs:',
        `      - url: ${webhookUrl}`,
        '        send_resolved: true',
        ...(s ? ['        http_config:', '          authorization:', '            type: Bearer', `            credentials: ${s}`] : []),
      ].join('\n');
    case 'grafana':
      return [
        `# ${t('sources.snippet.grafanaWhere')}`,
        'apiVersion: 1',
        'contactPoints:',
        '  - orgId: 1',
        '    name: on-call-companion',
        '    receivers:',
        '      - uid: on-call-companion',
        '        type: webhook',
        '        settings:',
        `          url: ${webhookUrl}`,
        '          httpMethod: POST',
        ...(s ? ['          hmacConfig:', `            secret: ${s}`, '            header: X-Grafana-Alerting-Signature'] : []),
      ].join('\n');
    case 'pagerduty':
      return [
        `# ${t('sources.snippet.pagerdutyWhere')}`,
        `Webhook URL: ${webhookUrl}`,
        'Scope: your service or team',
        'Event subscription: incident.triggered, incident.acknowledged, incident.unacknowledged, incident.resolved, incident.reopened',
        `# ${t('sources.snippet.pagerdutySecret')}`,
        ...(s ? [`# ${s}`] : []),
      ].join('\n');
    case 'opsgenie':
      return [
        `# ${t('sources.snippet.opsgenieWhere')}`,
        `Webhook URL: ${webhookUrl}`,
        'Add Alert Description to Payload: on',
        'Add Alert Details to Payload: on',
        'Alert actions: Create, Close, Delete',
        ...(s ? [`Custom header: Authorization = Bearer ${s}`] : []),
      ].join('\n');
    case 'goalert':
      // GoAlert cannot set headers: the listener token goes into the URL
      return [`# ${t('sources.snippet.goalertWhere')}`, `Webhook URL: ${webhookUrl}${s ? `?token=${s}` : ''}`, `# ${t('sources.snippet.goalertStatus')}`].join('\n');
    case 'generic':
      return [
        `# ${t('sources.snippet.genericWhere')}`,
        `curl -X POST '${webhookUrl}' \\`,
        "  -H 'content-type: application/json' \\",
        ...(s ? [`  -H "X-Signature: $(printf '%s' "$BODY" | openssl dgst -sha256 -hmac '${s}' -r | cut -d' ' -f1)" \\`] : []),
        '  --data "$BODY"',
      ].join('\n');
  }
}
