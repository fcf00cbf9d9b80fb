import type { ModelError } from './types.js';

/** Collects every validation finding, so a user sees all problems of a model at once. */
export class ErrorCollector {
  private readonly collected: ModelError[] = [];

  /** Adds `Element '<id>': <detail>`; `detail` should read as the rest of that sentence. */
  element(elementId: string, detail: string): void {
    this.collected.push({ elementId, message: `Element '${elementId}': ${detail}` });
  }

  /** Adds a message that is already complete; `elementId` may be null for document-level errors. */
  raw(elementId: string | null, message: string): void {
    this.collected.push({ elementId, message });
  }

  get errors(): readonly ModelError[] {
    return this.collected;
  }

  get hasErrors(): boolean {
    return this.collected.length > 0;
  }
}
