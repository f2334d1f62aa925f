# %% [markdown] lang="zh"
# # MAP 与 MLE：配套 Notebook
#
# 本 notebook 配合[MAP 与 MLE](../../map-mle/)一页使用，在线看到的是构建网站时执行的结果。
#
# 想自己运行，先[下载 .ipynb](../map_mle.ipynb)，在任意一个 Jupyter 里打开（本地的，或你自己选的在线 Jupyter，Python 3.11+ 即可），再从头依次运行。第一个代码单元用 `%pip install` 从本站安装 `cs231n-faq` 包（也就是 `snippets` 的代码，只依赖 numpy 和 matplotlib），后面的单元都从这个包导入代码。在克隆下来的仓库里，`scripts/setup` 已经把这个包装进 `.venv`：用 `.venv` 里的 Python 打开本文件，跳过第一个代码单元即可。

# %% [markdown] lang="en"
# # MAP vs MLE: companion notebook
#
# The companion of the [MAP vs MLE](../../map-mle/) page; what you see online was executed when the
# site was built.
#
# To run it yourself, [download the .ipynb](../map_mle.ipynb), open it in any Jupyter with Python
# 3.11+ (your own, or a hosted one you choose) and run the cells from the top. The first code cell
# installs the `cs231n-faq` package (the `snippets` code, which needs only numpy and matplotlib)
# from this site with `%pip install`; the other cells import from it. In a clone of the repository,
# `scripts/setup` has already installed the package into `.venv`: open the notebook with the Python
# in `.venv` and skip that cell.

# %% tags=["skip-execution"]
# %pip install {{ wheel_url }}

# %%
import math

import numpy as np

from snippets.data import digits_with_bias
from snippets.map_mle import (
    gradient_descent,
    minimize_loss,
    minimize_posterior,
    neg_log_posterior,
    reg_from_sigma,
    softmax_loss_vectorized,
)

# %% [markdown] lang="zh"
# ## 1. 负对数后验 = N × cs231n 损失 + 常数
#
# 取 reg = 1/(2Nσ²)，则对任意 W，两者只差一个常数 (D·C/2)·log(2πσ²)，梯度相差 N 倍。

# %% [markdown] lang="en"
# ## 1. Negative log posterior = N × cs231n loss + a constant
#
# With reg = 1/(2Nσ²), for any W the two differ by the constant (D·C/2)·log(2πσ²) and their
# gradients by a factor N.

# %%
X, y = digits_with_bias(pool=2, centre=True)  # 1797 digits at 4x4, mean image subtracted, bias column
N, D = X.shape
C, sigma = 10, 1.0
reg = reg_from_sigma(sigma, N)
W = 0.1 * np.random.default_rng(0).standard_normal((D, C))
nlp, grad = neg_log_posterior(W, X, y, sigma)
loss, dW = softmax_loss_vectorized(W, X, y, reg)
print("X:", X.shape, " W:", W.shape, " reg =", reg)
# printed to the digits every machine agrees on: what is left is rounding, which depends on the BLAS
print(f"nlp - N * loss = {nlp - N * loss:.9f},  (D*C/2) log(2 pi sigma^2) = {D * C / 2 * math.log(2 * math.pi * sigma**2):.9f}")
print("max |grad - N * dW| < 1e-10:", np.abs(grad - N * dW).max() < 1e-10)

# %% [markdown] lang="zh"
# ## 2. 两个目标的最优点相同
#
# 用牛顿法分别最小化两个目标，各自判断是否收敛：牛顿减量 λ 的平方的一半 λ²/2 估计的是当前值与最优值之差，小于 10⁻²⁰ 才停。收敛以后，梯度和 λ²/2 都只剩舍入误差，具体数值随 CPU 和 BLAS 而变，所以下面只打印它们是否低于上界。

# %% [markdown] lang="en"
# ## 2. The two objectives have the same optimum
#
# Each is minimized by Newton's method, with its own convergence check: half the squared Newton
# decrement, λ²/2, estimates the gap to the optimum, and newton stops once it is below 1e-20. What is
# left then is rounding error, whose digits change with the CPU and the BLAS, so the cell prints
# only whether it is below a bound.

# %%
W_loss, info_loss = minimize_loss(X, y, reg)
W_post, info_post = minimize_posterior(X, y, sigma)
for name, info in (("cs231n loss", info_loss), ("posterior", info_post)):
    print(f"{name}: {info['iterations']} steps, converged {info['converged']}, gap < 1e-20: {info['gap'] < 1e-20}")
print("max |W_loss - W_post| < 1e-12:", np.abs(W_loss - W_post).max() < 1e-12)
print("rows of W sum to 0 (< 1e-12):", np.abs(W_loss.sum(axis=1)).max() < 1e-12)
W_wrong, _ = minimize_loss(X, y, 0.5 * reg)  # 0.5 * reg * sum(W*W) with reg = 1/(2 N sigma^2)
print(f"0.5 * reg convention with the same reg: max |W - W_post| = {np.abs(W_wrong - W_post).max():.2f}")

# %% [markdown] lang="zh"
# ## 3. 线性可分时 MLE 不存在
#
# 数字 0 和 1 线性可分。用梯度下降训练：不加正则时，‖W‖ 一直增长，损失趋向 0；加了先验以后，‖W‖ 停在一个有限值。

# %% [markdown] lang="en"
# ## 3. On separable data the MLE does not exist
#
# Digits 0 and 1 are linearly separable. Gradient descent: without regularization ‖W‖ keeps growing
# and the loss goes to 0; with the prior ‖W‖ settles.

# %%
X01, y01 = digits_with_bias(classes=(0, 1), centre=True)
record = {10, 100, 1000, 3000}
for r in (0.0, reg_from_sigma(1.0, len(y01))):
    _, history = gradient_descent(X01, y01, r, 3000, record)
    print(f"reg = {r:.2e}:", [(t, f"loss {l:.2e}", f"|W| {n:.3f}") for t, l, n in history])

# %% [markdown] lang="zh"
# ## 4. 先验固定时，N 越大 MAP 越接近 MLE
#
# 改用 2×2 的特征（已标准化），MLE 就是有限的。固定 σ 时，reg = 1/(2Nσ²) 随 N 变小；固定 reg，则等于让先验随 N 变窄。

# %% [markdown] lang="en"
# ## 4. With a fixed prior, MAP approaches MLE as N grows
#
# On 2×2 standardized features the MLE is finite. With σ fixed, reg = 1/(2Nσ²) shrinks with N; a
# fixed reg means a prior that narrows as N grows.

# %%
X4, y4 = digits_with_bias(pool=4, centre=True, standardize=True)
order = np.random.default_rng(0).permutation(len(y4))
for n in (100, 423, 1797):
    Xn, yn = X4[order[:n]], y4[order[:n]]
    W_mle, _ = minimize_loss(Xn, yn, 0.0)
    W_map, _ = minimize_loss(Xn, yn, reg_from_sigma(1.0, n))
    W_fix, _ = minimize_loss(Xn, yn, reg_from_sigma(1.0, 100))
    norm = np.linalg.norm(W_mle)
    print(f"N = {n:4d}: fixed sigma {np.linalg.norm(W_map - W_mle) / norm:.3f},"
          f" fixed reg {np.linalg.norm(W_fix - W_mle) / norm:.3f}")
