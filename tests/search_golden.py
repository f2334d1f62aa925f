"""The search golden set and the helper that types a query into Material's search box in Chromium.

One source for tests/test_site_search.py (the set must pass) and scripts/bench.py's search section
(top-1 and top-3 of the whole set, today's index next to the new one).

The queries are what students type (the words of the seed notes and of the course: single terms,
short phrases, code identifiers, names, the start or the inside of a compound word, other spellings
and a common misspelling), not the pages' titles. Each names the page that must be in the top 3;
``first=True`` marks the ones whose page must be the first result. Chinese and code queries are
typed on the Chinese site (``""``), English ones on the English site (``"en/"``).
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Golden:
    site: str        # "" (Chinese, /) or "en/"
    query: str
    page: str        # expected page, relative to the site root, e.g. "input-gradient/"
    first: bool = False
    kind: str = ""   # what the query is (term, part, identifier, name, synonym: the page never writes it)

    @property
    def path(self) -> str:
        return "/" + self.site + self.page


def zh(query, page, first=False, kind="term"):
    return Golden("", query, page, first, kind)


def en(query, page, first=False, kind="term"):
    return Golden("en/", query, page, first, kind)


NORM, INPUT, WHITE, INIT = "normalization/", "input-gradient/", "whitening/", "weight-init/"
CHECK, HYPER, ENS, MAP = "gradient-check/", "hyperparameter-search/", "ensembles/", "map-mle/"

GOLDEN = [
    # ---- the table: the single term a student types, the answer's page first
    zh("显著图", INPUT, True),
    zh("对抗样本", INPUT, True),
    zh("类别可视化", INPUT, True),
    zh("输入梯度", INPUT, True),
    zh("何恺明", INIT, True, "synonym"),
    en("Kaiming", INIT, True, "synonym"),
    en("rel_error", CHECK, True, "identifier"),
    # ---- Chinese site: terms and phrases of the notes
    zh("均值方差", NORM, False, "phrase"),
    zh("通道", NORM, True),
    zh("BN", NORM, True, "abbreviation"),
    zh("GN", NORM, True, "abbreviation"),
    zh("SBN", NORM, True, "abbreviation"),
    zh("层归一化", NORM, True),
    zh("layernorm", NORM, False),
    zh("组归一化", NORM, True),
    zh("批量归一化", NORM, True, "synonym"),          # the notes' word; the site writes 批归一化
    zh("批规范化", NORM, False, "synonym"),           # never on the page
    zh("batchnorm", NORM, True),
    zh("转置", NORM),
    zh("transpose", NORM, False, "English word on a Chinese page"),
    zh("momentum", NORM),
    zh("np.var", NORM, False, "identifier"),
    zh("batchnorm_forward", NORM, True, "identifier"),
    zh("spatial_groupnorm_forward", NORM, True, "identifier"),
    zh("滤波", NORM, False, "part"),                  # start of 滤波器
    zh("滑动", NORM, False, "part"),                  # start of 滑动平均
    zh("无偏", NORM, False, "part"),                  # start of 无偏估计
    zh("特征可视化", INPUT, True, "phrase"),           # the notes' heading, which the page quotes
    zh("可视化", INPUT, True),
    zh("显著", INPUT, False, "part"),                 # start of 显著图 / 显著性
    zh("显著性图", INPUT, True, "variant"),
    zh("FGSM", INPUT, True, "abbreviation"),
    zh("model_backward_x", INPUT, True, "identifier"),
    zh("白化", WHITE, True),
    zh("ZCA", WHITE, True, "abbreviation"),
    zh("频率", WHITE, True),
    zh("低频", WHITE, False),
    zh("自然图像", WHITE, False),
    zh("主成分分析", WHITE, False),
    zh("矩阵", WHITE, False, "part"),                 # also inside 协方差矩阵, 单位矩阵
    zh("马赛克", WHITE, False, "part"),               # inside 去马赛克
    zh("top_eigh", WHITE, True, "identifier"),
    zh("打破对称性", INIT, True, "phrase"),
    zh("小随机数", INIT, False),
    zh("梯度信号", INIT, False),
    zh("Xavier", INIT, True, "name"),
    zh("Kaiming", INIT, False, "synonym"),
    zh("何凯明", INIT, False, "synonym"),          # 凯 for 恺, as often typed
    zh("级数", INIT, False, "part"),                  # inside 几何级数
    zh("梯度检查", CHECK, True),
    zh("梯度校验", CHECK, False, "synonym"),
    zh("数值梯度", CHECK, False),
    zh("中心差分", CHECK, False),
    zh("rel_error", CHECK, False, "identifier"),
    zh("SVM", CHECK, True, "abbreviation"),
    zh("铰链", CHECK, False, "part"),
    zh("折叶", CHECK, False, "part"),
    zh("svm_loss_no_indicator", CHECK, True, "identifier"),
    zh("网格搜索", HYPER, True),
    zh("网格化搜索", HYPER, True, "variant"),          # the notes' word
    zh("随机搜索", HYPER, True),
    zh("Bergstra", HYPER, True, "name"),
    zh("卡罗", HYPER, False, "part"),                 # inside 蒙特卡罗
    zh("refine_ranges", HYPER, True, "identifier"),
    zh("模型集成", ENS, True),
    zh("集成", ENS, True, "part"),
    zh("平均预测", ENS, False, "phrase"),
    zh("单调提升", ENS, False, "phrase"),
    zh("align_hidden", ENS, True, "identifier"),
    zh("最大后验估计", MAP, True),
    zh("MAP", MAP, True, "abbreviation"),
    zh("MLE", MAP, True, "abbreviation"),
    zh("高斯先验", MAP, True),
    zh("最大似然", MAP, False),
    zh("权重衰减", MAP, False),
    zh("neg_log_posterior", MAP, True, "identifier"),
    # ---- English site
    en("BN", NORM, True, "abbreviation"),
    en("GN", NORM, True, "abbreviation"),
    en("groupnorm", NORM, True),
    en("layer norm", NORM, False, "phrase"),
    en("running mean", NORM, True, "phrase"),
    en("forward", NORM, False, "part of identifiers"),
    en("transpose", NORM),
    en("momentum", NORM),
    en("batch-mates", NORM),
    en("unbiased", NORM),
    en("spatial_batchnorm_forward", NORM, True, "identifier"),
    en("saliency map", INPUT, True, "phrase"),
    en("saliency", INPUT, True),
    en("adversarial", INPUT, True),
    en("FGSM", INPUT, True, "abbreviation"),
    en("class visualization", INPUT, False, "phrase"),
    en("jitter", INPUT),
    en("whitening", WHITE, True),
    en("ZCA", WHITE, True, "abbreviation"),
    en("PCA", WHITE, False, "abbreviation"),
    en("power spectrum", WHITE, True, "phrase"),
    en("circulant", WHITE),
    en("Xavier", INIT, True, "name"),
    en("Glorot", INIT, True, "name"),
    en("He initialization", INIT, True, "phrase"),
    en("saturates", INIT),
    en("symmetry", INIT, False),
    en("gradient check", CHECK, True, "phrase"),
    en("gradcheck", CHECK, True),
    en("centred difference", CHECK, False, "variant"),
    en("hinge loss", CHECK, False, "phrase"),
    en("inverted", CHECK),
    en("grid search", HYPER, True, "phrase"),
    en("random search", HYPER, True, "phrase"),
    en("hyper-parameter", HYPER, False, "variant"),
    en("coarse", HYPER),
    en("ensemble", ENS, True),
    en("soup", ENS),
    en("MAP", MAP, True, "abbreviation"),
    en("MLE", MAP, True, "abbreviation"),
    en("Gaussian prior", MAP, True, "phrase"),
    en("regularisation", MAP, False, "synonym"),     # British spelling; the page writes regularization
    en("weight decay", MAP, False, "phrase"),
    en("separable", MAP),
]

# One query per language that must find nothing (and show the hint to the glossary)
NOTHING = [("", "鳄鱼"), ("en/", "zebra")]


# Material's result line while its worker loads the index (search.result.initializer, zh and en)
INITIALIZING = ["正在初始化搜索引擎", "Initializing search"]


class SearchBox:
    """Material's header search box on one page of one site, reused for many queries: each query
    clears the field first and waits for the placeholder, then types and waits for the result."""

    def __init__(self, browser, site_url: str, site: str):
        self.page = browser.new_page()
        self.page.goto(site_url + site, wait_until="networkidle")
        self.page.locator("label.md-search__icon, .md-search__input").first.click()
        self.field = self.page.locator("input.md-search__input")
        # the worker starts when the box is first used (overrides/partials/search-on-demand.html):
        # wait until Material's result line turns from "initializing" to "type to start searching"
        self.page.wait_for_function("i => { const m = document.querySelector('.md-search-result__meta')"
                                    ".textContent.trim(); return m.length > 0 && !i.includes(m); }",
                                    arg=INITIALIZING, timeout=15000)
        self.idle = self.meta()   # "type to start searching", in the site's language

    def meta(self) -> str:
        return self.page.inner_text(".md-search-result__meta").strip()

    def query(self, text: str) -> dict:
        """hrefs of the result pages (in order), the links of the first page (its own link, then its
        sections by score: the best shown, the rest folded), the result line and the no-result hint."""
        self.field.fill("")
        self.field.press("End")          # Material searches on keyup; typing CJK fires none
        self.page.wait_for_function("t => document.querySelector('.md-search-result__meta')"
                                    ".textContent.trim() === t", arg=self.idle, timeout=15000)
        self.field.fill(text)
        self.field.press("End")
        # the worker may still be building the index when the first query is typed
        self.page.wait_for_function("t => { const m = document.querySelector('.md-search-result__meta')"
                                    ".textContent.trim(); return m.length > 0 && m !== t; }",
                                    arg=self.idle, timeout=15000)
        return self.page.evaluate("""() => ({
            pages: [...document.querySelectorAll('.md-search-result__item')]
                .map(li => li.querySelector(':scope > .md-search-result__link').getAttribute('href')),
            first: [...document.querySelectorAll('.md-search-result__item:first-child .md-search-result__link')]
                .map(a => a.getAttribute('href')),
            meta: document.querySelector('.md-search-result__meta').textContent.trim(),
            hint: (document.querySelector('.search-hint') || {}).innerHTML || '',
        })""")

    def close(self):
        self.page.close()


def page_paths(result: dict) -> list[str]:
    return [urlsplit(h).path for h in result["pages"]]


def rank(result: dict, golden: Golden) -> int | None:
    """1-based rank of the golden page among the results, None if absent."""
    paths = page_paths(result)
    return paths.index(golden.path) + 1 if golden.path in paths else None


def run(browser, site_url: str, goldens=GOLDEN) -> list[tuple[Golden, dict]]:
    """Every golden query typed on its site, one reused page per site."""
    boxes, out = {}, []
    try:
        for g in goldens:
            if g.site not in boxes:
                boxes[g.site] = SearchBox(browser, site_url, g.site)
            out.append((g, boxes[g.site].query(g.query)))
    finally:
        for box in boxes.values():
            box.close()
    return out
