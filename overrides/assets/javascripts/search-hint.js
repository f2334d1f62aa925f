// A search that finds nothing says so in the reader's language (Material's own line) and points to
// the glossary, where every term is listed with its other names and the page that explains it.
(() => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const meta = document.querySelector(".md-search-result__meta");
  if (!meta) return;
  const none = config.translations["search.result.none"];
  const glossary = new URL(`${config.base}/glossary/`, location.href).href;
  const text = document.documentElement.lang.startsWith("zh")
    ? ["换个说法或缩写试试。", "术语与符号", "页列出了每个术语的其他叫法和讲解它的页面。"]
    : ["Try another word or an abbreviation. The ", "glossary", " lists every term with its other names and the page that explains it."];
  const hint = document.createElement("p");
  hint.className = "search-hint";
  hint.append(text[0], Object.assign(document.createElement("a"), { href: glossary, textContent: text[1] }), text[2]);
  new MutationObserver(() => {
    if (meta.textContent.trim() === none) meta.after(hint);
    else hint.remove();
  }).observe(meta, { childList: true, characterData: true, subtree: true });
})();
