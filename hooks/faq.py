"""faq.json and the FAQ index, both built from the pages themselves (one source).

A page that answers questions has ``topic: <key of data/questions.yml>`` in its front matter and,
for each answered question, a level-2 heading whose anchor is the question id, followed by a short
answer block::

    ## 输入到底是什么？ {#norm-input}
    ...
    !!! answer "简答"

        The short answer, in markdown.

The Chinese and the English page must answer the same ids. ``faq.json`` (written at the site
root by the Chinese build) lists every answered id with both questions and both short answers as
plain text; the home page of each language replaces ``<!-- faq-index -->`` with the same data.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

import computed

ROOT = Path(__file__).resolve().parent.parent
LANGS = {"zh": ROOT / "docs" / "zh", "en": ROOT / "docs" / "en"}
HEADING = re.compile(r"^## (?P<title>.+?) \{#(?P<id>[a-z0-9-]+)\}\s*$")
ANSWER = re.compile(r'^!!! answer(?: "[^"]*")?\s*$')
# Level-2 sections every topic page has besides its questions (CONTRIBUTING.md, "The page contract")
CONTRACT_SECTIONS = {"intuition", "derivation", "misconceptions", "run-it-yourself", "references"}
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


class FaqError(Exception):
    pass


@dataclass
class Answer:
    id: str
    topic: str
    page: str          # source path relative to docs/<lang>, e.g. normalization.md
    question: str      # the heading, markdown
    answer: str        # the short answer, markdown (numbers already substituted)


def question_ids() -> dict[str, str]:
    """id -> topic, in the order of data/questions.yml."""
    data = yaml.safe_load((ROOT / "data" / "questions.yml").read_text(encoding="utf-8"))
    return {q["id"]: topic for topic, questions in data.items() for q in questions}


def parse_page(path: Path, rel: str, ids: dict[str, str], results) -> tuple[dict, list[Answer]]:
    text = path.read_text(encoding="utf-8")
    fm = FRONT_MATTER.match(text)
    meta = yaml.safe_load(fm.group(1)) if fm else {}
    if not meta or "topic" not in meta:
        return meta or {}, []
    lines, answers = text.splitlines(), []
    for i, line in enumerate(lines):
        m = HEADING.match(line)
        if not m or m.group("id") in CONTRACT_SECTIONS:
            continue
        if m.group("id") not in ids:
            raise FaqError(f"{path}: level-2 anchor {{#{m.group('id')}}} is neither a question id "
                           f"(data/questions.yml) nor a contract section {sorted(CONTRACT_SECTIONS)}")
        qid = m.group("id")
        if ids[qid] != meta["topic"]:
            raise FaqError(f"{path}: {qid} belongs to topic {ids[qid]}, page topic is {meta['topic']}")
        body = []
        for j in range(i + 1, len(lines)):
            if lines[j].startswith("## "):
                break
            if ANSWER.match(lines[j]):
                for k in range(j + 1, len(lines)):
                    if lines[k].strip() and not lines[k].startswith("    "):
                        break
                    body.append(lines[k][4:])
                break
        answer = "\n".join(body).strip()
        if not answer:
            raise FaqError(f"{path}: question {qid} has no '!!! answer' block")
        answer = computed.substitute(answer, results, str(path))
        answers.append(Answer(qid, meta["topic"], rel, m.group("title"), answer))
    return meta, answers


def collect(results) -> dict[str, dict[str, Answer]]:
    """lang -> id -> Answer for every answered question; both languages must answer the same ids."""
    ids = question_ids()
    found = {}
    for lang, docs in LANGS.items():
        found[lang] = {}
        for path in sorted(docs.rglob("*.md")):
            _, answers = parse_page(path, path.relative_to(docs).as_posix(), ids, results)
            for a in answers:
                if a.id in found[lang]:
                    raise FaqError(f"{path}: question {a.id} is answered twice")
                found[lang][a.id] = a
    if set(found["zh"]) != set(found["en"]):
        raise FaqError(f"zh and en answer different questions: {sorted(set(found['zh']) ^ set(found['en']))}")
    order = list(ids)
    return {lang: dict(sorted(d.items(), key=lambda kv: order.index(kv[0]))) for lang, d in found.items()}


def plain_text(markdown: str) -> str:
    """The short answer as plain text for faq.json: no markup, TeX kept as its source."""
    code: list[str] = []

    def keep(m):  # code spans are taken verbatim: no markup inside them is touched
        code.append(m.group(1))
        return f"\0{len(code) - 1}\0"

    text = re.sub(r"`([^`]+)`", keep, markdown)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)            # links -> their text
    text = re.sub(r"(\*\*|__)", "", text)                              # bold
    text = re.sub(r"\$([^$]+)\$", r"\1", text)                         # inline math -> TeX source
    text = re.sub(r"\0(\d+)\0", lambda m: code[int(m.group(1))], text)
    return re.sub(r"\s+", " ", text).strip()


def page_url(page: str) -> str:
    return "" if page == "index.md" else page.removesuffix(".md").removesuffix("/index") + "/"


def faq_entries(found) -> list[dict]:
    return [
        {
            "id": qid,
            "topic": a.topic,
            "url": f"{page_url(a.page)}#{qid}",
            "url_en": f"en/{page_url(a.page)}#{qid}",
            "question_zh": plain_text(a.question),
            "question_en": plain_text(found["en"][qid].question),
            "answer_zh": plain_text(a.answer),
            "answer_en": plain_text(found["en"][qid].answer),
        }
        for qid, a in found["zh"].items()
    ]


def index_markdown(found, lang: str) -> str:
    """The FAQ index: every answered question grouped by topic, with its short answer and a link."""
    out, topic = [], None
    for qid, a in found[lang].items():
        if a.topic != topic:
            topic = a.topic
            meta = yaml.safe_load(FRONT_MATTER.match((LANGS[lang] / a.page).read_text(encoding="utf-8")).group(1))
            out.append(f"\n## {meta['title']} {{#topic-{topic}}}\n")
        out.append(f"### [{a.question}]({a.page}#{qid})\n")
        out.append(a.answer + "\n")
    return "\n".join(out)


# ---- MkDocs hook events --------------------------------------------------------------------
_found: dict = {}


def on_pre_build(config):
    from mkdocs.exceptions import PluginError
    try:
        _found.clear()
        _found.update(collect(computed.run_all()))  # cache hits after hooks/computed.py ran
    except (FaqError, computed.ComputeError) as err:
        raise PluginError(str(err)) from None


def on_page_markdown(markdown, page, config, files):
    if "<!-- faq-index -->" in markdown:
        lang = config["theme"]["language"]
        markdown = markdown.replace("<!-- faq-index -->", index_markdown(_found, lang))
    return markdown


def on_post_build(config):
    if config["theme"]["language"] == "zh":
        target = Path(config["site_dir"]) / "faq.json"
        target.write_text(json.dumps(faq_entries(_found), ensure_ascii=False, indent=1), encoding="utf-8")
