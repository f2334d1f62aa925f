# %% [markdown] lang="zh"
# # 输入梯度：配套 Notebook
#
# 本 notebook 配合[输入梯度](../../input-gradient/)一页使用，在线看到的是构建网站时执行的结果。
#
# 想自己运行，先[下载 .ipynb](../input_gradient.ipynb)，在任意一个 Jupyter 里打开（本地的，或你自己选的在线 Jupyter，Python 3.11+ 即可），再从头依次运行。第一个代码单元用 `%pip install` 从本站安装 `cs231n-faq` 包（也就是 `snippets` 的代码，只依赖 numpy 和 matplotlib），后面的单元都从这个包导入代码。在克隆下来的仓库里，`scripts/setup` 已经把这个包装进 `.venv`：用 `.venv` 里的 Python 打开本文件，跳过第一个代码单元即可。

# %% [markdown] lang="en"
# # The input gradient: companion notebook
#
# The companion of the [input-gradient](../../input-gradient/) page; what you see online was
# executed when the site was built.
#
# To run it yourself, [download the .ipynb](../input_gradient.ipynb), open it in any Jupyter with
# Python 3.11+ (your own, or a hosted one you choose) and run the cells from the top. The first code
# cell installs the `cs231n-faq` package (the `snippets` code, which needs only numpy and
# matplotlib) from this site with `%pip install`; the other cells import from it. In a clone of the
# repository, `scripts/setup` has already installed the package into `.venv`: open the notebook with
# the Python in `.venv` and skip that cell.

# %% tags=["skip-execution"]
# %pip install {{ wheel_url }}

# %%
import matplotlib.pyplot as plt
import numpy as np

from snippets.experiments.input_gradient import experiments, synthetic_linearity
from snippets.input_gradient import (class_visualization, fgsm, model_accuracy, model_forward,
                                    random_sign_noise, saliency_map, score_gradient)
from snippets.reporting import rank_correlation

data, models = experiments()
X, y = data['X_test'], data['y_test']
for name in ('linear', 'net'):
    print(name, 'test accuracy', round(model_accuracy(models[name], X, y), 4))

# %% [markdown] lang="zh"
# ## 1. 线性模型：输入梯度就是模板
#
# 对 $s_c = x^\top W_c + b_c$，有 $\partial s_c / \partial x = W_c$，与输入 $x$ 无关。

# %% [markdown] lang="en"
# ## 1. Linear model: the input gradient is the template
#
# For $s_c = x^\top W_c + b_c$, $\partial s_c / \partial x = W_c$, whatever the input $x$.

# %%
lin = models['linear']
g = score_gradient(lin, X[:10], np.full(10, 3))
print('max |grad - W_3| over 10 images:', np.abs(g - lin['W'][:, 3]).max())

# %% [markdown] lang="zh"
# ## 2. 显著图：对未归一化分数求梯度，取绝对值
#
# 手写数字只有一个灰度通道，所以“在通道上取最大值”就等于取绝对值。

# %% [markdown] lang="en"
# ## 2. Saliency: gradient of the unnormalized score, absolute value
#
# The digits have one grey channel, so "max over channels" is the absolute value.

# %%
net = models['net']
idx = [int(np.flatnonzero(y == c)[0]) for c in range(5)]
sal = saliency_map(net, X[idx], y[idx])
fig, axes = plt.subplots(2, 5, figsize=(7, 3))
for i, k in enumerate(idx):
    axes[0, i].imshow((X[k] + data['mean']).reshape(8, 8), cmap='gray_r')
    axes[1, i].imshow(sal[i], cmap='viridis')
    axes[0, i].set_title(f'y={y[k]}')
for ax in axes.ravel():
    ax.axis('off')
plt.show()

# %% [markdown] lang="zh"
# ## 3. 合理性检验：随机权重的网络
#
# 结构相同、权重随机的网络给出的显著图，和训练好的网络的显著图几乎不相关（秩相关按图像取平均）。

# %% [markdown] lang="en"
# ## 3. Sanity check: a net with random weights
#
# The same architecture with random weights gives saliency maps almost unrelated to the trained
# net's (rank correlation, averaged over the images).

# %%
maps = {k: saliency_map(models[k], X, y) for k in ('net', 'net_seed1', 'net_random')}
for other in ('net_seed1', 'net_random'):
    rho = np.mean([rank_correlation(a, b) for a, b in zip(maps['net'], maps[other])])
    print(f'rank corr net vs {other}: {rho:.3f}')

# %% [markdown] lang="zh"
# ## 4. 类别可视化：对图像做梯度上升
#
# 最大化 $s_c(x) - \lambda\|x\|^2$，同时把像素限制在 $[0, 1]$ 内。

# %% [markdown] lang="en"
# ## 4. Class visualization: gradient ascent on the image
#
# Maximize $s_c(x) - \lambda\|x\|^2$, keeping the pixels in $[0, 1]$.

# %%
clip = (-data['mean'], 1 - data['mean'])
imgs = [class_visualization(net, c, l2_reg=1.0, learning_rate=0.2, steps=200, clip=clip)
        for c in range(10)]
fig, axes = plt.subplots(1, 10, figsize=(9, 1.2))
for c, ax in enumerate(axes):
    ax.imshow((imgs[c] + data['mean']).reshape(8, 8), cmap='gray_r', vmin=0, vmax=1)
    ax.set_title(str(c))
    ax.axis('off')
plt.show()
print('argmax of each image:', model_forward(net, np.stack(imgs))[0].argmax(axis=1))

# %% [markdown] lang="zh"
# ## 5. FGSM 与同样大小的随机噪声
#
# 和类别可视化一样，攻击后的图像要裁剪回合法的像素范围 $[0, 1]$（数据减过均值，所以这个范围由
# `clip` 这一对数组表示）。每行依次是 `eps`，以及每个模型的（FGSM 后的准确率，加随机噪声后的准确率）。

# %% [markdown] lang="en"
# ## 5. FGSM against random noise of the same size
#
# As in class visualization, the attacked images are clipped back to the valid pixel range
# $[0, 1]$ (the data are centred, so the range is the pair of arrays `clip`). Each line: `eps`,
# then for each model (accuracy after FGSM, accuracy after random noise).

# %%
for eps in (0.05, 0.1, 0.2):
    print(f'eps={eps}', {name: (round(model_accuracy(m, fgsm(m, X, y, eps, clip=clip), y), 3),
                                round(model_accuracy(m, random_sign_noise(X, eps, clip=clip), y), 3))
                         for name, m in (('linear', lin), ('net', net))})
adv = fgsm(net, X, y, 0.1, clip=clip) + data['mean']
print('pixels of the FGSM images in [0, 1]:', bool(adv.min() >= -1e-12 and adv.max() <= 1 + 1e-12))

# %% [markdown] lang="zh"
# ## 6. 线性论证：ε‖w‖₁ 随维数增长
#
# 每行依次是：$D$、$\epsilon\|w\|_1$（沿 FGSM 方向的分数变化）、$\epsilon\|w\|_2$（随机 ±ε 噪声造成的典型变化）。

# %% [markdown] lang="en"
# ## 6. The linearity argument: ε‖w‖₁ grows with the dimension
#
# Each row: $D$, $\epsilon\|w\|_1$ (the score change along FGSM's direction), $\epsilon\|w\|_2$
# (the typical change under random ±ε noise).

# %%
for D, l1, l2 in synthetic_linearity((64, 3072, 150528), eps=1 / 255, sigma=0.01):
    print(D, round(l1, 4), round(l2, 4))
