/** A search snippet: the publisher's text with matches between ** (docs/api.md §4.6), shown as <mark>, never as HTML. */
export function Snippet({ text }) {
  return (
    <>
      {String(text)
        .split('**')
        .map((part, i) => (i % 2 ? <mark key={i}>{part}</mark> : part))}
    </>
  );
}
