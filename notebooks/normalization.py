# %% [markdown] lang="zh"
# # 归一化：配套 Notebook
#
# 本 notebook 配合[归一化](../../normalization/)一页使用，在线看到的是构建网站时执行的结果。
#
# 想自己运行，先[下载 .ipynb](../normalization.ipynb)，在任意一个 Jupyter 里打开（本地的，或你自己选的在线 Jupyter，Python 3.11+ 即可），再从头依次运行。第一个代码单元用 `%pip install` 从本站安装 `cs231n-faq` 包（也就是 `snippets` 的代码，只依赖 numpy 和 matplotlib），后面的单元都从这个包导入代码。在克隆下来的仓库里，`scripts/setup` 已经把这个包装进 `.venv`：用 `.venv` 里的 Python 打开本文件，跳过第一个代码单元即可。

# %% [markdown] lang="en"
# # Normalization: companion notebook
#
# The companion of the [normalization](../../normalization/) page; what you see online was executed
# when the site was built.
#
# To run it yourself, [download the .ipynb](../normalization.ipynb), open it in any Jupyter with
# Python 3.11+ (your own, or a hosted one you choose) and run the cells from the top. The first code
# cell installs the `cs231n-faq` package (the `snippets` code, which needs only numpy and
# matplotlib) from this site with `%pip install`; the other cells import from it. In a clone of the
# repository, `scripts/setup` has already installed the package into `.venv`: open the notebook with
# the Python in `.venv` and skip that cell.

# %% tags=["skip-execution"]
# %pip install {{ wheel_url }}

# %%
import numpy as np

from snippets.layers import affine_forward
from snippets.normalization import (
    batchnorm_forward,
    layernorm_forward,
    spatial_batchnorm_forward,
    spatial_batchnorm_forward_wrong_reshape,
    spatial_groupnorm_forward,
)

# %% [markdown] lang="zh"
# ## 1. BN 的输入：仿射层的输出，不是图像
#
# 图像 batch 经过 `affine_forward` 之后变成 $(N, \text{hidden})$，BN 接在这一步后面。

# %% [markdown] lang="en"
# ## 1. BN's input: the affine output, not the image
#
# An image batch becomes $(N, \text{hidden})$ in `affine_forward`; BN comes after that.

# %%
rng = np.random.default_rng(0)
x = rng.standard_normal((50, 3, 32, 32))
w, b = 0.01 * rng.standard_normal((3 * 32 * 32, 100)), np.zeros(100)
h, _ = affine_forward(x, w, b)
h_bn, cache = batchnorm_forward(h, np.ones(100), np.zeros(100), {"mode": "train"})
print("x:", x.shape, "-> affine_forward:", h.shape, "-> batchnorm_forward:", h_bn.shape)

# %% [markdown] lang="zh"
# ## 2. 笔记里的实验：gamma 的长度为什么是 D3
#
# 种子和形状都与作业 notebook 相同。训练模式下，每列的均值等于 $\beta$，标准差约等于 $\gamma$。

# %% [markdown] lang="en"
# ## 2. The notes' experiment: why gamma has length D3
#
# Same seed and shapes as the assignment notebook. In training mode each column's mean equals
# $\beta$ and its standard deviation is close to $\gamma$.

# %%
np.random.seed(231)
N, D1, D2, D3 = 200, 50, 60, 3
X = np.random.randn(N, D1)
W1 = np.random.randn(D1, D2)
W2 = np.random.randn(D2, D3)
a = np.maximum(0, X.dot(W1)).dot(W2)
print("a:", a.shape)
for gamma, beta in [(np.ones(D3), np.zeros(D3)), (np.array([1.0, 2.0, 3.0]), np.array([11.0, 12.0, 13.0]))]:
    out, _ = batchnorm_forward(a, gamma, beta, {"mode": "train"})
    print("gamma", gamma, "beta", beta, "-> mean", out.mean(axis=0).round(4), "std", out.std(axis=0).round(4))

# %% [markdown] lang="zh"
# ## 3. BN 的输出随同一 batch 里的其他样本而变，LN 不变

# %% [markdown] lang="en"
# ## 3. BN changes with the batch-mates, LN does not

# %%
x = rng.standard_normal((50, 20))
ones, zeros = np.ones(20), np.zeros(20)
ln_alone, _ = layernorm_forward(x[:5], ones, zeros, {})
ln_all, _ = layernorm_forward(x, ones, zeros, {})
bn_alone, _ = batchnorm_forward(x[:5], ones, zeros, {"mode": "train"})
bn_all, _ = batchnorm_forward(x, ones, zeros, {"mode": "train"})
print("LN: max |alone - in batch| =", np.abs(ln_alone - ln_all[:5]).max())
print("BN: max |alone - in batch| =", np.abs(bn_alone - bn_all[:5]).max())

# %% [markdown] lang="zh"
# ## 4. 空间 BN：少了转置会怎样
#
# 第 $c$ 个通道的均值设为 $3c$。归一化之后，每个通道的均值都应为 0。

# %% [markdown] lang="en"
# ## 4. Spatial BN without the transpose
#
# Channel $c$ gets mean $3c$. After normalization every channel mean should be 0.

