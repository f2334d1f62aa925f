# %% [markdown] lang="zh"
# # 白化：配套 Notebook
#
# 这是[白化](../../whitening/)一页的配套 notebook，在线版本是构建网站时执行过的结果。
# 想自己运行：克隆仓库，执行 `scripts/setup`，再用 `.venv` 里的 Python 打开本文件
# （[下载 .ipynb](../whitening.ipynb)）。`snippets` 包已由 `scripts/setup` 安装进 `.venv`，
# 所以 notebook 放在哪个目录都能运行。为了跑得快，这里的样本比页面上的小。

# %% [markdown] lang="en"
# # Whitening: companion notebook
#
# The companion of the [whitening](../../whitening/) page; what you see online was executed when the
# site was built. To run it yourself: clone the repository, run `scripts/setup`, then open this
# notebook ([download the .ipynb](../whitening.ipynb)) with the Python in `.venv`. `scripts/setup`
# installs the `snippets` package into `.venv`, so the notebook runs from any folder. To run fast, it
# uses smaller samples than the page.

# %%
import numpy as np

from snippets.data import load_photo
from snippets.experiments.whitening import grey, power_law_field, random_crops
from snippets.reporting import rank_correlation
from snippets.whitening import (mode_frequency, pca_fit, pca_reduce, pca_whiten, power_spectrum,
                                spectral_slope, whiten_by_eigenvalue, zca_whiten)

# %% [markdown] lang="zh"
# ## 1. 32×32×3 裁块的 PCA：前 144 个特征向量
#
# 页面用 4200 个裁块；这里每张照片 1100 个，共 3300 个，仍多于 3072 维。

# %% [markdown] lang="en"
# ## 1. PCA of 32×32×3 crops: the top 144 eigenvectors
#
# The page uses 4200 crops; here 1100 per photo, 3300 in all, still more than the 3072 dimensions.

# %%
rng = np.random.default_rng(0)
X = np.concatenate([random_crops(load_photo(name), 32, 1100, rng)
                    for name in ("astronaut", "chelsea", "coffee")])
mean, U, S = pca_fit(X, 144)
print("X:", X.shape, " U:", U.shape, " S:", S.shape)
print("lambda_1 / lambda_144 =", round(S[0] / S[-1]))
print("variance kept by 144 modes:", round(S.sum() / X.var(axis=0).sum(), 4))

# %% [markdown] lang="zh"
# ## 2. 特征向量的频率随序号上升

# %% [markdown] lang="en"
# ## 2. The eigenvectors' frequency rises with rank

# %%
f = mode_frequency(U.T, (32, 32, 3))
print("rank correlation (rank, frequency):", round(rank_correlation(np.arange(144), f), 3))
print("mean frequency of modes 1-5:", f[:5].round(3), " 140-144:", f[-5:].round(3))

# %% [markdown] lang="zh"
# ## 3. 白化：协方差变成单位矩阵，前 10 个模式的占比变成 10/144

# %% [markdown] lang="en"
# ## 3. Whitening: the covariance becomes I, the top-10 share becomes 10/144

# %%
Xw = pca_whiten(X, mean, U, S, eps=1e-5)
cov = Xw.T @ Xw / len(Xw)
print("max |cov - I| =", np.abs(cov - np.eye(144)).max())
print("top-10 share before:", round(S[:10].sum() / S.sum(), 3),
      " after:", round(np.diag(cov)[:10].sum() / np.trace(cov), 4), " 10/144 =", round(10 / 144, 4))
wrong = whiten_by_eigenvalue(X, mean, U, S, eps=1e-5)
print("dividing by lambda: variances from", wrong.var(axis=0).min().round(4), "to", wrong.var(axis=0).max().round(1))

# %% [markdown] lang="zh"
# ## 4. 四幅图
#
# 原图、前 16 个特征向量、144 个模式的重建、ZCA 白化后转回像素。

# %% [markdown] lang="en"
# ## 4. The four panels
#
# Originals, the top 16 eigenvectors, the rebuild from 144 modes, ZCA-whitened and rotated back.

# %%
import matplotlib.pyplot as plt

def mosaic(rows, stretch):
    tiles = []
    for v in rows[:16]:
        v = (v - v.min()) / np.ptp(v) if stretch else np.clip(v, 0, 1)
        tiles.append(v.reshape(32, 32, 3))
    return np.concatenate([np.concatenate(tiles[r * 4:r * 4 + 4], axis=1) for r in range(4)], axis=0)

show = X[::len(X) // 16][:16]
fig, axes = plt.subplots(1, 4, figsize=(10, 2.8))
for ax, (rows, stretch, title) in zip(axes, [
        (show, False, "X"), (U.T, True, "U[:, :16]"),
        (pca_reduce(show, mean, U), False, "144 modes"), (zca_whiten(show, mean, U, S), True, "ZCA")]):
    ax.imshow(mosaic(rows, stretch))
    ax.set_title(title)
    ax.axis("off")
plt.show()

# %% [markdown] lang="zh"
# ## 5. 功率谱斜率：照片、纹理和两个对照

# %% [markdown] lang="en"
# ## 5. Spectral slopes: photographs, textures and two controls

# %%
sources = {name: grey(load_photo(name)) for name in ("astronaut", "camera", "grass", "brick")}
sources["1/f^2"] = power_law_field(512, 2.0, rng)
sources["white"] = power_law_field(512, 0.0, rng)
for name, image in sources.items():
    print(f"{name:10s} alpha = {spectral_slope(*power_spectrum(image))[0]:.2f}")

# %% [markdown] lang="zh"
# ## 6. 加大 eps：16×16 灰度块的完整白化

# %% [markdown] lang="en"
# ## 6. Raising eps: full whitening of 16×16 grey patches

# %%
P = random_crops(sources["astronaut"], 16, 2000, rng)
mean_p, U_p, S_p = pca_fit(P, 256)
for eps in (1e-5, 1e-3, 1e-1):
    print(f"eps = {eps:g}: effective number of modes {np.sum(S_p / (S_p + eps)):.1f}")
