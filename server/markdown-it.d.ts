// The part of markdown-it's API the report export uses (the package ships no types).
declare module 'markdown-it' {
  interface MarkdownItOptions {
    html?: boolean;
    linkify?: boolean;
    typographer?: boolean;
  }
  class MarkdownIt {
    constructor(options?: MarkdownItOptions);
    render(source: string): string;
  }
  export = MarkdownIt;
}
