// The Unicode line breaking algorithm (UAX #14) as the linebreak package exposes it.
declare module 'linebreak' {
  export interface Break {
    /** Offset (UTF-16) where a line may end. */
    position: number;
    /** A mandatory break (a newline). */
    required: boolean;
  }
  export default class LineBreaker {
    constructor(text: string);
    nextBreak(): Break | null;
  }
}
