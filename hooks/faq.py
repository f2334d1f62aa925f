"""faq.json and the FAQ index, both built from the pages themselves (one source).

hooks/questions.py parses the answered questions of both languages (the heading whose anchor is
the question id, and its ``!!! answer`` block). ``faq.json`` (written at the site root by the Chinese
build) lists every answered id with both questions and both short answers as plain text; the home
page of each language replaces ``<!-- faq-index -->`` with the same data, grouped by topic.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

import questions
import results


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
            page = (questions.LANGS[lang] / a.page).read_text(encoding="utf-8")
            meta = yaml.safe_load(questions.FRONT_MATTER.match(page).group(1))
            out.append(f"\n## {meta['title']} {{#topic-{questions.topics()[topic]}}}\n")
        out.append(f"### [{a.question}]({a.page}#{qid}) {{#{qid}}}\n")   # the question id: readable, the same in both languages
        out.append(a.answer + "\n")
    return "\n".join(out)


# ---- MkDocs hook events --------------------------------------------------------------------
def on_pre_build(config):
    from mkdocs.exceptions import PluginError
    try:
        questions.collect_all(results.current())      # hooks/computed.py computed them first
    except (questions.FaqError, results.ComputeError) as err:
        raise PluginError(str(err)) from None


def on_page_markdown(markdown, page, config, files):
    if "<!-- faq-index -->" in markdown:
        lang = config["theme"]["language"]
        markdown = markdown.replace("<!-- faq-index -->", index_markdown(questions.current(), lang))
    return markdown


def on_post_build(config):
    if config["theme"]["language"] == "zh":
        target = Path(config["site_dir"]) / "faq.json"
        target.write_text(json.dumps(faq_entries(questions.current()), ensure_ascii=False, indent=1), encoding="utf-8")
