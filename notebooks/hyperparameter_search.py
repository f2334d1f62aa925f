# %% [markdown] lang="zh"
# # 网格搜索与随机搜索：配套 Notebook
#
# 本 notebook 配合[网格搜索与随机搜索](../../hyperparameter-search/)一页使用，在线看到的是构建网站时执行的结果。
#
# 想自己运行，先[下载 .ipynb](../hyperparameter_search.ipynb)，在任意一个 Jupyter 里打开（本地的，或你自己选的在线 Jupyter，Python 3.11+ 即可），再从头依次运行。第一个代码单元用 `%pip install` 从本站安装 `cs231n-faq` 包（也就是 `snippets` 的代码，只依赖 numpy 和 matplotlib），后面的单元都从这个包导入代码。在克隆下来的仓库里，`scripts/setup` 已经把这个包装进 `.venv`：用 `.venv` 里的 Python 打开本文件，跳过第一个代码单元即可。

# %% [markdown] lang="en"
# # Grid search and random search: companion notebook
#
# The companion of the [grid and random search](../../hyperparameter-search/) page; what you see
# online was executed when the site was built.
#
# To run it yourself, [download the .ipynb](../hyperparameter_search.ipynb), open it in any Jupyter
# with Python 3.11+ (your own, or a hosted one you choose) and run the cells from the top. The first
# code cell installs the `cs231n-faq` package (the `snippets` code, which needs only numpy and
# matplotlib) from this site with `%pip install`; the other cells import from it. In a clone of the
# repository, `scripts/setup` has already installed the package into `.venv`: open the notebook with
# the Python in `.venv` and skip that cell.

# %% tags=["skip-execution"]
# %pip install {{ wheel_url }}

# %%
import itertools

import numpy as np

from snippets.data import digits_split
from snippets.experiments.hyperparameter_search import (
    disc_hit_theory,
    monte_carlo,
    random_hit_theory,
    trial_points,
)
from snippets.hyperparameter_search import (
    digits_train_and_score,
    grid_search,
    log_uniform,
    random_search,
    tune_like_assignment1,
)

# %% [markdown] lang="zh"
# ## 1. 网格搜索就是 itertools.product
#
# 给每个超参数列一张取值表，把所有组合逐一试一遍。下面只列出组合，不做训练。

# %% [markdown] lang="en"
# ## 1. Grid search is itertools.product
#
# One list of values per hyperparameter, every combination tried. Here we only list them.

# %%
grid = {"learning_rate": np.logspace(-4, 0, 4), "reg": np.logspace(-6, 0, 4)}
combos = list(itertools.product(*grid.values()))
print(len(combos), "configs; first three:", [tuple(f"{v:.0e}" for v in c) for c in combos[:3]])

# %% [markdown] lang="zh"
# ## 2. 同样是 9 次试验，重要的参数 x 试了几个不同的值？

# %% [markdown] lang="en"
# ## 2. Nine trials: how many distinct values of the important parameter x?

# %%
rng = np.random.default_rng(0)
for method in ("grid-endpoints", "grid-centres", "random"):
    points = trial_points(method, 9, rng)
    print(f"{method:15s} distinct x: {np.unique(points[:, 0]).size}")

# %% [markdown] lang="zh"
# ## 3. 蒙特卡罗：落进 x 的最优 5% 区间的概率
#
# 每次重复都把最优点放在随机位置。随机搜索的理论值是 $1 - 0.95^n$。

# %% [markdown] lang="en"
# ## 3. Monte Carlo: the chance of landing in the top 5% band of x
#
# Each repeat puts the optimum at a random place. For random search the theory is $1 - 0.95^n$.

# %%
for method in ("grid-endpoints", "grid-centres", "random"):
    result = monte_carlo(method, 9, repeats=5000, seed=0)
    print(f"{method:15s} hit rate {result['hit_rate']:.3f}   mean best f {result['mean_best']:.3f}")
print("1 - 0.95**9  =", round(random_hit_theory(9), 4))
print("1 - 0.95**60 =", round(random_hit_theory(60), 4))

# %% [markdown] lang="zh"
# ### 3b. 两个参数都重要时
#
# $f = g(x) + g(y)$，“最优 5%”是最优点周围面积为 0.05 的圆。网格点放在哪里，结果差别很大：放在格子中心的网格明显好于随机搜索，放在端点的网格则差得多。每行依次是实测命中率和精确值。

# %% [markdown] lang="en"
# ### 3b. When both parameters matter
#
# $f = g(x) + g(y)$, and the top 5% is the disc of area 0.05 around the optimum. Where the grid's
# points sit changes everything: the cell-centre grid clearly beats random search, the endpoint
# grid does far worse. Each line: measured hit rate, exact value.

# %%
for method in ("grid-endpoints", "grid-centres", "random"):
    result = monte_carlo(method, 9, repeats=5000, seed=0, important="both")
    exact = random_hit_theory(9) if method == "random" else disc_hit_theory(trial_points(method, 9, None))
    print(f"{method:15s} hit rate {result['hit_rate']:.3f}   exact {exact:.3f}")

# %% [markdown] lang="zh"
# ## 4. 真实的调参：digits 上的两层网络，学习率 × 正则化
#
# 每次试验训练一个小网络（几十毫秒），用验证集准确率打分。先用作业 1 的两层嵌套循环（`tune_like_assignment1`），再用 `grid_search` 在同一组取值上搜索：两者训练的组合相同，最好的结果也相同。

# %% [markdown] lang="en"
# ## 4. A real tuning run: a two-layer net on the digits, learning rate x regularization
#
# Each trial trains a small net (tens of milliseconds) and is scored by validation accuracy.
# First assignment 1's two nested loops (`tune_like_assignment1`), then `grid_search` over the
# same values: the same runs, the same best.

# %%
data = digits_split()
score = digits_train_and_score(data)
results, best_val, best_config = tune_like_assignment1(score, grid["learning_rate"], grid["reg"])
print(f"assignment 1 loops: {len(results)} runs, best val acc {best_val:.4f}"
      f"  lr {best_config[0]:.3g}  reg {best_config[1]:.3g}")
(grid_acc, grid_cfg), _ = grid_search(score, grid)
(rand_acc, rand_cfg), _ = random_search(
    score, {"learning_rate": log_uniform(-4, 0), "reg": log_uniform(-6, 0)}, budget=16, seed=0)
print(f"grid_search   best val acc {grid_acc:.4f}  lr {grid_cfg['learning_rate']:.3g}  reg {grid_cfg['reg']:.3g}")
print(f"random_search best val acc {rand_acc:.4f}  lr {rand_cfg['learning_rate']:.3g}  reg {rand_cfg['reg']:.3g}")
