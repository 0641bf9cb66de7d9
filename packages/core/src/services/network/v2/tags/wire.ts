/** `{"tags": [...]}`: the answer of GET and of the replace-all PUT, and that PUT's body. */
export interface TagsWire {
  readonly tags: readonly string[];
}
