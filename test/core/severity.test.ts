import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_MAPPING, mapSeverity, type SeverityMapping } from '../../src/core/severity';

describe('mapSeverity', () => {
  it.each([
    ['critical', 'P1'],
    ['CRITICAL', 'P1'],
    ['error', 'P2'],
    ['high', 'P2'],
    ['warning', 'P3'],
    ['info', 'P4'],
    ['something-else', 'P4'],
    [undefined, 'P4'],
    ['p2', 'P2'],
    [' P1 ', 'P1'],
  ])('%s → %s by default', (label, expected) => {
    expect(mapSeverity(label, DEFAULT_SEVERITY_MAPPING)).toBe(expected);
  });

  it('follows a custom mapping, including its fallback', () => {
    const mapping: SeverityMapping = { P1: ['page', 'sev1'], P2: ['sev2'], P3: [], P4: [], fallback: 'P3' };
    expect(mapSeverity('sev1', mapping)).toBe('P1');
    expect(mapSeverity('critical', mapping)).toBe('P3');
    expect(mapSeverity(undefined, mapping)).toBe('P3');
  });
});
