"""What search engines and link previews read: each language's site_url, a title and description
for every page, a sitemap listing both languages, robots.txt.

- ``site_url`` in mkdocs.yml is the root of the whole site (``SITE_URL`` in the environment). The
  English build inherits it; this hook appends the language's path (``en/``), so canonical links
  and sitemaps are right in both builds. Links inside pages stay relative (MkDocs' own behaviour),
  so the built site works from any host and path; only canonical/hreflang/og:url and the sitemaps
  name the configured one.
- ``config.extra.languages`` lists every language with its root URL, for overrides/main.html
  (hreflang alternates, og:locale) and overrides/sitemap.xml. Both languages have the same pages at
  the same paths (a test checks it), so the Chinese build, which runs first and owns the site root,
  can list the English pages in the root sitemap without waiting for the English build.
- Markdown pages carry ``title`` and ``description`` in their front matter; a page without a
  description fails the build. Notebook pages get theirs from their topic's page (data/topics.yml).
"""
from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

import questions

# theme.language -> path under the site root, hreflang code, Open Graph locale. The first is the
# default language (x-default, the site root).
LANGUAGES = {
    "zh": {"path": "", "hreflang": "zh-CN", "og_locale": "zh_CN"},
    "en": {"path": "en/", "hreflang": "en", "og_locale": "en_US"},
}
NOTEBOOK_TITLE = {"zh": "配套 Notebook：{title}", "en": "Companion notebook: {title}"}
NOTEBOOK_DESCRIPTION = {
    "zh": "“{title}”一页的配套 Notebook：构建网站时执行过的全部代码和输出，可下载 .ipynb 在本地运行。",
    "en": "The companion notebook of “{title}”: all the code with the output it produced when the site "
          "was built; download the .ipynb to run it yourself.",
}


def on_config(config):
    root = config.site_url
    if not root:
        raise PluginError("site_url is not set (mkdocs.yml reads it from SITE_URL)")
    lang = config.theme["language"]
    config.site_url = root + LANGUAGES[lang]["path"]
    config.extra["languages"] = [dict(lang=code, url=root + spec["path"], **spec) for code, spec in LANGUAGES.items()]
    # the root build's sitemap lists every language; a language's own sitemap (en/sitemap.xml,
    # which Material's JavaScript also reads) lists only the pages under it
    own = [entry for entry in config.extra["languages"] if entry["lang"] == lang]
    config.extra["sitemap_languages"] = config.extra["languages"] if not own[0]["path"] else own
    return config


def on_files(files, config):
    if not LANGUAGES[config.theme["language"]]["path"]:   # the site root: robots.txt names the sitemap
        files.append(File.generated(config, "robots.txt",
                                    content=f"User-agent: *\nAllow: /\n\nSitemap: {config.site_url}sitemap.xml\n"))
    return files


def on_page_context(context, page, config, nav):
    lang = config.theme["language"]
    src = page.file.src_uri
    if src.startswith("notebooks/") and src.endswith(".py"):
        topic = _topic_page(src, nav)
        title = _plain(topic.meta.get("title") or topic.title)
        page.meta.setdefault("title", NOTEBOOK_TITLE[lang].format(title=_plain(page.title)))
        page.meta.setdefault("description", NOTEBOOK_DESCRIPTION[lang].format(title=title))
    if not page.meta.get("description"):
        raise PluginError(f"{src} has no description in its front matter (CONTRIBUTING.md, the page contract)")
    return context


def _topic_page(src: str, nav):
    """The page of the topic whose notebook is ``src`` (notebooks/<topic>.py), from data/topics.yml."""
    page = f"{questions.topics()[Path(src).stem]}.md"
    for other in nav.pages:
        if other.file.src_uri == page:
            return other
    raise PluginError(f"{src}: its topic's page {page} is not in the nav")


def _plain(markdown: str) -> str:
    return re.sub(r"[`*_]", "", markdown).strip()
