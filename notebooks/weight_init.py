# %% [markdown] lang="zh"
# # 权重初始化：配套 Notebook
#
# 本 notebook 配合[权重初始化](../../weight-init/)一页使用，在线看到的是构建网站时执行的结果。
#
# 想自己运行，先[下载 .ipynb](../weight_init.ipynb)，在任意一个 Jupyter 里打开（本地的，或你自己选的在线 Jupyter，Python 3.11+ 即可），再从头依次运行。第一个代码单元用 `%pip install` 从本站安装 `cs231n-faq` 包（也就是 `snippets` 的代码，只依赖 numpy 和 matplotlib），后面的单元都从这个包导入代码。在克隆下来的仓库里，`scripts/setup` 已经把这个包装进 `.venv`：用 `.venv` 里的 Python 打开本文件，跳过第一个代码单元即可。

# %% [markdown] lang="en"
# # Weight initialization: companion notebook
#
# The companion of the [weight initialization](../../weight-init/) page; what you see online was
# executed when the site was built.
#
# To run it yourself, [download the .ipynb](../weight_init.ipynb), open it in any Jupyter with
# Python 3.11+ (your own, or a hosted one you choose) and run the cells from the top. The first code
# cell installs the `cs231n-faq` package (the `snippets` code, which needs only numpy and
# matplotlib) from this site with `%pip install`; the other cells import from it. In a clone of the
# repository, `scripts/setup` has already installed the package into `.venv`: open the notebook with
# the Python in `.venv` and skip that cell.

# %% tags=["skip-execution"]
# %pip install {{ wheel_url }}

# %%
import numpy as np

from snippets.weight_init import deep_net, init_weights, input_gradient_ratio, symmetric_init_gradients
from snippets.layers import affine_backward, affine_forward

# %% [markdown] lang="zh"
# ## 1. 一层之内：dx = dz Wᵀ 对 W 是线性的
#
# 上游梯度 `dz` 固定时，W 乘以 c，输入的梯度 `dx` 也正好乘以 c；权重的梯度 `dW = xᵀ dz` 则与输入 x 成正比。

# %% [markdown] lang="en"
# ## 1. Inside one layer: dx = dz Wᵀ is linear in W
#
# With the upstream gradient `dz` fixed, multiplying W by c multiplies the input's gradient `dx` by
# exactly c; the weights' gradient `dW = xᵀ dz` is proportional to the input x.

# %%
rng = np.random.default_rng(0)
x, W, dz = rng.standard_normal((8, 5)), rng.standard_normal((5, 3)), rng.standard_normal((8, 3))
b = np.zeros(3)
for c in [0.01, 1.0, 2.0]:
    dx, dW, _ = affine_backward(dz, affine_forward(x, c * W, b)[1])
    print(f"c = {c:5}: |dx| = {np.linalg.norm(dx):.4f}, |dW| = {np.linalg.norm(dW):.4f}")

# %% [markdown] lang="zh"
# 这一层后面接 tanh 时，`dz = dh * tanh'(z)` 本身随 W 变化，W 加倍，`dx` 就不再加倍：

# %% [markdown] lang="en"
# Behind a tanh, `dz = dh * tanh'(z)` itself changes with W, so doubling W no longer doubles `dx`:

# %%
rng = np.random.default_rng(1)
for scheme in ["0.01", "1.0"]:
    W = init_weights(scheme, 500, 500, rng)
    print(scheme, "linear:", input_gradient_ratio(W, 2.0), " tanh:", round(input_gradient_ratio(W, 2.0, "tanh"), 3))

# %% [markdown] lang="zh"
# ## 2. 十层网络：逐层的标准差
#
# 设置和 CS231n 课上的实验相同：10 层，每层 500 个单元，1000 个单位高斯样本。可以改一改 `scheme` 和层数试试。

# %% [markdown] lang="en"
# ## 2. Ten layers: the standard deviation layer by layer
#
# The experiment of the CS231n lecture: 10 layers of 500 units, 1000 unit-Gaussian examples. Try
# other schemes and depths.

# %%
for nonlinearity, scheme in [("tanh", "0.01"), ("tanh", "1.0"), ("tanh", "xavier"), ("relu", "he"), ("relu", "xavier")]:
    r = deep_net(nonlinearity, scheme, num_layers=10, width=500, num_examples=1000)
    print(f"{nonlinearity:4} {scheme:6}  std(h):", np.array2string(r["act_std"][[0, 4, 9]], precision=2),
          " std(dL/dW):", np.array2string(r["grad_W_std"][[0, 4, 9]], precision=2))

# %% [markdown] lang="zh"
# ## 3. 全零初始化：对称性打不破

# %% [markdown] lang="en"
# ## 3. Zero initialization: the symmetry never breaks

# %%
for value in [0.0, 0.01]:
    biggest, spread = symmetric_init_gradients(value)
    print(f"W = {value}: max|dW| = {biggest:.2e}, max|dW1[:, k] - dW1[:, 0]| = {spread}")

# %% [markdown] lang="zh"
# ## 4. 饱和的 tanh：反传的因子是 √(n·E[tanh′(z)²])，不是 √n
#
# 用 1.0·randn 时，绝大多数 tanh 单元都饱和了。反传时，梯度的标准差每层乘以 σ_w·√(n·E[tanh′(z)²])。下面逐层比较实测的因子、这个式子和 √500。

# %% [markdown] lang="en"
# ## 4. Saturated tanh: the backward factor is √(n·E[tanh′(z)²]), not √n
#
# With 1.0·randn most tanh units saturate. Backwards, each layer multiplies the gradient's standard
# deviation by σ_w·√(n·E[tanh′(z)²]); below, the measured factor of each layer against that formula
# and against √500.

# %%
r = deep_net("tanh", "1.0", num_layers=10, width=500, num_examples=1000, keep=1000 * 500)
slope_sq = np.mean((1 - r["acts"] ** 2) ** 2, axis=1)          # E[tanh'(z)^2] per layer
measured = r["grad_in_std"][:-1] / r["grad_in_std"][1:]          # layer l = 1 .. 9
formula = np.sqrt(500 * slope_sq[:-1])
print("measured:", np.round(measured, 2))
print("formula: ", np.round(formula, 2))
print("sqrt(500):", round(np.sqrt(500), 2))
