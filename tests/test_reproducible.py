"""The same numbers on every machine: what the pages print does not change with the BLAS kernel or
the thread count.

Every topic's ``report()`` runs once more, in a fresh process (hooks/results.py's ``run_topic``,
with a cache of its own), under another BLAS setup than the build's: one OpenBLAS thread, and
another OpenBLAS kernel (numpy's OpenBLAS is built with DYNAMIC_ARCH, so ``OPENBLAS_CORETYPE``
picks the kernel; the test checks with threadpoolctl that it took effect). Each placeholder the
pages use, ``{{ topic.key:fmt }}``, is then formatted with the page's own format spec from both
runs: the two must print the same text. Every claim check of the pages must hold for both runs too.

Why this matters: ``newton`` on the map-mle page once solved a singular Hessian with
``np.linalg.lstsq(rcond=None)``; on an AVX-512 kernel a rounding-level singular value passed the
cut-off and the published sigma = 10 numbers changed (36% instead of 0.6%). Summation order
differs between kernels and thread counts, so a digit that rounding can move must not be printed.

Cost: one extra run of every report (about 30 s of the suite on 2 cores).
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import claims  # noqa: E402
import questions  # noqa: E402
import results  # noqa: E402

TOPICS = questions.topics()                       # topic -> page slug
# threadpoolctl's names of the OpenBLAS kernels with AVX-512
AVX512_KERNELS = {"skylakex", "cooperlake", "sapphirerapids"}


def blas_info(env: dict[str, str]) -> dict:
    """What OpenBLAS numpy loads in a fresh process with ``env``: threadpoolctl's record."""
    program = ("import json, numpy, threadpoolctl\n"
               "info = [i for i in threadpoolctl.threadpool_info() if i['user_api'] == 'blas']\n"
               "print(json.dumps(info[0] if info else {}))\n")
    proc = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True,
                          check=True)
    return json.loads(proc.stdout)


def cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    return {flag for line in text.splitlines() if line.startswith("flags")
            for flag in line.split(":", 1)[1].split()}


def other_blas_setup(build: dict) -> dict[str, str]:
    """Environment variables for a BLAS setup other than the build's: one thread, and on x86-64
    another kernel with another vector width: AVX-512 (SkylakeX) where the CPU has it and the build
    does not use it, Haswell (AVX2) where the build uses AVX-512, Sandybridge (AVX) otherwise."""
    env = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    if platform.machine().lower() not in ("x86_64", "amd64") or build.get("internal_api") != "openblas":
        return env                                  # kernels are named differently: threads only
    kernel = str(build.get("architecture", "")).lower()
    if kernel in AVX512_KERNELS:
        env["OPENBLAS_CORETYPE"] = "Haswell"
    elif "avx512f" in cpu_flags():
        env["OPENBLAS_CORETYPE"] = "SkylakeX"
    elif kernel != "sandybridge":
        env["OPENBLAS_CORETYPE"] = "Sandybridge"
    else:
        env["OPENBLAS_CORETYPE"] = "Haswell" if "avx2" in cpu_flags() else "Prescott"
    return env


def page_placeholders() -> dict[str, set[tuple[str, str | None]]]:
    """topic -> the (key, format spec) pairs its pages (both languages) print."""
    used: dict[str, set] = {}
    for slug in TOPICS.values():
        for lang in ("zh", "en"):
            text = (ROOT / "docs" / lang / f"{slug}.md").read_text(encoding="utf-8")
            for m in results.PLACEHOLDER.finditer(text):
                used.setdefault(m["topic"], set()).add((m["key"], m["fmt"]))
    return used


@pytest.fixture(scope="module")
def two_setups(tmp_path_factory):
    """(the build's numbers, the numbers under the other BLAS setup, that setup's threadpoolctl
    record, the build's), every topic's report run once more in parallel."""
    build_env = dict(os.environ)
    build_blas = blas_info(build_env)
    extra = other_blas_setup(build_blas)
    other_blas = blas_info(build_env | extra)

    build, _ = results.run_all(list(TOPICS))       # the build's, from its cache when up to date
    cache = tmp_path_factory.mktemp("other-blas")
    keys = {t: results.cache_key(t) for t in TOPICS}   # in this thread (see results.run_all)
    saved = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)                       # results._isolated passes os.environ on
    try:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            other = dict(zip(TOPICS, pool.map(lambda t: results.run_topic(t, ROOT, cache, keys[t]), TOPICS)))
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return ({t: r.numbers for t, r in build.items()}, {t: r.numbers for t, r in other.items()},
            extra, other_blas, build_blas)


def test_the_other_setup_really_changes_the_blas(two_setups):
    _, _, extra, other_blas, build_blas = two_setups
    assert other_blas.get("num_threads") == 1, other_blas
    if "OPENBLAS_CORETYPE" in extra:
        # threadpoolctl names a kernel as OpenBLAS reports it (Prescott shows as "Katmai")
        assert other_blas["architecture"] != build_blas["architecture"], (extra, other_blas)
        if extra["OPENBLAS_CORETYPE"] != "Prescott":
            assert other_blas["architecture"].lower() == extra["OPENBLAS_CORETYPE"].lower(), other_blas


@pytest.mark.parametrize("topic", list(TOPICS))
def test_pages_print_the_same_digits_under_another_blas(two_setups, topic):
    build, other, extra, other_blas, build_blas = two_setups
    differ = []
    for key, fmt in sorted(page_placeholders().get(topic, ()), key=str):
        a, b = results.printed(build[topic][key], fmt), results.printed(other[topic][key], fmt)
        if a != b:
            differ.append(f"  {{{{ {topic}.{key}{':' + fmt if fmt else ''} }}}}: {a!r} vs {b!r}")
    setup = " ".join(f"{k}={v}" for k, v in extra.items())
    assert not differ, (
        f"the pages print digits that depend on the BLAS: the build's ({build_blas.get('architecture')}, "
        f"{build_blas.get('num_threads')} threads) vs {setup} ({other_blas.get('architecture')}):\n"
        + "\n".join(differ))


@pytest.mark.parametrize("topic", list(TOPICS))
def test_claim_checks_hold_under_another_blas(two_setups, topic):
    _, other, extra, _, _ = two_setups
    slug = TOPICS[topic]
    for lang in ("zh", "en"):
        text = (ROOT / "docs" / lang / f"{slug}.md").read_text(encoding="utf-8")
        claims.apply(text, other, f"docs/{lang}/{slug}.md (with {extra})")
