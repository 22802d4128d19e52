/** An import refused as a whole, with a message naming the line or field. */
export class RotaImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotaImportError';
  }
}
