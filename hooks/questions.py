"""The topics, their questions and the answers the pages give: what several hooks read, parsed once.

- ``topics()``: ``data/topics.yml``, the only table that maps a topic to its page; every other file
  of a topic is named by the topic itself (``topic_files``).
- ``question_ids()``: ``data/questions.yml``, each question id with its topic, in the site's order.
- ``collect(results)``: the answered questions of both languages, parsed from the pages. A page that
  answers questions has ``topic: <topic>`` in its front matter and, for each answered question, a
  level-2 heading whose anchor is the question id, followed by a short answer block::

      ## 输入到底是什么？ {#norm-input}
      ...
      !!! answer "简答"

          The short answer, in markdown.

  The Chinese and the English page must answer the same ids.

A plain module, not a hook: hooks/faq.py runs ``collect_all`` once per build (after hooks/computed.py
computed the numbers) and hooks/faq.py and hooks/related.py read ``current()``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

import claims
import results as results_module

ROOT = Path(__file__).resolve().parent.parent
LANGS = {"zh": ROOT / "docs" / "zh", "en": ROOT / "docs" / "en"}
HEADING = re.compile(r"^## (?P<title>.+?) \{#(?P<id>[a-z0-9-]+)\}\s*$")
ANSWER = re.compile(r'^!!! answer(?: "[^"]*")?\s*$')
# Level-2 sections every topic page has besides its questions (CONTRIBUTING.md, "The page contract")
CONTRACT_SECTIONS = {"intuition", "derivation", "misconceptions", "run-it-yourself", "references"}
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def topics() -> dict[str, str]:
    """topic -> page slug, in the site's order (data/topics.yml)."""
    return yaml.safe_load((ROOT / "data" / "topics.yml").read_text(encoding="utf-8"))


def topic_files(topic: str) -> dict[str, str]:
    """The files of a topic, relative to the repository (CONTRIBUTING.md, "Files, one name per topic")."""
    slug = topics()[topic]
    return {"page_zh": f"docs/zh/{slug}.md", "page_en": f"docs/en/{slug}.md",
            "lesson": f"snippets/{topic}.py", "experiments": f"snippets/experiments/{topic}.py",
            "notebook": f"notebooks/{topic}.py", "test": f"tests/test_{topic}.py"}


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
        answer = results_module.substitute(claims.CHECK.sub("", answer), results, str(path))
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

# ---- The answers of this build -------------------------------------------------------------
_current: dict = {}


def collect_all(results) -> dict[str, dict[str, Answer]]:
    """Parse both languages' answers, once per build."""
    _current.clear()
    _current.update(collect(results))
    return _current


def current() -> dict[str, dict[str, Answer]]:
    """lang -> id -> Answer of this build, after collect_all."""
    return _current
