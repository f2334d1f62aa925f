# %% [markdown] lang="zh"
# # 梯度检查：配套 Notebook
#
# 本 notebook 配合[在 W ≈ 0 处检查 SVM 的梯度](../../gradient-check/)一页使用，在线看到的是构建网站时执行的结果。
#
# 想自己运行，先[下载 .ipynb](../gradient_check.ipynb)，在任意一个 Jupyter 里打开（本地的，或你自己选的在线 Jupyter，Python 3.11+ 即可），再从头依次运行。第一个代码单元用 `%pip install` 从本站安装 `cs231n-faq` 包（也就是 `snippets` 的代码，只依赖 numpy 和 matplotlib），后面的单元都从这个包导入代码。在克隆下来的仓库里，`scripts/setup` 已经把这个包装进 `.venv`：用 `.venv` 里的 Python 打开本文件，跳过第一个代码单元即可。

# %% [markdown] lang="en"
# # Gradient checking: companion notebook
#
# The companion of the [gradient-checking an SVM at W ≈ 0](../../gradient-check/) page; what you see
# online was executed when the site was built.
#
# To run it yourself, [download the .ipynb](../gradient_check.ipynb), open it in any Jupyter with
# Python 3.11+ (your own, or a hosted one you choose) and run the cells from the top. The first code
# cell installs the `cs231n-faq` package (the `snippets` code, which needs only numpy and
# matplotlib) from this site with `%pip install`; the other cells import from it. In a clone of the
# repository, `scripts/setup` has already installed the package into `.venv`: open the notebook with
# the Python in `.venv` and skip that cell.

# %% tags=["skip-execution"]
# %pip install {{ wheel_url }}

# %%
import numpy as np

from snippets.data import digits_with_bias
from snippets.numerical_gradient import rel_error
from snippets.gradient_check import (active_fraction, all_active_gradient, burn_in, check_both,
                                     svm_loss_naive, svm_loss_vectorized)
from snippets.layers import softmax_loss

# %% [markdown] lang="zh"
# ## 1. 数据与初始损失
#
# 数据是 scikit-learn 自带的 digits：1797 张 8×8 图像，像素缩放到 [0, 1]，末尾补一列 1（偏置技巧）。照作业取 `W = 0.0001 * randn`，这时 SVM 的损失约为 C − 1 = 9，softmax 的损失约为 ln 10。

# %% [markdown] lang="en"
# ## 1. Data and initial loss
#
# scikit-learn's bundled digits: 1797 images of 8×8, pixels scaled to [0, 1], and a column of ones
# appended (the bias trick). With the assignment's `W = 0.0001 * randn`, the SVM loss is close to
# C − 1 = 9 and the softmax loss close to ln 10.

# %%
X, y = digits_with_bias()
W0 = 0.0001 * np.random.default_rng(0).standard_normal((X.shape[1], 10))
loss_naive, dW_naive = svm_loss_naive(W0, X, y, 0.0)
loss, dW0 = svm_loss_vectorized(W0, X, y, 0.0)
print("X:", X.shape, "W:", W0.shape)
print("svm:", loss, " softmax:", softmax_loss(X.dot(W0), y)[0], " ln 10:", np.log(10))
print("naive vs vectorized:", abs(loss_naive - loss), rel_error(dW_naive, dW0))
print("active hinges:", active_fraction(W0, X, y))

# %% [markdown] lang="zh"
# ## 2. W ≈ 0 时的梯度就是那个“模式”
#
# 所有折叶项都处在激活段，梯度不再依赖 W：第 j 列是 (Σᵢ xᵢ − C·Σ_{yᵢ=j} xᵢ)/N。

# %% [markdown] lang="en"
# ## 2. At W ≈ 0 the gradient is "the pattern"
#
# Every hinge is active and the gradient no longer depends on W: column j is
# (Σᵢ xᵢ − C·Σ_{yᵢ=j} xᵢ)/N.

# %%
pattern = all_active_gradient(X, y, 10)
print("max|dW0 - pattern|:", np.abs(dW0 - pattern).max())
for j in [0, 1]:
    print(f"-dW[:64, {j}] as 8x8:")
    print(np.round(-dW0[:64, j].reshape(8, 8), 2) + 0.0)

# %% [markdown] lang="zh"
# ## 3. 错误的梯度在 W ≈ 0 处能通过检查，训练一会儿就暴露了
#
# `check_both` 分别返回正确梯度和错误梯度（漏掉了 margin > 0 的判断）的最大相对误差。

# %% [markdown] lang="en"
# ## 3. The wrong gradient passes at W ≈ 0 and fails after a short burn-in
#
# `check_both` returns the largest relative error of the correct gradient and of the one that
# forgets `margin > 0`.

# %%
print("W0:", check_both(W0, X, y, 0.0))
W = burn_in(W0, X, y, 0.0, steps=200, learning_rate=0.5, batch_size=200, seed=0)
print("active hinges:", round(active_fraction(W, X, y), 3))
print("W_SGD:", check_both(W, X, y, 0.0))

# %% [markdown] lang="zh"
# ## 4. 起决定作用的是得分的尺度 ‖x‖·σ_W
#
# 同样是 `W = 0.0001 * randn`，换成 CIFAR-10 尺度的输入（这里把 digits 放大成 32×32×3，像素取 0–255，再减去均值图像，D = 3073），就有一部分折叶项失活，错误梯度当场通不过检查。

# %% [markdown] lang="en"
# ## 4. What decides is the score scale ‖x‖·σ_W
#
# The same `W = 0.0001 * randn` on inputs of CIFAR-10's scale (here the digits enlarged to
# 32×32×3, pixels 0–255, mean image subtracted, D = 3073) closes some hinges, and the wrong gradient
# fails the check on the spot.

# %%
images = np.repeat(np.repeat((X[:, :64] * 255).reshape(-1, 8, 8), 4, axis=1), 4, axis=2)
Xc = np.repeat(images[:, None], 3, axis=1).reshape(len(y), -1)
Xc = np.hstack([Xc - Xc.mean(axis=0), np.ones((len(y), 1))])
Wc = 0.0001 * np.random.default_rng(0).standard_normal((Xc.shape[1], 10))
for name, data, weights in [("digits", X, W0), ("CIFAR scale", Xc, Wc)]:
    rms = np.sqrt(np.mean(np.sum(data ** 2, axis=1)))
    print(f"{name:12} D = {data.shape[1]:5}  ||x||_rms * sigma_W = {rms * 1e-4:.1e}  "
          f"active = {active_fraction(weights, data, y):.3f}  (correct, wrong) = "
          f"{tuple(float(f'{e:.1e}') for e in check_both(weights, data, y, 0.0))}")
