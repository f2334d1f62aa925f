# %% [markdown] lang="zh"
# # 模型集成：配套 Notebook
#
# 本 notebook 配合[模型集成](../../ensembles/)一页使用，在线看到的是构建网站时执行的结果。
#
# 想自己运行，先[下载 .ipynb](../ensembles.ipynb)，在任意一个 Jupyter 里打开（本地的，或你自己选的在线 Jupyter，Python 3.11+ 即可），再从头依次运行。第一个代码单元用 `%pip install` 从本站安装 `cs231n-faq` 包（也就是 `snippets` 的代码，只依赖 numpy 和 matplotlib），后面的单元都从这个包导入代码。在克隆下来的仓库里，`scripts/setup` 已经把这个包装进 `.venv`：用 `.venv` 里的 Python 打开本文件，跳过第一个代码单元即可。

# %% [markdown] lang="en"
# # Model ensembles: companion notebook
#
# The companion of the [model ensembles](../../ensembles/) page; what you see online was executed
# when the site was built.
#
# To run it yourself, [download the .ipynb](../ensembles.ipynb), open it in any Jupyter with Python
# 3.11+ (your own, or a hosted one you choose) and run the cells from the top. The first code cell
# installs the `cs231n-faq` package (the `snippets` code, which needs only numpy and matplotlib)
# from this site with `%pip install`; the other cells import from it. In a clone of the repository,
# `scripts/setup` has already installed the package into `.venv`: open the notebook with the Python
# in `.venv` and skip that cell.

# %% tags=["skip-execution"]
# %pip install {{ wheel_url }}

# %%
import numpy as np

from snippets.data import digits_split
from snippets.ensembles import (accuracy, align_hidden, ambiguity_decomposition, average_weights,
                                make_model, mean_nll, permute_hidden, softmax)
from snippets.experiments.ensembles import independent_nets, subset_curves
from snippets.layers import two_layer_net_loss

# %% [markdown] lang="zh"
# ## 1. 训练 K 个独立的两层网络（不同的初始化种子）

# %% [markdown] lang="en"
# ## 1. Train K independent two-layer nets (different initialization seeds)

# %%
data = digits_split(seed=0, n_val=0, centre=False)   # raw pixels 0..16; the other 797 are the test set
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
# ## 3. 平均权重：独立训练的网络不能直接平均
#
# 隐藏单元重新编号后，网络表示的函数完全不变；但把一个网络和重新编号后的自己做权重平均，得到的就是另一个函数了。

# %% [markdown] lang="en"
# ## 3. Averaging weights: not directly, for independently trained nets
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
print("net + net 1 matched to it, weights averaged:", round(accuracy([make_model(average_weights([params[0], align_hidden(params[0], params[1])]), pre)], X_test, y_test), 4))

# %% [markdown] lang="zh"
# ## 4. 对数损失：不超过成员的平均，但不一定随模型数单调下降
#
# 由 Jensen 不等式，前 K 个网络集成的对数损失总不超过这 K 个成员对数损失的平均，但它本身可能随 K 升高。只有对所有 K 个网络的取法求平均，得到的期望值才随 K 单调不增。

# %% [markdown] lang="en"
# ## 4. The log loss: at most the members' mean, but not monotonic in the number of models
#
# The log loss of the ensemble of the first K nets never exceeds those K members' mean log loss
# (Jensen's inequality), but it can itself rise with K; only its expectation over every way of
# drawing K nets is guaranteed not to increase.

# %%
single = [mean_nll([m], X_test, y_test) for m in models]
for K in range(1, len(models) + 1):
    print(f"K={K}  NLL(first K) = {mean_nll(models[:K], X_test, y_test):.4f}   "
          f"mean NLL(members) = {np.mean(single[:K]):.4f}")
probs = [softmax(m(X_test)) for m in models]
print("E[NLL(K-subset)]:", [round(v, 4) for v in subset_curves(probs, y_test)["nll"]])

# %% [markdown] lang="zh"
# ## 5. 模糊度分解：集成的收益全部来自成员间的分歧

# %% [markdown] lang="en"
# ## 5. The ambiguity decomposition: an ensemble gains exactly its members' disagreement

# %%
d = ambiguity_decomposition(probs, y_test)
print({k: round(v, 5) for k, v in d.items()})
print("members - ambiguity =", round(d["members"] - d["ambiguity"], 5), "= ensemble")
