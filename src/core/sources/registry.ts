import { alertmanagerAdapter } from './alertmanager/webhook';
import { genericAdapter } from './generic/adapter';
import { goAlertAdapter } from './goalert/adapter';
import type { SourceKind } from './kinds';
import { opsgenieAdapter } from './opsgenie/adapter';
import { pagerDutyAdapter } from './pagerduty/adapter';
import { grafanaAdapter } from './grafana/adapter';
import type { SourceAdapter } from './types';

/** One adapter per kind; adding a kind is its adapter plus one line here. */
export const SOURCE_ADAPTERS: { [K in SourceKind]: SourceAdapter<never> } = {
  alertmanager: alertmanagerAdapter as SourceAdapter<never>,
  grafana: grafanaAdapter as SourceAdapter<never>,
  pagerduty: pagerDutyAdapter as SourceAdapter<never>,
  opsgenie: opsgenieAdapter as SourceAdapter<never>,
  goalert: goAlertAdapter as SourceAdapter<never>,
  generic: genericAdapter as SourceAdapter<never>,
};
