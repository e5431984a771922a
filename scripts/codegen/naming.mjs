// SDK names from the spec: a tag becomes a resource (`api-keys` -> `apiKeys`), an operationId
// becomes a method with the resource's noun taken out (`createApiKey` -> `create`,
// `listChatMessages` on `chats` -> `listMessages`).

export function camel(words) {
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join('');
}

export function resourceName(tag) {
  return camel(tag.split(/[^A-Za-z0-9]+/).filter(Boolean));
}

export function splitCamel(id) {
  return id.match(/[A-Z]{2,}(?=[A-Z][a-z]|$)|[A-Z]?[a-z0-9]+|[A-Z]+/g) ?? [id];
}

function singular(word) {
  if (/ies$/i.test(word)) return word.slice(0, -3) + 'y';
  if (/ss$/i.test(word)) return word;
  if (/s$/i.test(word)) return word.slice(0, -1);
  return word;
}

/** Removes the first run of the tag's words (plural, then singular) from the operationId. */
export function methodName(operationId, tag) {
  const words = splitCamel(operationId);
  const tagWords = tag.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const forms = [tagWords, [...tagWords.slice(0, -1), singular(tagWords[tagWords.length - 1])]];
  for (const form of forms) {
    for (let i = 1; i + form.length <= words.length; i++) {
      const run = words.slice(i, i + form.length);
      if (run.every((w, j) => w.toLowerCase() === form[j].toLowerCase())) {
        const rest = [...words.slice(0, i), ...words.slice(i + form.length)];
        if (rest.length > 0) return camel(rest);
      }
    }
  }
  return operationId;
}
