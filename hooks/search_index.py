"""The search index: Chinese words, synonyms, a ranking that favours the answers, and no dead weight.

Material's search plugin writes ``search/search_index.json`` (one entry per section); its worker
builds a lunr index from it in the browser. This hook shapes what goes in:

- **Chinese words.** With jieba installed, Material cuts every Chinese run into words at build time
  (``jieba.cut``, joined with U+200B), and its worker cuts a query into the words the index holds.
  At on_config this hook writes ``.cache/search/jieba_user.txt`` (outside docs/) from
  data/glossary.yml (every Chinese name, variant and search word of a term: 显著图, 对抗样本,
  批归一化, 何恺明 …) and loads it into jieba, so a term stays one word and never falls apart into
  characters that occur on every page. Every query word gets a trailing ``*`` in the worker, so the
  start of a compound (显著 → 显著图) finds it too; an entry also lists its compounds' inner words
  (单位矩阵 → 矩阵, 蒙特卡罗 → 卡罗) in a hidden span, so a part that is not the start finds it.
- **Synonyms.** On the page the glossary links a term to (where it is explained), every section
  that writes one name of the term also gets its other names (``<p>又称：…</p>``), so 批标准化,
  "batchnorm", Kaiming or 何恺明 find the explanation; other pages' passing mentions get none.
- **Code identifiers** stay whole (the separator does not split at ``_``), so ``rel_error`` finds
  the page that uses it first; their parts are listed in the hidden span, so ``forward`` still
  finds ``batchnorm_forward``.
- **Ranking.** Material lets an entry carry a ``boost`` (lunr's document boost). A question's own
  section (its heading, the quote and the short answer; its anchor is the question id from
  data/questions.yml) weighs ``QUESTION_BOOST`` times a plain section, so the answer outranks a
  passing mention, and the result links to the answer's anchor. Notebook pages, which repeat the
  explanation page's words next to code, weigh ``NOTEBOOK_BOOST``.
- **Query words.** Material's worker drops the last word of a Chinese query; ``fix_worker`` patches
  the two comparisons responsible in the built worker (see WORKER_FIX).
- **Dead weight.** Every page fetches the index, so each byte counts: code blocks lose their
  docstrings and comments (the identifiers stay, so ``batchnorm_forward`` or ``forward`` still find
  their page; the same prose is on the page around the block). The home page, a list of the short
  answers that the topic pages also carry, is left out by its front matter (``search: exclude:
  true``), so a search lands on the answer's own page.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from mkdocs.plugins import event_priority

import questions
import terms

CACHE = terms.ROOT / ".cache" / "search"
USER_DICT = CACHE / "jieba_user.txt"
QUESTION_BOOST = 4.0
NOTEBOOK_BOOST = 0.1

# Material 9.8.2's worker cuts a Chinese query into the index's words, but its scan never reaches the
# query's last character: the last word is dropped (输入梯度 searched 输入 only) and a two-character
# word whose first character is a word of its own is cut to that character (输入 searched 输). Two
# comparisons fixed in the built worker (the source: src/templates/assets/javascripts/integrations/
# search/query/segment/index.ts); the build fails if Material's worker no longer has them.
WORKER_FIX = [
    ("for(let o=s+1;o<t.length;o++)t.slice(s,o)in e", "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"),
    ("n[a]&&a<t.length-1&&(i[s++]=a)", "n[a]&&a<t.length&&(i[s++]=a)"),
]

CODE_BLOCK = re.compile(r"<pre[^>]*>.*?</pre>", re.S)
DOCSTRING = re.compile(r'(?:"""|&quot;&quot;&quot;).*?(?:"""|&quot;&quot;&quot;)', re.S)
COMMENT = re.compile(r"(?m)[ \t]*(?<!&)#(?!\s*--8<--)[^\n]*$")   # not an entity's &#39;
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
TAG = re.compile(r"<[^>]+>")
IDENTIFIER = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
ZWSP = "\u200b"


def slim_code(text: str) -> str:
    """A section's indexed HTML with its code blocks' docstrings and comments removed."""
    def slim(m):
        return COMMENT.sub("", DOCSTRING.sub("", m.group(0)))
    return CODE_BLOCK.sub(slim, text)


# ---- Chinese words -------------------------------------------------------------------------

def dictionary_words(data: dict) -> list[str]:
    """The Chinese words of the glossary: each run of Chinese characters (two or more) in every name,
    variant and search word of every term ("ZCA 白化" gives 白化, 何恺明初始化 stays whole)."""
    words = []
    for term in data["terms"]:
        for name in terms.search_names(term):
            words += [w for w in HAN.findall(name) if len(w) > 1]
    return sorted(dict.fromkeys(words))


def write_user_dict(data: dict) -> Path:
    """jieba's user dictionary, one word a line (jieba picks a frequency that keeps it whole)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    content = "".join(f"{w}\n" for w in dictionary_words(data))
    if not USER_DICT.exists() or USER_DICT.read_text(encoding="utf-8") != content:
        USER_DICT.write_text(content, encoding="utf-8")
    return USER_DICT


def segment(text: str) -> str:
    """Chinese runs cut into words and joined with U+200B, as Material's plugin does at index time."""
    import jieba
    return HAN.sub(lambda m: ZWSP + ZWSP.join(jieba.cut(m.group(0))) + ZWSP, text)


def inner_words(text: str) -> list[str]:
    """Words inside the entry's compounds that the index would not hold otherwise: jieba's
    search-mode pieces of each word (单位矩阵 → 单位, 矩阵) that do not start it (a prefix is found by
    the worker's trailing * already) and that the entry does not write as a word of its own."""
    import jieba
    own = set(text.split(ZWSP))
    out = []
    for word in own:
        if len(word) > 2 and HAN.fullmatch(word):
            out += [p for p in jieba.cut_for_search(word)
                    if len(p) > 1 and p != word and not word.startswith(p) and p not in own]
    return sorted(dict.fromkeys(out))


# ---- synonyms ------------------------------------------------------------------------------

def plain(text: str) -> str:
    """A section's text as a reader sees it: no tags, no U+200B, one space for any whitespace."""
    return re.sub(r"\s+", " ", html.unescape(TAG.sub(" ", text)).replace(ZWSP, ""))


def synonym_groups(data: dict, lang: str) -> list[tuple[str, list[str]]]:
    """(home page, names) per term: the page the glossary links the term to, as the index writes
    it ("map-mle/"), and every name (the Chinese site also gets the English names, which its pages
    mix in; the English site only its own)."""
    return [(term["link"].partition("#")[0].removesuffix(".md") + "/",
             terms.search_names(term, None if lang == "zh" else "en")) for term in data["terms"]]


def synonyms(text: str, names: list[list[str]]) -> list[str]:
    """The other names of every term the text names (Latin names match case-insensitively)."""
    extra = []
    for group in names:
        if re.search("|".join(terms.name_pattern(n) for n in group), text, re.I):
            extra += [n for n in group if not re.search(terms.name_pattern(n), text, re.I)]
    return list(dict.fromkeys(extra))


def identifier_parts(text: str) -> list[str]:
    """The parts of the text's snake_case identifiers that it does not write as words of their own
    (the index keeps rel_error whole, so it finds its page first; forward still finds batchnorm_forward)."""
    own = set(re.findall(r"\w+", text.lower()))
    parts = [p for ident in IDENTIFIER.findall(text.lower()) for p in ident.split("_") if len(p) > 1]
    return sorted(p for p in dict.fromkeys(parts) if p not in own)


# ---- the index -----------------------------------------------------------------------------

def boost(location: str, question_ids: set[str]) -> float | None:
    page, _, anchor = location.partition("#")
    if anchor in question_ids:
        return QUESTION_BOOST
    if page.startswith("notebooks/"):
        return NOTEBOOK_BOOST
    return None


def shape(index: dict, data: dict, lang: str, question_ids: set[str]) -> dict:
    """The index with code slimmed, synonyms and inner words added and the answers boosted."""
    groups = synonym_groups(data, lang)
    lead = "又称：" if lang == "zh" else "Also: "
    for doc in index["docs"]:
        doc["text"] = slim_code(doc["text"])
        page = doc["location"].partition("#")[0]
        extra = synonyms(plain(doc["title"] + " " + doc["text"]), [g for home, g in groups if home == page])
        if extra:
            doc["text"] += segment(f"<p>{lead}{' · '.join(extra)}</p>")
        hidden = inner_words(TAG.sub(ZWSP, doc["title"] + ZWSP + doc["text"]))
        hidden += identifier_parts(plain(doc["title"] + " " + doc["text"]))
        if hidden:
            doc["text"] += f'<span hidden>{" ".join(hidden)}</span>'
        weight = boost(doc["location"], question_ids)
        if weight is not None:
            doc["boost"] = weight
    return index


def fix_worker(site_dir: Path) -> Path:
    """Apply WORKER_FIX to the search worker Material copied into the site."""
    from mkdocs.exceptions import PluginError
    workers = sorted((site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if len(workers) != 1:
        raise PluginError(f"hooks/search_index.py: expected one search worker, found {workers}")
    code = workers[0].read_text(encoding="utf-8")
    if all(new in code and old not in code for old, new in WORKER_FIX):
        return workers[0]   # a dirty rebuild (mkdocs serve --dirty) kept the patched file
    for old, new in WORKER_FIX:
        if code.count(old) != 1:
            raise PluginError(f"hooks/search_index.py: Material's search worker changed; {old!r} not found "
                              "once: check whether the query segmentation bug is fixed and update WORKER_FIX")
        code = code.replace(old, new)
    workers[0].write_text(code, encoding="utf-8")
    return workers[0]


# ---- MkDocs hook events --------------------------------------------------------------------
_data: dict = {}


def on_config(config):
    import jieba
    _data.clear()
    _data.update(terms.load())
    jieba.setLogLevel(30)   # no "Building prefix dict" chatter in the build log
    jieba.load_userdict(str(write_user_dict(_data)))
    return config


@event_priority(-100)  # after Material's search plugin has written the index
def on_post_build(config):
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    index = json.loads(path.read_text(encoding="utf-8"))
    shape(index, _data, config["theme"]["language"], set(questions.question_ids()))
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    fix_worker(Path(config["site_dir"]))
