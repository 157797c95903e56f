/** A page's title (with the product name after it) and the description search results and link previews show. */
export function pageMeta(title: string, description: string) {
  return [{ title: `${title} · Stepwise` }, { name: "description", content: description }];
}
