import type { Shift } from '../../../core/rota/model';

/** A shift placed in its lane: which row (overlapping feed shifts stack) and what its label can hold. */
export interface PlacedShift {
  shift: Shift;
  row: number;
  label: string;
}

/** Roughly how many pixels a character of the 0.8rem shift label takes. */
const CHAR_PX = 7;
/** Padding and border of a shift block. */
const BLOCK_PX = 14;

/** Initials for a block too narrow for the name: "Jean-Luc Picard" → "JP". */
export function initials(name: string): string {
  const words = name.split(/[\s-]+/).filter(Boolean);
  if (words.length === 0) return '';
  if (words.length === 1) return words[0]!.slice(0, 2);
  return `${words[0]![0]}${words[words.length - 1]![0]}`.toUpperCase();
}

/**
 * Rows and labels for one lane: overlapping shifts (two people on call from a feed) go to separate
 * rows, and each block says the name if it fits, the initials if those fit, and nothing otherwise
 * (the legend then names the colour).
 */
export function layoutLane(shifts: Shift[], from: number, to: number, trackPx: number, suffix: (s: Shift) => string): { placed: PlacedShift[]; rows: number } {
  const rowEnds: number[] = [];
  const placed: PlacedShift[] = [];
  for (const shift of [...shifts].sort((a, b) => a.start - b.start || (a.person < b.person ? -1 : 1))) {
    let row = rowEnds.findIndex((end) => end <= shift.start);
    if (row < 0) row = rowEnds.push(shift.end) - 1;
    else rowEnds[row] = shift.end;
    const px = ((Math.min(shift.end, to) - Math.max(shift.start, from)) / (to - from)) * trackPx - BLOCK_PX;
    const full = `${shift.person}${suffix(shift)}`;
    const label = full.length * CHAR_PX <= px ? full : shift.person.length * CHAR_PX <= px ? shift.person : initials(shift.person).length * CHAR_PX <= px + 4 ? initials(shift.person) : '';
    placed.push({ shift, row, label });
  }
  return { placed, rows: Math.max(1, rowEnds.length) };
}
