# %% [markdown] lang="zh"
# # 模型集成：配套 Notebook
#
# 这是[模型集成](../../ensembles/)一页的配套 notebook，在线版本是构建网站时执行过的结果。
# 想自己运行：克隆仓库，执行 `scripts/setup`，再用 `.venv` 里的 Python 打开本文件
# （[下载 .ipynb](../ensembles.ipynb)）。`snippets` 包已由 `scripts/setup` 安装进 `.venv`，
# 所以 notebook 放在哪个目录都能运行。

# %% [markdown] lang="en"
# # Model ensembles: companion notebook
#
# The companion of the [model ensembles](../../ensembles/) page; what you see online was executed
# when the site was built. To run it yourself: clone the repository, run `scripts/setup`, then
# open this notebook ([download the .ipynb](../ensembles.ipynb)) with the Python in `.venv`.
# `scripts/setup` installs the `snippets` package into `.venv`, so the notebook runs from any folder.

# %%
import numpy as np

from snippets.data import digits_split
from snippets.ensembles import accuracy, average_weights, make_model, permute_hidden
from snippets.experiments.ensembles import independent_nets
from snippets.layers import two_layer_net_loss

# %% [markdown] lang="zh"
# ## 1. 训练 K 个独立的两层网络（不同的初始化种子）

# %% [markdown] lang="en"
# ## 1. Train K independent two-layer nets (different initialization seeds)

# %%
data = digits_split(seed=0, n_val=0, centre=False)   # raw pixels 0..16; all 797 others held out
X_test, y_test = data["X_test"], data["y_test"]
params, pre = independent_nets(data, K=5)
models = [make_model(p, pre) for p in params]
print("each net:", [round(accuracy([m], X_test, y_test), 4) for m in models])

# %% [markdown] lang="zh"
# ## 2. 平均预测：三种合并方式

# %% [markdown] lang="en"
# ## 2. Averaging predictions: three ways to combine

# %%
for combine in ("probabilities", "logits", "vote"):
    print(f"{combine:13s}", round(accuracy(models, X_test, y_test, combine), 4))

# %% [markdown] lang="zh"
# ## 3. 平均权重：独立训练的网络不行
#
# 把隐藏单元重新编号，函数完全不变；但把一个网络和它重新编号后的自己做权重平均，得到的就是另一个函数了。

# %% [markdown] lang="en"
# ## 3. Averaging weights: not for independently trained nets
#
# Renumbering the hidden units leaves the function unchanged; averaging a net with its own
# renumbered copy gives a different function.

# %%
print("average_weights of 5 nets:", round(accuracy([make_model(average_weights(params), pre)], X_test, y_test), 4))
perm = np.random.default_rng(0).permutation(params[0]["b1"].size)
same = permute_hidden(params[0], perm)
Xp = pre(X_test)
print("max |scores - scores after renumbering| =", np.abs(two_layer_net_loss(params[0], Xp) - two_layer_net_loss(same, Xp)).max())
print("net + renumbered net, weights averaged:", round(accuracy([make_model(average_weights([params[0], same]), pre)], X_test, y_test), 4))
