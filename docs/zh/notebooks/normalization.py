# %% [markdown]
# # 归一化：配套 Notebook
#
# 这是[归一化](../../normalization/)一页的配套 notebook，在线版本是构建网站时执行过的结果。
# 想自己运行：克隆仓库，执行 `scripts/setup`，再用 `.venv` 里的 Python 打开本文件
# （[下载 .ipynb](../normalization.ipynb)）。`snippets` 包已由 `scripts/setup` 安装进 `.venv`，
# 所以 notebook 放在哪个目录都能运行。

# %%
import numpy as np

from snippets.layers import affine_forward, relu_forward
from snippets.normalization import (
    batchnorm_forward,
    layernorm_forward,
    spatial_batchnorm_forward,
    spatial_batchnorm_forward_wrong_reshape,
    spatial_groupnorm_forward,
)

# %% [markdown]
# ## 1. BN 的输入：仿射层的输出，不是图像
#
# 一个图像 batch 经过 `affine_forward` 之后就成了 $(N, \text{hidden})$，BN 接在这里。

# %%
rng = np.random.default_rng(0)
x = rng.standard_normal((50, 3, 32, 32))
w, b = 0.01 * rng.standard_normal((3 * 32 * 32, 100)), np.zeros(100)
h, _ = affine_forward(x, w, b)
h_bn, cache = batchnorm_forward(h, np.ones(100), np.zeros(100), {"mode": "train"})
print("图像:", x.shape, "-> 仿射层输出 / BN 输入:", h.shape, "-> BN 输出:", h_bn.shape)

# %% [markdown]
# ## 2. 笔记里的实验：gamma 的长度为什么是 D3
#
# 与作业 notebook 同样的种子和形状。训练模式下，每列均值等于 $\beta$，标准差约等于 $\gamma$。

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
    print("gamma", gamma, "beta", beta, "-> 均值", out.mean(axis=0).round(4), "标准差", out.std(axis=0).round(4))

# %% [markdown]
# ## 3. BN 随同批样本而变，LN 不变

# %%
x = rng.standard_normal((50, 20))
ones, zeros = np.ones(20), np.zeros(20)
ln_alone, _ = layernorm_forward(x[:5], ones, zeros, {})
ln_all, _ = layernorm_forward(x, ones, zeros, {})
bn_alone, _ = batchnorm_forward(x[:5], ones, zeros, {"mode": "train"})
bn_all, _ = batchnorm_forward(x, ones, zeros, {"mode": "train"})
print("LN 最大差:", np.abs(ln_alone - ln_all[:5]).max())
print("BN 最大差:", np.abs(bn_alone - bn_all[:5]).max())

# %% [markdown]
# ## 4. 空间 BN：少了转置会怎样
#
# 第 $c$ 个通道的均值设为 $3c$。归一化之后，每个通道的均值都应为 0。

# %%
N, C, H, W = 8, 4, 5, 5
x = rng.standard_normal((N, C, H, W)) + 3.0 * np.arange(C).reshape(1, C, 1, 1)
right, _ = spatial_batchnorm_forward(x, np.ones(C), np.zeros(C), {"mode": "train"})
wrong, _ = spatial_batchnorm_forward_wrong_reshape(x, np.ones(C), np.zeros(C), {"mode": "train"})
print("正确写法的通道均值:", right.mean(axis=(0, 2, 3)).round(6))
print("少了转置的通道均值:", wrong.mean(axis=(0, 2, 3)).round(3))

# %% [markdown]
# ## 5. GN：G = 1 就是 LN，G = C 就是 IN

# %%
N, C, H, W = 4, 6, 5, 5
x = rng.standard_normal((N, C, H, W))
g, bt = np.ones((1, C, 1, 1)), np.zeros((1, C, 1, 1))
gn1, _ = spatial_groupnorm_forward(x, g, bt, 1, {})
ln, _ = layernorm_forward(x.reshape(N, -1), np.ones(C * H * W), np.zeros(C * H * W), {})
gnc, _ = spatial_groupnorm_forward(x, g, bt, C, {})
inorm = (x - x.mean(axis=(2, 3), keepdims=True)) / np.sqrt(x.var(axis=(2, 3), keepdims=True) + 1e-5)
print("GN(G=1) 与 LN 的最大差:", np.abs(gn1 - ln.reshape(x.shape)).max())
print("GN(G=C) 与 IN 的最大差:", np.abs(gnc - inorm).max())

# %% [markdown]
# ## 6. running_mean 从 0 出发：t 步后只有 1 − 0.9ᵗ

# %%
bn_param = {"mode": "train"}
mu = 5.0
for t in range(1, 51):
    batch = mu + rng.standard_normal((64, 1))
    batch -= batch.mean() - mu          # 让这批的均值恰好是 mu
    batchnorm_forward(batch, np.ones(1), np.zeros(1), bn_param)
    if t in (1, 5, 10, 20, 44, 50):
        print(f"t = {t:2d}: running_mean / mu = {bn_param['running_mean'][0] / mu:.4f},  1 - 0.9^t = {1 - 0.9 ** t:.4f}")
