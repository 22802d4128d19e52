/** A stable hue per person, so the same name has the same colour in every lane. */
export function personHue(person: string): number {
  let h = 0;
  for (const ch of person.toLowerCase()) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}
