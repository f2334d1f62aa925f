"""What the search index keeps: the words a reader searches for, not what only weighs it down.

Material's search plugin indexes every section's HTML, code blocks included. Every page fetches
the index on load (its worker builds the search from it), so each byte counts on every cold visit.
This hook drops the docstrings and comments of code blocks from the index (the code's identifiers
stay, so ``batchnorm_forward`` or ``forward`` still find their page; the same prose is on the page
around the block). The home page, a list of the short answers that the topic pages also carry,
is left out of the index by its front matter (``search: exclude: true``), so a search lands on
the answer's own page.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.plugins import event_priority

CODE_BLOCK = re.compile(r"<pre[^>]*>.*?</pre>", re.S)
DOCSTRING = re.compile(r'(?:"""|&quot;&quot;&quot;).*?(?:"""|&quot;&quot;&quot;)', re.S)
COMMENT = re.compile(r"(?m)[ \t]*(?<!&)#(?!\s*--8<--)[^\n]*$")   # not an entity's &#39;


def slim_code(text: str) -> str:
    """A section's indexed HTML with its code blocks' docstrings and comments removed."""
    def slim(m):
        return COMMENT.sub("", DOCSTRING.sub("", m.group(0)))
    return CODE_BLOCK.sub(slim, text)


@event_priority(-90)  # after Material's search plugin has written the index
def on_post_build(config):
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    index = json.loads(path.read_text(encoding="utf-8"))
    for doc in index["docs"]:
        doc["text"] = slim_code(doc["text"])
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