# %%
N, C, H, W = 8, 4, 5, 5
x = rng.standard_normal((N, C, H, W)) + 3.0 * np.arange(C).reshape(1, C, 1, 1)
right, _ = spatial_batchnorm_forward(x, np.ones(C), np.zeros(C), {"mode": "train"})
wrong, _ = spatial_batchnorm_forward_wrong_reshape(x, np.ones(C), np.zeros(C), {"mode": "train"})
print("channel means, transpose + reshape:", right.mean(axis=(0, 2, 3)).round(6))
print("channel means, reshape only:       ", wrong.mean(axis=(0, 2, 3)).round(3))

# %% [markdown] lang="zh"
# ## 5. GN：G = 1 就是 LN，G = C 就是 IN

# %% [markdown] lang="en"
# ## 5. GN: G = 1 is LN, G = C is IN

# %%
N, C, H, W = 4, 6, 5, 5
x = rng.standard_normal((N, C, H, W))
g, bt = np.ones((1, C, 1, 1)), np.zeros((1, C, 1, 1))
gn1, _ = spatial_groupnorm_forward(x, g, bt, 1, {})
ln, _ = layernorm_forward(x.reshape(N, -1), np.ones(C * H * W), np.zeros(C * H * W), {})
gnc, _ = spatial_groupnorm_forward(x, g, bt, C, {})
inorm = (x - x.mean(axis=(2, 3), keepdims=True)) / np.sqrt(x.var(axis=(2, 3), keepdims=True) + 1e-5)
print("max |GN(G=1) - LN| =", np.abs(gn1 - ln.reshape(x.shape)).max())
print("max |GN(G=C) - IN| =", np.abs(gnc - inorm).max())

# %% [markdown] lang="zh"
# ## 6. running_mean 从 0 开始：t 步后只达到真值的 1 − 0.9ᵗ

# %% [markdown] lang="en"
# ## 6. running_mean starts at 0: after t steps only 1 − 0.9ᵗ of the true mean

# %%
bn_param = {"mode": "train"}
mu = 5.0
for t in range(1, 51):
    batch = mu + rng.standard_normal((64, 1))
    batch -= batch.mean() - mu          # this batch's mean is exactly mu
    batchnorm_forward(batch, np.ones(1), np.zeros(1), bn_param)
    if t in (1, 5, 10, 20, 44, 50):
        print(f"t = {t:2d}: running_mean / mu = {bn_param['running_mean'][0] / mu:.4f},  1 - 0.9^t = {1 - 0.9 ** t:.4f}")

# %% [markdown] lang="zh"
# ## 7. 梯度检查：原样重跑作业 notebook 的那一格
#
# 这一格与 `BatchNormalization.ipynb` 里的 “Batchnorm backward” 一格相同：`np.random.seed(231)`，
# `N, D = 4, 5`，`x = 5 * randn + 12`。按 notebook 注释的预期，相对误差应在 1e-13 到 1e-8 之间。

# %% [markdown] lang="en"
# ## 7. Gradient check: the assignment notebook's cell as it stands
#
# The same as the "Batchnorm backward" cell of `BatchNormalization.ipynb`: `np.random.seed(231)`,
# `N, D = 4, 5`, `x = 5 * randn + 12`. The notebook's comment expects relative errors between 1e-13
# and 1e-8.

# %%
from snippets.normalization import batchnorm_backward
from snippets.numerical_gradient import eval_numerical_gradient_array, rel_error

np.random.seed(231)
N, D = 4, 5
x = 5 * np.random.randn(N, D) + 12
gamma = np.random.randn(D)
beta = np.random.randn(D)
dout = np.random.randn(N, D)

bn_param = {"mode": "train"}
fx = lambda x: batchnorm_forward(x, gamma, beta, bn_param)[0]
fg = lambda a: batchnorm_forward(x, a, beta, bn_param)[0]
fb = lambda b: batchnorm_forward(x, gamma, b, bn_param)[0]
dx_num = eval_numerical_gradient_array(fx, x, dout)
da_num = eval_numerical_gradient_array(fg, gamma.copy(), dout)
db_num = eval_numerical_gradient_array(fb, beta.copy(), dout)
_, cache = batchnorm_forward(x, gamma, beta, bn_param)
dx, dgamma, dbeta = batchnorm_backward(dout, cache)
print(f"dx error: {rel_error(dx_num, dx):.1e}")
print(f"dgamma error: {rel_error(da_num, dgamma):.1e}")
print(f"dbeta error: {rel_error(db_num, dbeta):.1e}")

# %% [markdown] lang="zh"
# 只看一个种子说明不了多少问题：误差几乎全是舍入噪声。下面换 200 个种子，看 dx 误差的分布；再把数值梯度改用扩展精度（`np.longdouble`）重算，误差整体小了两个数量级以上。

# %% [markdown] lang="en"
# One seed says little: the errors are almost all rounding noise. Over 200 seeds, the distribution
# of the dx error; with the numerical gradient in extended precision (`np.longdouble`) the errors
# shrink by more than two orders of magnitude.

# %%
from snippets.experiments.normalization import notebook_gradcheck_over_seeds

errors = notebook_gradcheck_over_seeds(range(200))
for name, e in errors.items():
    q = np.quantile(e, [0.5, 0.9, 1.0])
    print(f"{name:9s} median {q[0]:.1e}  90% {q[1]:.1e}  max {q[2]:.1e}  "
          f"below 1e-8: {np.mean(e < 1e-8):.0%}")
